// `prompt-lab mcp`: the engine as an MCP server on stdio (the official MCP TypeScript SDK), so coding agents
// run, test, check and estimate .prompt files the way the editor and the CLI do. Bundled on its own
// (dist/mcp.js) and loaded only by this command: the SDK and zod cost the other commands nothing.
// stdout is the protocol's: everything else (the host's log) goes to stderr.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import * as z from 'zod';
import { estimatePrompt } from '../app/estimatePrompt';
import type { Host } from '../app/host';
import { retrieverFor } from '../app/retrieval';
import { metricsLine, runResult, streamPrompt } from '../app/runPrompt';
import { BedrockError } from '../core/shared/bedrockError';
import { isInside } from '../core/io/promptFiles';
import { CHECKED_FILES, checkFiles, checkJson, checkText } from './checkCommand';
import { estimateText } from './estimateCommand';
import { filesUnder } from './filesUnder';
import { prepareRun } from './runCommand';
import { runSuite } from './testCommand';
import { prettyCase, summaryLine } from './testReporters';
import { testResult } from '../app/testResult';

export interface McpServerOptions {
  host: Host;
  version: string;
  /** The folder the tools may read: paths outside it are refused. */
  root: string;
  signal: AbortSignal;
}

/** A path an agent gave, resolved against the root and refused when it leads outside it. */
async function inRoot(root: string, given: string): Promise<string> {
  const full = path.resolve(root, given);
  const outside = () =>
    new BedrockError(
      'PromptInvalid',
      `${given} is outside ${root}: the tools read only the folder the server runs in.`,
    );
  if (!isInside(root, full)) throw outside();
  // Links too: a path inside the folder that leads out of it is refused (a missing file is said later).
  const [realRoot, real] = await Promise.all([fs.realpath(root), fs.realpath(full).catch(() => undefined)]);
  if (real && !isInside(realRoot, real)) throw outside();
  return full;
}

const asText = (text: string, structured?: Record<string, unknown>, isError = false): CallToolResult => ({
  content: [{ type: 'text', text }],
  ...(structured ? { structuredContent: structured } : {}),
  ...(isError ? { isError } : {}),
});

/** A tool's failure as the agent reads it: the one-line message that names the fix, in the CLI's words. */
async function answering(work: () => Promise<CallToolResult>): Promise<CallToolResult> {
  try {
    return await work();
  } catch (err) {
    const message = err instanceof BedrockError ? err.message : ((err as Error)?.message ?? String(err));
    return asText(message, undefined, true);
  }
}

const inputsSchema = z
  .record(z.string(), z.unknown())
  .optional()
  .describe('input values by name, read by the types the prompt declares (e.g. {"ticket": "I was charged twice"})');

