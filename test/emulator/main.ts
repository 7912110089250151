// `npm run emulator`: the local Bedrock-compatible server as a process.
// Options: --port N (default 8787), --token-delay MS, --first-token-delay MS, --verbose.
import { startEmulator } from './server';

function flag(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

async function main(): Promise<void> {
  const emulator = await startEmulator({
    port: Number(flag('--port') ?? process.env.EMULATOR_PORT ?? 8787),
    tokenDelayMs: Number(flag('--token-delay') ?? 0),
    firstTokenDelayMs: Number(flag('--first-token-delay') ?? 0),
    verbose: process.argv.includes('--verbose'),
  });
  process.stdout.write(`Bedrock emulator listening on ${emulator.url}\n`);
  process.stdout.write(
    `Point the AWS SDK at it: export AWS_ENDPOINT_URL=${emulator.url} AWS_ACCESS_KEY_ID=local AWS_SECRET_ACCESS_KEY=local AWS_REGION=us-east-1\n`,
  );
  const shutdown = () => void emulator.stop().then(() => process.exit(0));
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);
}

main().catch((err: unknown) => {
  process.stderr.write(`emulator failed to start: ${String(err)}\n`);
  process.exit(1);
});
