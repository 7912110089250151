// Child process of the CLI benchmark: the plain SDK loop, the same Converse requests `prompt-lab test`
// sends, with the same concurrency, so the difference is the CLI's own work (render, checks, reports).
import { BedrockRuntimeClient, ConverseCommand } from '@aws-sdk/client-bedrock-runtime';

async function main(): Promise<void> {
  const [cases, concurrency] = process.argv.slice(2).map(Number);
  const client = new BedrockRuntimeClient({});
  let next = 0;
  let contained = 0;
  const worker = async () => {
    while (next < cases) {
      const i = next++;
      const out = await client.send(
        new ConverseCommand({
          modelId: 'amazon.nova-micro-v1:0',
          messages: [{ role: 'user', content: [{ text: `Say word${i}` }] }],
        }),
      );
      if ((out.output?.message?.content?.[0]?.text ?? '').includes(`Say word${i}`)) contained++;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  if (contained !== cases) throw new Error(`${contained} of ${cases} answers as expected`);
  client.destroy();
}

main().catch((err: unknown) => {
  process.stderr.write(`${String(err)}\n`);
  process.exit(1);
});