export function createMcpServer(opts: McpServerOptions): McpServer {
  const { host, root, signal } = opts;
  const server = new McpServer({ name: 'prompt-lab', version: opts.version });

  server.registerTool(
    'run_prompt',
    {
      title: 'Run a .prompt file',
      description:
        'Runs a Dotprompt .prompt file on Amazon Bedrock (Converse) and returns the answer with its usage, cost, latency and, for JSON output, the schema check. The file is not changed.',
      inputSchema: {
        file: z.string().describe('the .prompt file, relative to the working folder'),
        inputs: inputsSchema,
        model: z
          .string()
          .optional()
          .describe("a Bedrock model id or inference profile to run on instead of the file's"),
      },
    },
    ({ file, inputs, model }) =>
      answering(async () => {
        const { promptPath, rendered, request } = await prepareRun(
          await inRoot(root, file),
          { input: [], values: inputs, model },
          retrieverFor(host),
        );
        const abort = new AbortController();
        const onAbort = () => abort.abort();
        signal.addEventListener('abort', onAbort, { once: true });
        try {
          const outcome = await streamPrompt(host, request, {
            streamed: true,
            signal: abort.signal,
            abort: () => abort.abort(),
            errorContext: { operation: `run ${request.modelId}`, modelId: request.modelId },
            label: path.relative(root, promptPath),
            target: rendered,
          });
          const result = runResult(host, request, outcome, outcome.streamed, rendered);
          if (outcome.error) return asText(outcome.error.message, { ...result }, true);
          return asText(`${result.text}\n\n${metricsLine(result)}`, { ...result });
        } finally {
          signal.removeEventListener('abort', onAbort);
        }
      }),
  );

  server.registerTool(
    'test_prompts',
    {
      title: 'Run prompt tests',
      description:
        "Runs the cases of each x.tests.yaml on its x.prompt (assertions and LLM judges) and returns prompt-lab's versioned test result: each case's state, failing assertions, answer, usage, cost and latency.",
      inputSchema: {
        paths: z
          .array(z.string())
          .optional()
          .describe('tests files, prompts or folders, relative to the working folder (default: all of it)'),
        model: z.string().optional().describe("run the cases on this model instead of the file's"),
        grep: z.string().optional().describe('only the cases whose id (tests file#case name) holds this text'),
        repeat: z.number().int().min(1).max(20).optional().describe('run each case this many times'),
      },
    },
    ({ paths, model, grep, repeat }) =>
      answering(async () => {
        const given = await Promise.all((paths ?? []).map((p) => inRoot(root, p)));
        const { done, summary } = await runSuite(
          host,
          given.length > 0 ? given : [root],
          { model, grep, repeat: repeat ?? 1, concurrency: 4 },
          signal,
        );
        const failing = done.filter((c) => c.report.state === 'failed' || c.report.state === 'errored');
        return asText(
          `${failing.map(prettyCase).join('')}${summaryLine(summary)}`,
          testResult(done, summary, opts.version),
          failing.some((c) => c.report.state === 'errored'),
        );
      }),
  );

  server.registerTool(
    'check_prompts',
    {
      title: 'Check .prompt and .tests.yaml files',
      description:
        "The editor's diagnostics for .prompt files, offline: frontmatter keys and types, model capabilities, template variables and helpers, media paths, output schemas; and for .tests.yaml files: their shape, assertions, and the prompt beside them.",
      inputSchema: {
        paths: z
          .array(z.string())
          .optional()
          .describe('.prompt and .tests.yaml files or folders, relative to the working folder (default: all of it)'),
      },
      annotations: { readOnlyHint: true },
    },
    ({ paths }) =>
      answering(async () => {
        const given = await Promise.all((paths ?? []).map((p) => inRoot(root, p)));
        const files = await filesUnder(given.length > 0 ? given : [root], CHECKED_FILES);
        const checked = await checkFiles(files, root);
        // Problems found are the answer, not a failed call.
        return asText(
          checkText(checked) || `${checked.length} files, no problems`,
          checkJson(checked) as Record<string, unknown>,
        );
      }),
  );

  server.registerTool(
    'estimate_prompt',
    {
      title: 'Estimate the cost of a run',
      description:
        'The input tokens (counted by Bedrock CountTokens where the model has it, else estimated) and the cost of one run of a .prompt file, before anything is generated.',
      inputSchema: {
        file: z.string().describe('the .prompt file, relative to the working folder'),
        inputs: inputsSchema,
        model: z.string().optional().describe("estimate for this model instead of the file's"),
        offline: z.boolean().optional().describe('send nothing: estimate the tokens from the characters'),
      },
      annotations: { readOnlyHint: true },
    },
    ({ file, inputs, model, offline }) =>
      answering(async () => {
        const { request } = await prepareRun(
          await inRoot(root, file),
          { input: [], values: inputs, model },
          retrieverFor(host),
        );
        const estimate = await estimatePrompt(host, request, signal, { offline });
        return asText(estimateText(estimate), { ...estimate });
      }),
  );
  return server;
}

/** Serves on stdin/stdout until the client closes the connection (or the signal ends it). */
export async function serveMcp(opts: McpServerOptions): Promise<void> {
  const server = createMcpServer(opts);
  const transport = new StdioServerTransport();
  const closed = new Promise<void>((resolve) => {
    transport.onclose = () => resolve();
    process.stdin.once('end', () => resolve());
    opts.signal.addEventListener('abort', () => resolve(), { once: true });
  });
  await server.connect(transport);
  await closed;
  await server.close();
}
