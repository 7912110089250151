// Child process of the evaluation benchmark: the plain SDK loop making the calls `prompt-lab eval` makes for
// the same plan (each case on each model through ConverseStream, read to the end, then one judge call
// through Converse), with the same concurrency; prints its peak resident memory like bench/peakRss.ts.
import { BedrockRuntimeClient, ConverseCommand, ConverseStreamCommand } from '@aws-sdk/client-bedrock-runtime';

async function main(): Promise<void> {
  const [cases, concurrency, judge, ...models] = process.argv.slice(2);
  const client = new BedrockRuntimeClient({});
  const work = models.flatMap((model) => Array.from({ length: Number(cases) }, (_, i) => ({ model, i })));
  let next = 0;
  let answered = 0;
  const worker = async () => {
    while (next < work.length) {
      const { model, i } = work[next++];
      const out = await client.send(
        new ConverseStreamCommand({
          modelId: model,
          messages: [{ role: 'user', content: [{ text: `Say word${i}` }] }],
        }),
      );
      let text = '';
      for await (const e of out.stream ?? []) text += e.contentBlockDelta?.delta?.text ?? '';
      await client.send(
        new ConverseCommand({
          modelId: judge,
          messages: [{ role: 'user', content: [{ text: `Grade: mentions word${i}?\n${text}` }] }],
        }),
      );
      if (text.includes(`word${i}`)) answered++;
    }
  };
  await Promise.all(Array.from({ length: Number(concurrency) }, worker));
  if (answered !== work.length) throw new Error(`${answered} of ${work.length} answers as expected`);
  client.destroy();
  process.stderr.write(`peak-rss-kb=${process.resourceUsage().maxRSS}\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(`${String(err)}\n`);
  process.exit(1);
});
