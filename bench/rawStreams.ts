// The baseline of the in-VS-Code streaming benchmarks: the raw SDK consuming the same streams, all at
// once, in the same extension host. Returns the wall time in ms.
import { performance } from 'node:perf_hooks';

export async function rawSdkStreams(
  modelIds: string[],
  tokens: number,
  prompt = `[[tokens=${tokens}]]`,
): Promise<number> {
  // Required here (not imported): the probe runs in the extension host and loads the SDK itself.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const sdk = require('@aws-sdk/client-bedrock-runtime') as typeof import('@aws-sdk/client-bedrock-runtime');
  const client = new sdk.BedrockRuntimeClient({});
  const started = performance.now();
  await Promise.all(
    modelIds.map(async (modelId) => {
      const out = await client.send(
        new sdk.ConverseStreamCommand({
          modelId,
          messages: [{ role: 'user', content: [{ text: prompt }] }],
          inferenceConfig: { maxTokens: tokens + 10 },
        }),
      );
      let chars = 0;
      for await (const ev of out.stream ?? []) chars += ev.contentBlockDelta?.delta?.text?.length ?? 0;
      if (chars === 0) throw new Error(`raw loop got no text from ${modelId}`);
    }),
  );
  const ms = performance.now() - started;
  client.destroy();
  return ms;
}
