// `prompt-lab cases generate <prompt>`: a model proposes new test cases (app/generateCases.ts, the same use
// case as the editor's Generate Test Cases…). They are printed for review; `--write` appends them to the
// prompt's `.tests.yaml` (created when missing), comments and existing cases kept.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { stringify } from 'yaml';
import type { Host } from '../app/host';
import { generateCases } from '../app/generateCases';
import { formatUsd } from '../core/shared/money';
import { writeFileAtomically } from '../core/shared/atomicWrite';
import { EXIT } from './exitCodes';
import { loadPrompt } from './runCommand';

export async function casesGenerate(
  host: Host,
  file: string,
  opts: { model: string; count?: number; write?: boolean; json?: boolean; quiet?: boolean },
  signal: AbortSignal,
): Promise<number> {
  const prompt = await loadPrompt(file);
  const testsPath = prompt.promptPath.replace(/\.prompt$/i, '.tests.yaml');
  const testsText = await fs.readFile(testsPath, 'utf8').catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT') return undefined;
    throw err;
  });
  const generated = await generateCases(host, { ...prompt, name: path.basename(prompt.promptPath) }, testsText, {
    model: opts.model,
    count: opts.count ?? 5,
    signal,
  });
  if (opts.write) await writeFileAtomically(testsPath, generated.text);
  if (opts.json)
    process.stdout.write(`${JSON.stringify({ ...generated, testsFile: testsPath, written: !!opts.write }, null, 2)}\n`);
  else process.stdout.write(stringify({ cases: generated.cases }, { lineWidth: 0 }));
  if (!opts.quiet && !opts.json) {
    for (const d of generated.dropped) process.stderr.write(`dropped: ${d}\n`);
    process.stderr.write(
      `${generated.cases.length} case(s) proposed${generated.costUsd !== undefined ? ` · ~${formatUsd(generated.costUsd)}` : ''}; ${opts.write ? `appended to ${path.relative(process.cwd(), testsPath) || testsPath}` : 'review them, then --write appends them to the tests file'}\n`,
    );
  }
  return EXIT.ok;
}
