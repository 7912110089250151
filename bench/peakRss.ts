// Child process of the evaluation benchmark: runs the prompt-lab bundle's main() in this process and prints
// its peak resident memory (getrusage's maxRSS) on stderr as it exits, so the figure is the CLI's own.
import path from 'node:path';

async function run(): Promise<void> {
  const cli = (await import(path.resolve(__dirname, '..', '..', 'dist', 'cli.js'))) as {
    main(argv: string[]): Promise<number>;
  };
  process.on('exit', () => process.stderr.write(`peak-rss-kb=${process.resourceUsage().maxRSS}\n`));
  process.exitCode = await cli.main([process.argv[0], 'prompt-lab', ...process.argv.slice(2)]);
}

void run();
