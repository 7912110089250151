// A prompt's agent (`bedrock.agent`): what answers it instead of Converse.
// - An AgentCore harness: the prompt maps onto it almost one to one (its model, system turn, `toolDefs` as
//   inline functions, and the harness's own tools named here), so a run tries the file as written
//   (InvokeHarness's per-call overrides) and Deploy as Agent makes it the harness's default.
// - An AgentCore runtime: the user's own agent code; the prompt becomes its payload, and its answer is
//   its own byte stream.
// This layer reads the setting; calling them is src/core/bedrock/harness.ts and agentRuntime.ts.
import { keySpecAt } from './schema';

/** The harness's own tools, run on the harness (the prompt's `toolDefs` are inline functions: run by the caller). */
export type AgentToolSetting =
  | { type: 'remote_mcp'; name: string; url: string }
  | { type: 'agentcore_gateway'; name: string; gatewayArn: string }
  | { type: 'agentcore_code_interpreter'; name?: string }
  | { type: 'agentcore_browser'; name?: string };

export interface AgentSetting {
  /** The harness's ARN (`arn:aws:bedrock-agentcore:<region>:<account>:harness/<name>-<10 chars>`), once deployed. */
  harness?: string;
  /** An agent runtime's ARN (`…:runtime/<name>-<10 chars>`): the user's own agent, invoked with a payload. */
  runtime?: string;
  /** A Bedrock Agent (classic): its id (10 letters and digits)… */
  agentId?: string;
  /** …and the alias to invoke (10 letters and digits, or `TSTALIASID` for the working draft). */
  aliasId?: string;
  /** What a runtime is sent: `prompt` (`{"prompt": <the last user turn>}`, the AgentCore starter's shape) or `converse` (`{"messages", "system"}`). */
  payload?: 'prompt' | 'converse';
  /** The harness's name for Deploy as Agent (letters, digits, underscores; default: the prompt file's name). */
  name?: string;
  /** The endpoint to invoke (`qualifier`); the DEFAULT endpoint without it. */
  qualifier?: string;
  tools?: AgentToolSetting[];
  /** Skills the harness can pull into its context: a path in its environment, an S3 prefix, a Git repository, or AWS skills. */
  skills?: ({ path: string } | { s3: string } | { git: string; path?: string } | { awsSkills: string[] })[];
  /** The harness's memory (set when deploying): `managed` (with its strategies), an AgentCore memory's ARN, or `off`. */
  memory?: 'managed' | 'off' | { managed: string[] } | { arn: string; actorId?: string };
  /** Which tools the agent may call (`allowedTools`: `*`, `@builtin`, `@server/tool`, a name). */
  allowedTools?: string[];
  /** The most model calls one invocation may make (`maxIterations`). */
  maxIterations?: number;
  /** The longest one invocation may run, in seconds (`timeoutSeconds`). */
  timeoutSeconds?: number;
}

/** Whether a `bedrock.agent` field's value has the shape the published schema gives it (its one home). */
function shaped(key: keyof AgentSetting, value: unknown): boolean {
  const pattern = keySpecAt(['bedrock.agent', key])?.schema.pattern;
  return typeof value === 'string' && (pattern === undefined || new RegExp(pattern).test(value));
}

/** The harness name a prompt file deploys as, when `bedrock.agent.name` is not set: its name, made valid. */
export function harnessNameFor(promptFileName: string): string {
  const base = promptFileName
    .replace(/\.prompt$/i, '')
    .replace(/[^a-zA-Z0-9_]+/g, '_')
    .replace(/^_+|_+$/g, '');
  const named = /^[a-zA-Z]/.test(base) ? base : `prompt_${base}`;
  return named.slice(0, 40).replace(/_+$/, '') || 'prompt';
}

/**
 * The frontmatter's `bedrock.agent`, or undefined. The analysis checks every field against the published
 * schema; this checks what a run needs, so a file run without the analysis (a CLI given a broken file)
 * fails with the fix rather than a service error.
 */
