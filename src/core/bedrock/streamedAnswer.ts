// Answers served behind the Runtime interface by another API (a knowledge base's RetrieveAndGenerateStream,
// an agent's InvokeHarness, InvokeAgentRuntime or InvokeAgent): each maps its events to Converse stream
// events, and this makes that a Runtime, folding the events into a whole answer in Converse's shape when a
// caller asks for Converse rather than ConverseStream (prompt tests, evaluations).
import type { Runtime } from './clients';
import type {
  ConverseCommandInput,
  ContentBlock,
  ConverseCommandOutput,
  ConverseStreamOutput,
  CitationsDelta,
} from '@aws-sdk/client-bedrock-runtime';

/** No events: what a stream the service left out stands for. */
export async function* noEvents<T>(): AsyncIterable<T> {}

/** A Runtime whose Converse and ConverseStream are another API's answer (`start`), the rest `base`'s. */
export function answeredBy(
  base: Runtime,
  start: (input: ConverseCommandInput, signal?: AbortSignal) => Promise<AsyncIterable<ConverseStreamOutput>>,
): Runtime {
  return {
    ...base,
    converseStream: async (input, signal) =>
      ({ stream: await start(input, signal), $metadata: {} }) as Awaited<ReturnType<Runtime['converseStream']>>,
    converse: async (input, signal) => answerOf(await start(input, signal)),
  };
}

export async function answerOf(stream: AsyncIterable<ConverseStreamOutput>): Promise<ConverseCommandOutput> {
  let text = '';
  let reasoning = '';
  const citations: CitationsDelta[] = [];
  const tools = new Map<number, { toolUseId: string; name: string; input: string }>();
  let stopReason: string | undefined;
  let usage: ConverseCommandOutput['usage'];
  let metrics: ConverseCommandOutput['metrics'];
  for await (const ev of stream) {
    const start = ev.contentBlockStart;
    if (start?.start?.toolUse)
      tools.set(start.contentBlockIndex ?? 0, {
        toolUseId: start.start.toolUse.toolUseId ?? '',
        name: start.start.toolUse.name ?? '',
        input: '',
      });
    const delta = ev.contentBlockDelta?.delta;
    if (delta?.text) text += delta.text;
    if (delta?.citation) citations.push(delta.citation);
    if (delta?.reasoningContent?.text) reasoning += delta.reasoningContent.text;
    if (delta?.toolUse) {
      const tool = tools.get(ev.contentBlockDelta?.contentBlockIndex ?? 0);
      if (tool) tool.input += delta.toolUse.input ?? '';
    }
    if (ev.messageStop) stopReason = ev.messageStop.stopReason;
    if (ev.metadata) {
      usage = ev.metadata.usage;
      metrics = ev.metadata.metrics;
    }
  }
  const content: ContentBlock[] = [];
  if (reasoning) content.push({ reasoningContent: { reasoningText: { text: reasoning } } });
  if (citations.length) content.push({ citationsContent: { content: [{ text }], citations: citations as never } });
  else if (text) content.push({ text });
  for (const tool of tools.values()) {
    let input: unknown = {};
    try {
      input = tool.input ? JSON.parse(tool.input) : {};
    } catch {
      input = {};
    }
    content.push({ toolUse: { toolUseId: tool.toolUseId, name: tool.name, input: input as never } });
  }
  return {
    output: { message: { role: 'assistant', content: content.length ? content : [{ text: '' }] } },
    stopReason: (stopReason ?? 'end_turn') as never,
    usage: usage as never,
    metrics: metrics as never,
    $metadata: {},
  };
}
