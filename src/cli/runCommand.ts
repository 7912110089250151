// `prompt-lab run <file.prompt>`: the editor's Run, in a terminal. The answer streams to stdout as it
// arrives, the metrics line goes to stderr; `--json` prints one result object instead. The prompt file
// is not changed (the editor appends the answer; a script reads stdout).
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { metricsLine, compilePromptText, requestFor, runResult, streamPrompt, type RunResult } from '../app/runPrompt';
import { BedrockError } from '../core/shared/bedrockError';
import { decodeText } from '../core/io/readText';
import { inputTypeProblems, missingVariables, parseInputText, requireNoErrors } from '../core/format/inputs';
import type { DeclaredInput } from '../core/format/analyze';
import { promptEngine } from '../core/format/loadEngine';
import { confinedPromptFiles, diskAnalysisContext, isInside } from '../core/io/promptFiles';
import type { ConverseRequest, RenderResult } from '../core/format/render';
import { EXIT } from './exitCodes';
import { citationLines } from '../core/bedrock/citations';
import { retrievalLines } from '../core/bedrock/passages';
import { agentRunLines } from '../core/format/agent';
import { reportLines } from '../core/bedrock/guardrails';
import { withTierChoice, type LatencyName, type ServiceTierName } from '../core/bedrock/serviceTiers';
import type { Host, PromptSource } from '../app/host';
import { retrieverFor, type Retriever } from '../app/retrieval';

export interface RunCommandOptions {
  input: string[];
  inputs?: string;
  /** Input values as an object (the MCP server's tools), checked like --inputs. */
  values?: Record<string, unknown>;
  model?: string;
  /** The service tier and latency to ask for, over the file's. */
  serviceTier?: ServiceTierName;
  latency?: LatencyName;
  json?: boolean;
  quiet?: boolean;
}

/** The folder media and partials must stay in: the working directory when the prompt is inside it, else the prompt's own. */
export function cliRoot(promptPath: string, cwd = process.cwd()): string {
  return isInside(cwd, promptPath) ? cwd : path.dirname(promptPath);
}

async function readPrompt(file: string): Promise<string> {
  let bytes: Uint8Array;
  try {
    bytes = await fs.readFile(file);
  } catch (err) {
    const code = (err as { code?: string }).code;
    throw new BedrockError(
      'PromptInvalid',
      code === 'ENOENT'
        ? `${file} does not exist: give the path of a .prompt file.`
        : `${file} cannot be read (${code ?? String(err)}).`,
    );
  }
  try {
    return decodeText(bytes);
  } catch (err) {
    throw new BedrockError('PromptInvalid', `${file}: ${(err as Error).message}`);
  }
}

/** The values from --inputs (a JSON object) and --input name=value (read by each input's declared type). */
async function inputValues(
  opts: RunCommandOptions,
  declared: (name: string) => DeclaredInput | undefined,
): Promise<Record<string, unknown>> {
  const entries: [string, unknown][] = [];
  if (opts.inputs) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(decodeText(await fs.readFile(opts.inputs)));
    } catch (err) {
      throw new BedrockError(
        'PromptInvalid',
        `--inputs ${opts.inputs}: ${(err as Error).message}. Give a JSON object of input values.`,
      );
    }
    if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed))
      throw new BedrockError('PromptInvalid', `--inputs ${opts.inputs} must hold a JSON object of input values.`);
    entries.push(...Object.entries(parsed));
  }
  if (opts.values) entries.push(...Object.entries(opts.values));
  for (const pair of opts.input) {
    const eq = pair.indexOf('=');
    if (eq <= 0) throw new BedrockError('PromptInvalid', `--input ${pair}: write it as name=value.`);
    const name = pair.slice(0, eq);
    const { value, problem } = parseInputText(declared(name), pair.slice(eq + 1));
    if (problem) throw new BedrockError('PromptInvalid', `--input ${name}: ${problem}`);
    entries.push([name, value]);
  }
  // Own properties only, whatever the names (render refuses prototype keys in the values).
  return Object.fromEntries(entries);
}