export function agentSetting(raw: Record<string, unknown>): AgentSetting | undefined {
  const agent = raw['bedrock.agent'];
  if (agent === undefined || agent === null) return undefined;
  if (typeof agent !== 'object' || Array.isArray(agent))
    throw new Error(
      '`bedrock.agent` must be a map, e.g. `bedrock.agent: {harness: arn:aws:bedrock-agentcore:…:harness/…}` (Deploy as Agent writes it).',
    );
  const setting = agent as AgentSetting;
  if (setting.harness !== undefined && !shaped('harness', setting.harness))
    throw new Error(
      `\`bedrock.agent.harness\` must be a harness ARN (arn:aws:bedrock-agentcore:<region>:<account>:harness/<name>-<id>); got ${JSON.stringify(setting.harness)}. Deploy as Agent writes it.`,
    );
  if (setting.runtime !== undefined && !shaped('runtime', setting.runtime))
    throw new Error(
      `\`bedrock.agent.runtime\` must be an agent runtime ARN (arn:aws:bedrock-agentcore:<region>:<account>:runtime/<name>-<id>); got ${JSON.stringify(setting.runtime)}. The Agents view's Use in Prompt writes it.`,
    );
  const named = [
    setting.harness !== undefined && 'a harness',
    setting.runtime !== undefined && 'a runtime',
    (setting.agentId !== undefined || setting.aliasId !== undefined) && 'a Bedrock agent (classic)',
  ].filter(Boolean);
  if (named.length > 1)
    throw new Error(`\`bedrock.agent\` names ${named.join(' and ')}: keep the one that should answer this prompt.`);
  if ((setting.agentId !== undefined) !== (setting.aliasId !== undefined))
    throw new Error(
      "`bedrock.agent` needs `agentId` and `aliasId` together for a Bedrock agent (classic): the Agents view's Use in Prompt on an alias writes both.",
    );
  if (setting.agentId !== undefined && !shaped('agentId', setting.agentId))
    throw new Error(`\`bedrock.agent.agentId\` must be 10 letters and digits; got ${JSON.stringify(setting.agentId)}.`);
  if (setting.aliasId !== undefined && !shaped('aliasId', setting.aliasId))
    throw new Error(
      `\`bedrock.agent.aliasId\` must be 10 letters and digits (or TSTALIASID, the working draft); got ${JSON.stringify(setting.aliasId)}.`,
    );
  if (setting.name !== undefined && !shaped('name', setting.name))
    throw new Error(
      `\`bedrock.agent.name\` must start with a letter and hold only letters, digits and underscores (at most 40); got ${JSON.stringify(setting.name)}.`,
    );
  return setting;
}

/** The setting when it is usable, else undefined (the schema's diagnostics say what is wrong). */
export function agentSettingOrNone(raw: Record<string, unknown>): AgentSetting | undefined {
  try {
    return agentSetting(raw);
  } catch {
    return undefined;
  }
}

/** A step's input or result as the run keeps it: enough to recognise it, not the whole payload. */
export function stepText(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > STEP_TEXT_LIMIT ? `${flat.slice(0, STEP_TEXT_LIMIT)}…` : flat;
}

const STEP_TEXT_LIMIT = 300;

/** One tool call the agent made on its own side (a harness tool), as the run shows and keeps it. */
export interface AgentStep {
  tool: string;
  /** `server_tool_use` (a built-in or AgentCore tool) or `mcp_tool_use` (an MCP server's, named in `server`). */
  type: string;
  server?: string;
  input: string;
  status?: 'success' | 'error';
  /** The tool's result as text, cut to a few hundred characters. */
  result?: string;
}

/** What an agent run did besides its answer: kept with the run (its record, the file's comment, assertions). */
export interface AgentRun {
  kind: 'harness' | 'runtime' | 'classic';
  /** The harness's or runtime's ARN, or a classic agent's `<agentId>/<aliasId>`. */
  agent: string;
  /** The agent's session (`runtimeSessionId`): Continue carries it on. */
  sessionId: string;
  /** Every tool the agent called, in order: its own steps and the calls it returned to the caller. */
  toolCalls: string[];
  steps: AgentStep[];
  /** The harness's own stop reason, when it says more than Converse's (`max_iterations_exceeded`, …). */
  stopReason?: string;
  /** A runtime's trace (X-Ray), where its steps are: a runtime reports none in its answer. */
  trace?: { id: string; url: string };
  /** What the run could not give the agent (a new session that got the last turn only). */
  note?: string;
}

/** The lines that describe an agent run after its answer (an inert comment in the file, the CLI's stderr). */
export function agentRunLines(run: AgentRun): string[] {
  const lines = [
    `${run.kind === 'classic' ? 'Bedrock agent (classic)' : run.kind} ${run.agent}, session ${run.sessionId}`,
  ];
  let n = 0;
  run.steps.forEach((s) => {
    if (s.type === 'rationale') {
      lines.push(`thought: ${s.input}`);
      return;
    }
    const i = n++;
    const where = s.server && s.server !== s.tool ? ` (${s.server})` : '';
    const result = s.result !== undefined ? ` → ${s.status ?? 'success'}: ${s.result}` : '';
    lines.push(`step ${i + 1}: ${s.tool}${where} ${s.input}${result}`);
  });
  if (run.stopReason) lines.push(`stopped: ${run.stopReason}`);
  if (run.note) lines.push(`note: ${run.note}`);
  if (run.kind === 'runtime')
    lines.push(
      run.trace
        ? `no steps in the answer: the runtime sends its trace to CloudWatch (trace ${run.trace.id}: ${run.trace.url})`
        : 'no steps in the answer: the runtime sends its trace to CloudWatch, and gave no trace id',
    );
  return lines;
}
