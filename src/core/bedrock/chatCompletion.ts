// Imported models that Converse does not serve (no chat template imported, or an architecture Converse
// leaves out: Qwen2.5, Qwen2-VL, Qwen2.5-VL, GPT-OSS) take InvokeModel with the OpenAI chat-completion
// body, one of the formats Custom Model Import documents since November 2025. This turns a Converse
// request into that body and its answer back into a Converse response, so runs, Compare, tests and the
// CLI read one shape. The turns stay messages with roles: the service applies the model's own chat
// template, so nothing in a turn's text can become a role or a special token's structure here.
import type { ConverseCommandInput, ConverseCommandOutput, StopReason } from '@aws-sdk/client-bedrock-runtime';
import { BedrockError } from '../shared/bedrockError';

export interface ChatCompletionBody {
  /** `bedrock.additionalModelRequestFields` go into the body as the model's own fields (top_k, say). */
  [field: string]: unknown;
  messages: { role: 'system' | 'user' | 'assistant'; content: string }[];
  max_tokens?: number;
  temperature?: number;
  top_p?: number;
  stop?: string[];
}

/** What an imported model cannot take through InvokeModel's chat body, said with the fix. */
function refuse(what: string): never {
  throw new BedrockError(
    'Validation',
    `This imported model runs through InvokeModel's chat-completion format, which carries text only: ${what}. Remove it from the prompt, or import the model with its chat template (tokenizer_config.json) so that Converse serves it.`,
  );
}

export function chatCompletionBody(input: ConverseCommandInput): ChatCompletionBody {
  if (input.toolConfig) refuse('the prompt declares tools');
  if (input.guardrailConfig) refuse('the prompt names a guardrail (apply it with Check with Guardrail instead)');
  if (input.outputConfig) refuse('the prompt asks for structured output (outputConfig)');
  const text = (blocks: readonly Record<string, unknown>[] | undefined, where: string): string =>
    (blocks ?? [])
      .map((b) => {
        if (typeof b.text === 'string') return b.text;
        if (b.cachePoint) return '';
        return refuse(`${where} holds ${Object.keys(b)[0] ?? 'a block'} content`);
      })
      .join('');
  const system = text(input.system as Record<string, unknown>[] | undefined, 'the system turn');
  const messages: ChatCompletionBody['messages'] = [
    ...(system ? [{ role: 'system' as const, content: system }] : []),
    ...(input.messages ?? []).map((m) => ({
      role: m.role === 'assistant' ? ('assistant' as const) : ('user' as const),
      content: text(m.content as Record<string, unknown>[] | undefined, `a ${m.role ?? 'user'} turn`),
    })),
  ];
  const config = input.inferenceConfig ?? {};
  // The model's own fields first: none of them can replace the messages or the settings named above.
  const extra = Object.fromEntries(
    Object.entries((input.additionalModelRequestFields ?? {}) as Record<string, unknown>).filter(
      ([k]) => k !== 'messages',
    ),
  );
  return {
    ...extra,
    messages,
    ...(config.maxTokens !== undefined ? { max_tokens: config.maxTokens } : {}),
    ...(config.temperature !== undefined ? { temperature: config.temperature } : {}),
    ...(config.topP !== undefined ? { top_p: config.topP } : {}),
    ...(config.stopSequences?.length ? { stop: config.stopSequences } : {}),
  };
}

const STOP_REASONS: Record<string, StopReason> = {
  stop: 'end_turn',
  length: 'max_tokens',
  content_filter: 'content_filtered',
};

/** The chat-completion answer as a Converse response; an answer without a message is an error that says so. */
export function converseOutputOf(body: unknown, latencyMs: number): ConverseCommandOutput {
  const answer = body as {
    choices?: { message?: { content?: unknown }; finish_reason?: string }[];
    usage?: { prompt_tokens?: number; completion_tokens?: number; total_tokens?: number };
  };
  const choice = answer?.choices?.[0];
  if (typeof choice?.message?.content !== 'string')
    throw new BedrockError(
      'Unknown',
      'The imported model answered without a chat-completion message (choices[0].message.content). Check that it was imported with the OpenAI-compatible formats (models imported after 11 November 2025 have them).',
    );
  const input = answer.usage?.prompt_tokens ?? 0;
  const output = answer.usage?.completion_tokens ?? 0;
  return {
    $metadata: {},
    output: { message: { role: 'assistant', content: [{ text: choice.message.content }] } },
    stopReason: STOP_REASONS[choice.finish_reason ?? 'stop'] ?? 'end_turn',
    usage: { inputTokens: input, outputTokens: output, totalTokens: answer.usage?.total_tokens ?? input + output },
    metrics: { latencyMs },
  };
}
