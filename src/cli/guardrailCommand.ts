// `prompt-lab guardrail check <file>`: a file's text through a guardrail (ApplyGuardrail), as input or as
// output. Prints what the guardrail did; exit 1 when it intervened, so a script can gate on it.
import { promises as fs } from 'node:fs';
import { BedrockError } from '../core/shared/bedrockError';
import { decodeText } from '../core/io/readText';
import { reportLines } from '../core/bedrock/guardrails';
import { checkWithGuardrail } from '../app/checkGuardrail';
import type { Host } from '../app/host';
import { EXIT } from './exitCodes';

export interface GuardrailCheckOptions {
  guardrail?: string;
  guardrailVersion: string;
  source: 'input' | 'output';
  json?: boolean;
}

export async function guardrailCheckCommand(
  host: Host,
  file: string,
  opts: GuardrailCheckOptions,
  signal: AbortSignal,
): Promise<number> {
  const bytes = await fs.readFile(file).catch((err: { code?: string }) => {
    throw new BedrockError(
      'Validation',
      `${file} cannot be read (${err.code ?? String(err)}): give the path of a text file.`,
    );
  });
  const report = await checkWithGuardrail(
    host,
    {
      guardrail: opts.guardrail,
      version: opts.guardrailVersion,
      source: opts.source === 'input' ? 'INPUT' : 'OUTPUT',
      text: decodeText(bytes),
    },
    signal,
  );
  if (opts.json) process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  else {
    process.stdout.write(`${reportLines(report).join('\n')}\n`);
    if (report.outputs?.length) process.stdout.write(`guardrail's text:\n${report.outputs.join('\n')}\n`);
  }
  return report.intervened ? EXIT.failed : EXIT.ok;
}
