// `prompt-lab optimize <prompt> -m <model>`: rewrites of the prompt's template scored against its tests
// (app/optimizeAgainstTests.ts, the same use case as the editor's Optimize Against Tests…). Each round's
// scores and cost go to stderr as they finish; the winner is printed as a unified diff against the file,
// and `--write` writes it (temporary name, then rename). Ctrl+C stops and keeps the best so far.
import { existsSync, promises as fs } from 'node:fs';
import path from 'node:path';
import { createTwoFilesPatch } from 'diff';
import type { Host } from '../app/host';
import { optimizeAgainstTests, roundSummary } from '../app/optimizeAgainstTests';
import { optimizeWithBedrock } from '../app/optimizeWithBedrock';
import { promptEngine } from '../core/format/loadEngine';
import { testsPathFor } from '../core/format/testFiles';
import { diskAnalysisContext } from '../core/io/promptFiles';
import { decodeText } from '../core/io/readText';
import { BedrockError } from '../core/shared/bedrockError';
import { writeFileAtomically } from '../core/shared/atomicWrite';
import { EXIT } from './exitCodes';
import { cliRoot, loadPrompt } from './runCommand';

export interface OptimizeCommandOptions {
  model?: string;
  /** OptimizePrompt instead of the local loop. */
  bedrock?: boolean;
  /** With --bedrock: the model to optimize for (default: the prompt's). */
  target?: string;
  rounds: number;
  candidates: number;
  validationSplit: number;
  budget?: number;
  on?: string;
  concurrency: number;
  write?: boolean;
  json?: boolean;
  quiet?: boolean;
}

export async function optimizeCommand(
  host: Host,
  file: string,
  opts: OptimizeCommandOptions,
  signal: AbortSignal,
): Promise<number> {
  if (opts.bedrock) return optimizeWithBedrockCommand(host, file, opts, signal);
  if (!opts.model)
    throw new BedrockError(
      'PromptInvalid',
      'Give the model that proposes the rewrites (-m <model id>), or --bedrock to use Bedrock’s OptimizePrompt.',
    );
  const model = opts.model;
  const prompt = await loadPrompt(file);
  const testsPath = testsPathFor(prompt.promptPath, existsSync);
  const testsText = await fs.readFile(testsPath).then(decodeText, () => undefined);
  if (testsText === undefined)
    throw new BedrockError(
      'PromptInvalid',
      `${path.relative(process.cwd(), testsPath) || testsPath} does not exist: the optimizer scores rewrites against the prompt's test cases. Write some, or run prompt-lab cases generate.`,
    );
  const name = path.basename(prompt.promptPath);
  const root = cliRoot(prompt.promptPath);
  const say = (line: string) => {
    if (!opts.quiet) process.stderr.write(`${line}\n`);
  };
  const result = await optimizeAgainstTests(
    host,
    {
      ...prompt,
      name,
      analyze: (text) => promptEngine().analyzePrompt(text, diskAnalysisContext(prompt.promptPath, root)),
    },
    promptEngine().parseTestFile(testsText),
    {
      model,
      rounds: opts.rounds,
      candidates: opts.candidates,
      validationSplit: opts.validationSplit,
      budgetUsd: opts.budget,
      concurrency: opts.concurrency,
      modelOverride: opts.on,
      signal,
      progress: (message) => say(`… ${message}`),
      onRound: (r) => roundSummary(r).forEach(say),
    },
  );
  const shown = path.relative(process.cwd(), prompt.promptPath) || prompt.promptPath;
  // A rewrite that is worse on the held-out cases is not written, even when asked: it fits the training cases only.
  const written = !!(opts.write && result.best && result.heldOut !== 'worse');
  if (written) await writeFileAtomically(prompt.promptPath, result.best!.text);
  if (opts.json) {
    process.stdout.write(`${JSON.stringify({ prompt: shown, ...result, written }, null, 2)}\n`);
  } else if (result.best) {
    process.stdout.write(
      createTwoFilesPatch(
        shown,
        shown,
        promptEngine().promptTextForRun(prompt.text),
        result.best.text,
        'as it is',
        'best rewrite',
      ),
    );
  }
  say(result.conclusion);
  if (result.best)
    say(
      written
        ? `wrote the best rewrite to ${shown}`
        : opts.write
          ? `not written: the best rewrite is worse than ${shown} on the held-out cases`
          : 'review the diff; --write writes the best rewrite into the prompt',
    );
  return result.ended === 'cancelled' ? EXIT.interrupted : EXIT.ok;
}

/** `prompt-lab optimize <prompt> --bedrock`: OptimizePrompt for the prompt's model (or --target). */
async function optimizeWithBedrockCommand(
  host: Host,
  file: string,
  opts: OptimizeCommandOptions,
  signal: AbortSignal,
): Promise<number> {
  const prompt = await loadPrompt(file);
  const root = cliRoot(prompt.promptPath);
  const shown = path.relative(process.cwd(), prompt.promptPath) || prompt.promptPath;
  const say = (line: string) => {
    if (!opts.quiet) process.stderr.write(`${line}\n`);
  };
  const result = await optimizeWithBedrock(
    host,
    {
      ...prompt,
      name: path.basename(prompt.promptPath),
      analyze: (text) => promptEngine().analyzePrompt(text, diskAnalysisContext(prompt.promptPath, root)),
    },
    { model: opts.target, signal, onAnalysis: (message) => say(`analysis: ${message}`) },
  );
  const { rebuilt } = result;
  // A prompt that does not parse, or reads its inputs differently, is not written: the user weighs it first.
  const written = !!opts.write && !rebuilt.problem && rebuilt.warnings.length === 0;
  if (written) await writeFileAtomically(prompt.promptPath, rebuilt.text);
  if (opts.json) {
    process.stdout.write(`${JSON.stringify({ prompt: shown, ...result, written }, null, 2)}\n`);
  } else {
    process.stdout.write(
      createTwoFilesPatch(
        shown,
        shown,
        promptEngine().promptTextForRun(prompt.text),
        rebuilt.text,
        'as it is',
        `optimized for ${result.targetModelId}`,
      ),
    );
  }
  for (const note of rebuilt.notes) say(`note: ${note}`);
  for (const warning of rebuilt.warnings) say(`warning: ${warning}`);
  if (rebuilt.problem) say(rebuilt.problem);
  say(
    written
      ? `wrote the optimized prompt to ${shown}`
      : opts.write
        ? `not written: ${rebuilt.problem ? 'it does not parse' : 'it reads the inputs differently (see the warnings); edit the prompt by hand from the diff'}`
        : 'review the diff; --write writes the optimized prompt',
  );
  return opts.write && !written ? EXIT.failed : EXIT.ok;
}
