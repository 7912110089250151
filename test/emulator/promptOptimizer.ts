// OptimizePrompt (bedrock-agent-runtime): POST /optimize-prompt with `{input: {textPrompt: {text}},
// targetModelId}` [sdk: client-bedrock-agent-runtime 3.1178, OptimizePromptRequest], answered with an event
// stream `optimizedPrompt` of `analyzePromptEvent {message}` and `optimizedPromptEvent {optimizedPrompt:
// {textPrompt: {text}}}` [sdk], exceptions in the stream as modelled members (`validationException` …).
//
// The deterministic optimizer [ours]:
// - two analysis events first, a moment apart (so a client can show them as they arrive): what the prompt
//   holds (turns, variables), then what it will change;
// - the optimized text keeps every line; after each `{{role "…"}}` marker line (or at the top when there
//   is none) it inserts `Follow these instructions step by step and answer precisely.`;
// - `[[optimizer-flattens]]` in the text: the role markers are dropped from the optimized text (as an
//   optimizer that merges turns into one would);
// - `[[optimizer-renames]]`: the first `{{variable}}` becomes `{{variable_value}}`;
// - a target model that is not a text model of the catalogue: `validationException` in the stream [ours;
//   the service lists the models it optimizes for].
// Text over 200,000 characters is refused with a 400 [ours: the documented input limit is not in the model].
import { findModel } from './catalogue';
import { eventFrame, exceptionFrame } from './eventstream';
import { ServiceError, type RequestContext } from './http';

const ROLE_LINE = /^\{\{\s*role\s+"[a-z]+"\s*\}\}\s*$/;
const GUIDANCE = 'Follow these instructions step by step and answer precisely.';

export function optimizedText(text: string): string {
  const lines = text.split('\n');
  const out: string[] = [];
  const hasRoles = lines.some((l) => ROLE_LINE.test(l));
  if (!hasRoles) out.push(GUIDANCE);
  for (const line of lines) {
    out.push(line);
    if (ROLE_LINE.test(line)) out.push(GUIDANCE);
  }
  let result = out.join('\n');
  if (text.includes('[[optimizer-flattens]]'))
    result = result
      .split('\n')
      .filter((l) => !ROLE_LINE.test(l))
      .join('\n');
  if (text.includes('[[optimizer-renames]]'))
    result = result.replace(/\{\{\s*([A-Za-z_]\w*)\s*\}\}/, (_m, name: string) => `{{${name}_value}}`);
  return result;
}

export class PromptOptimizerService {
  constructor(private readonly delayMs = 30) {}

  handle(ctx: RequestContext): boolean {
    if (ctx.segments[0] !== 'optimize-prompt' || ctx.method !== 'POST') return false;
    const body = JSON.parse(ctx.body.toString('utf8') || '{}') as {
      input?: { textPrompt?: { text?: unknown } };
      targetModelId?: unknown;
    };
    const text = body.input?.textPrompt?.text;
    if (typeof text !== 'string' || !text.trim()) throw ServiceError.validation('input.textPrompt.text is required.');
    if (typeof body.targetModelId !== 'string' || !body.targetModelId)
      throw ServiceError.validation('targetModelId is required.');
    if (text.length > 200_000) throw ServiceError.validation('The prompt is too long to optimize.');
    void this.stream(ctx, text, body.targetModelId);
    return true;
  }

  private async stream(ctx: RequestContext, text: string, targetModelId: string): Promise<void> {
    ctx.res.writeHead(200, { 'content-type': 'application/vnd.amazon.eventstream', 'x-amzn-requestid': ctx.requestId });
    const write = (frame: Uint8Array) => (ctx.res as { write(c: Uint8Array): boolean }).write(frame);
    const pause = () => new Promise((r) => setTimeout(r, this.delayMs));
    const model = findModel(targetModelId);
    if (!model || !model.outputModalities.includes('TEXT')) {
      write(
        exceptionFrame('validationException', {
          message: `Prompt optimization does not support the model ${targetModelId}.`,
        }),
      );
      ctx.res.end();
      return;
    }
    const turns = text.split('\n').filter((l) => ROLE_LINE.test(l)).length || 1;
    const variables = [...new Set([...text.matchAll(/\{\{\s*([A-Za-z_]\w*)\s*\}\}/g)].map((m) => `{{${m[1]}}}`))];
    write(
      eventFrame('analyzePromptEvent', {
        message: `The prompt has ${turns} turn(s) and reads ${variables.join(', ') || 'no variables'}; it targets ${model.modelName}.`,
      }),
    );
    await pause();
    write(eventFrame('analyzePromptEvent', { message: 'Adding step-by-step guidance to each turn.' }));
    await pause();
    write(eventFrame('optimizedPromptEvent', { optimizedPrompt: { textPrompt: { text: optimizedText(text) } } }));
    ctx.res.end();
  }
}
