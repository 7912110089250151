// Optimize with Bedrock (issue 23, part 2), once for the editor and `prompt-lab optimize --bedrock`:
// OptimizePrompt (bedrock-agent-runtime) rewrites the prompt's template for its target model. The
// template is flattened for it and rebuilt from its answer (src/core/format/promptOptimization.ts); the
// analysis events reach the caller as they arrive. Nothing is written here: the front end shows the
// rebuilt prompt in a diff, with what it reads differently, before it is applied.
import type { PromptAnalysis } from '../core/format/analyze';
import { promptEngine } from '../core/format/loadEngine';
import { optimizerText, rebuiltPrompt, type RebuiltPrompt } from '../core/format/promptOptimization';
import { normalizeModelRef } from '../core/models/modelRef';
import { BedrockError } from '../core/shared/bedrockError';
import type { Host, PromptSource } from './host';

export interface BedrockOptimized {
  targetModelId: string;
  /** The analysis messages, in order. */
  analysis: string[];
  /** The optimizer's text as it came. */
  optimizedText: string;
  rebuilt: RebuiltPrompt;
}

/** The foundation model OptimizePrompt is asked to optimize for: a profile's model, a model id as it is. */
export function optimizationTarget(model: string): string {
  const ref = normalizeModelRef(model);
  if (!ref.baseModelId)
    throw new BedrockError(
      'Validation',
      `OptimizePrompt optimizes for a foundation model, and ${ref.modelId} does not name one: choose the model to optimize for.`,
    );
  return ref.baseModelId;
}

export async function optimizeWithBedrock(
  host: Pick<Host, 'clients' | 'log'>,
  prompt: Pick<PromptSource, 'text' | 'analysis'> & { name: string; analyze: (text: string) => PromptAnalysis },
  opts: { model?: string; signal?: AbortSignal; onAnalysis?: (message: string) => void },
): Promise<BedrockOptimized> {
  if (!prompt.analysis.templateParsed)
    throw new BedrockError('PromptInvalid', `${prompt.name} does not parse: fix it before optimizing it.`);
  const model = opts.model ?? prompt.analysis.model?.modelId;
  if (!model)
    throw new BedrockError('Validation', `${prompt.name} names no model: choose the model to optimize it for.`);
  const targetModelId = optimizationTarget(model);
  const asIs = promptEngine().promptTextForRun(prompt.text);
  const text = optimizerText(asIs);
  if (!text) throw new BedrockError('Validation', `${prompt.name} has no template to optimize.`);
  host.log.info(`OptimizePrompt: ${prompt.name} for ${targetModelId}`);
  const out = await host.clients().prompts.optimize(text, targetModelId, opts.signal);
  const analysis: string[] = [];
  let optimizedText: string | undefined;
  for await (const event of out.optimizedPrompt ?? []) {
    if (event.analyzePromptEvent?.message) {
      analysis.push(event.analyzePromptEvent.message);
      opts.onAnalysis?.(event.analyzePromptEvent.message);
    }
    const optimized = event.optimizedPromptEvent?.optimizedPrompt?.textPrompt?.text;
    // Each event holds a whole optimized prompt: the last one counts.
    if (optimized !== undefined) optimizedText = optimized;
  }
  if (optimizedText === undefined || !optimizedText.trim())
    throw new BedrockError(
      'ModelError',
      `OptimizePrompt ended without an optimized prompt for ${prompt.name}: try again, or another target model.`,
    );
  return {
    targetModelId,
    analysis,
    optimizedText,
    rebuilt: rebuiltPrompt(asIs, optimizedText, prompt.analysis, prompt.analyze),
  };
}
