// Child process of the evaluation benchmark: runs the prompt-lab bundle's main() in this process and prints
// its peak resident memory (getrusage's maxRSS) on stderr as it exits, so the figure is the CLI's own.
import path from 'node:path';

const cli = require(path.resolve(__dirname, '..', '..', 'dist', 'cli.js')) as { main(argv: string[]): Promise<number> };
process.on('exit', () => process.stderr.write(`peak-rss-kb=${process.resourceUsage().maxRSS}\n`));
void cli.main([process.argv[0], 'prompt-lab', ...process.argv.slice(2)]).then((code) => {
  process.exitCode = code;
});