/** A prompt file read from disk and analysed as the editor would, its media and partials confined (cliRoot). */
export async function loadPrompt(file: string): Promise<PromptSource & { promptPath: string }> {
  const promptPath = path.resolve(file);
  const root = cliRoot(promptPath);
  const text = await readPrompt(promptPath);
  const analysis = promptEngine().analyzePrompt(text, diskAnalysisContext(promptPath, root));
  return { promptPath, text, analysis, files: confinedPromptFiles(promptPath, root) };
}

export interface PreparedRun {
  promptPath: string;
  rendered: RenderResult;
  request: ConverseRequest;
}

/** The prompt read, checked, given its inputs and rendered for the model: what run and estimate send. */
export async function prepareRun(file: string, opts: RunCommandOptions, retrieve: Retriever): Promise<PreparedRun> {
  const { promptPath, text, analysis, files } = await loadPrompt(file);
  requireNoErrors(analysis);
  const input = await inputValues(opts, (name) => analysis.declaredInputs.get(name));
  const missing = missingVariables(analysis, input);
  if (missing.length > 0)
    throw new BedrockError(
      'PromptInvalid',
      `No value for ${missing.map((n) => `{{${n}}}`).join(', ')}: pass ${missing.map((n) => `--input ${n}=…`).join(' ')} (or --inputs values.json).`,
    );
  const typeProblems = inputTypeProblems(analysis, input);
  if (typeProblems.length > 0) throw new BedrockError('PromptInvalid', `${typeProblems.join('; ')}.`);
  const render = await compilePromptText(text, files, retrieve);
  const rendered = await render(input);
  const tier = { serviceTier: opts.serviceTier, latency: opts.latency };
  return { promptPath, rendered, request: withTierChoice(requestFor(rendered, opts.model), tier) };
}

export async function runCommand(
  host: Host,
  file: string,
  opts: RunCommandOptions,
  signal: AbortSignal,
): Promise<number> {
  const { promptPath, rendered, request } = await prepareRun(file, opts, retrieverFor(host));
  const abort = new AbortController();
  signal.addEventListener('abort', () => abort.abort(), { once: true });
  let wroteText = false;
  let endsWithNewline = true;
  const outcome = await streamPrompt(host, request, {
    streamed: true,
    signal: abort.signal,
    abort: () => abort.abort(),
    errorContext: { operation: `run ${request.modelId}`, modelId: request.modelId },
    label: path.relative(process.cwd(), promptPath) || promptPath,
    target: rendered,
    onText: opts.json
      ? undefined
      : (t) => {
          if (t.length === 0) return;
          process.stdout.write(t);
          wroteText = true;
          endsWithNewline = t.endsWith('\n');
        },
  });
  const result: RunResult = runResult(host, request, outcome, outcome.streamed, rendered);
  if (opts.json) process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  else if (wroteText && !endsWithNewline) process.stdout.write('\n');
  if (!opts.quiet && !opts.json && result.guardrail)
    process.stderr.write(`guardrail: ${reportLines(result.guardrail).join('\n  ')}\n`);
  if (!opts.quiet && !opts.json && result.retrieval)
    process.stderr.write(`retrieved:\n${retrievalLines(result.retrieval).join('\n')}\n`);
  if (!opts.quiet && !opts.json && result.agent)
    process.stderr.write(`agent:\n${agentRunLines(result.agent).join('\n')}\n`);
  if (!opts.quiet && !opts.json && result.citations?.length)
    process.stderr.write(`sources:\n${citationLines(result.citations).join('\n')}\n`);
  if (!opts.quiet) process.stderr.write(`${metricsLine(result)}\n`);
  if (outcome.status === 'stopped') return EXIT.interrupted;
  if (outcome.error) throw outcome.error;
  return EXIT.ok;
}
