// Deploy as Agent, once for the editor and `prompt-lab agent deploy`: the prompt, rendered with its inputs'
// defaults, becomes an AgentCore harness's configuration (its model and inference settings, system turn,
// `toolDefs` as inline functions, the harness tools and limits in `bedrock.agent`). A prompt without a
// harness creates one (CreateHarness, with the execution role); one with `bedrock.agent.harness` updates it
// (UpdateHarness). Either way it is followed until READY, so the next run meets the new configuration.
import { harnessDefinition, harnessMemoryOf } from '../core/bedrock/harness';
import type { HarnessInfo } from '../core/bedrock/clients';
import { agentSetting, harnessNameFor, type AgentSetting } from '../core/format/agent';
import type { PromptFiles } from '../core/format/render';
import { roleArnProblem } from '../core/shared/arn';
import { BedrockError } from '../core/shared/bedrockError';
import { wait } from '../core/shared/wait';
import { datasetEngine } from '../core/engines/loadDatasetEngine';
import type { Host } from './host';
import { compilePromptText } from './runPrompt';

export interface DeployOptions {
  /** The prompt file's name, for the harness's name when `bedrock.agent.name` is not set. */
  fileName: string;
  /** The IAM role the harness assumes (needed to create one; an update keeps the harness's own). */
  roleArn?: string;
  signal: AbortSignal;
  onStatus?: (status: string) => void;
  pollMs?: number;
}

export interface Deployed {
  harness: HarnessInfo;
  created: boolean;
  /** The inputs whose default values the harness's system prompt now holds, named for the user. */
  renderedWith: string[];
  /** What the prompt has that a harness's configuration cannot hold, said before anyone relies on it. */
  leftOut: string[];
}

/** The harness id inside a harness ARN (`…:harness/<id>`). */
function harnessIdOf(arn: string): string {
  return arn.slice(arn.lastIndexOf('/') + 1);
}

export async function deployAsAgent(
  host: Pick<Host, 'clients' | 'log'>,
  text: string,
  files: PromptFiles,
  opts: DeployOptions,
): Promise<Deployed> {
  // A harness does not retrieve for the prompt: the passages would be frozen into its system turn.
  const render = await compilePromptText(text, files, async () => {
    throw new BedrockError(
      'PromptInvalid',
      'An agent does not retrieve from `bedrock.knowledgeBase` before each answer: remove the key before deploying, and give the harness the knowledge base as a tool (an AgentCore gateway in `bedrock.agent.tools`).',
    );
  });
  const rendered = await render({});
  const setting: AgentSetting = rendered.agent ?? agentSetting({ 'bedrock.agent': {} })!;
  if (setting.agentId)
    throw new BedrockError(
      'PromptInvalid',
      'This prompt runs on a Bedrock agent (classic): Deploy as Agent makes AgentCore harnesses, their successor. Remove `agentId` and `aliasId` to deploy this prompt as a harness.',
    );
  if (setting.runtime)
    throw new BedrockError(
      'PromptInvalid',
      'This prompt runs on an agent runtime (`bedrock.agent.runtime`): a runtime is your own code, deployed with the AgentCore tools. Deploy as Agent makes harnesses: remove `runtime:` to deploy this prompt as one.',
    );
  const memory = harnessMemoryOf(setting.memory);
  const definition = harnessDefinition(rendered.request, setting);
  const systemText = (definition.systemPrompt ?? []).map((b) => b.text ?? '').join('\n');
  const renderedWith = Object.entries(rendered.input)
    .filter(
      ([, v]) => (typeof v === 'string' || typeof v === 'number') && String(v) !== '' && systemText.includes(String(v)),
    )
    .map(([k]) => k);
  // A harness holds a system prompt, not turns: example turns before the question only go with a run of
  // this prompt, never with an invocation from elsewhere.
  const examples = Math.max(0, (rendered.request.messages ?? []).length - 1);
  const leftOut = examples
    ? [
        `the ${examples} turn(s) before the last user turn (examples): a harness holds a system prompt, not turns, so they go with runs of this prompt only; move what they teach into the system turn`,
      ]
    : [];
  // A harness's configuration is stored in AWS, like an upload: nothing goes with a secret in it.
  const secret = (await datasetEngine().scanSecretsDeep(JSON.stringify(definition), opts.fileName, 1))[0];
  if (secret)
    throw new BedrockError(
      'Validation',
      `Not deployed: a secret (${secret.kind}) is in what the harness would keep (its system prompt, tools or settings). Remove it from ${opts.fileName}, then deploy again.`,
    );
  const agents = host.clients().agents;
  let harness: HarnessInfo;
  let created = false;
  if (setting.harness) {
    host.log.info(`update harness ${setting.harness}`);
    // UpdateHarness wraps the memory (its `optionalValue`; null would clear it): only a memory named is sent.
    harness = await agents.updateHarness({
      harnessId: harnessIdOf(setting.harness),
      ...definition,
      ...(memory ? { memory: { optionalValue: memory } } : {}),
    });
  } else {
    const roleArn = opts.roleArn?.trim();
    if (!roleArn || roleArnProblem(roleArn))
      throw new BedrockError(
        'PromptInvalid',
        `Creating a harness needs the IAM role it assumes (${roleArnProblem(roleArn ?? '') ?? 'arn:aws:iam::<account>:role/<name>'}), with permission to invoke the prompt's model: set bedrockPromptLab.agent.roleArn, or pass --role.`,
      );
    const harnessName = setting.name ?? harnessNameFor(opts.fileName);
    host.log.info(`create harness ${harnessName}`);
    harness = await agents.createHarness({
      harnessName,
      executionRoleArn: roleArn,
      ...definition,
      ...(memory ? { memory } : {}),
    });
    created = true;
  }
  opts.onStatus?.(harness.status);
  while (harness.status === 'CREATING' || harness.status === 'UPDATING') {
    await wait(opts.pollMs ?? 2000, opts.signal);
    if (opts.signal.aborted)
      throw new BedrockError(
        'Cancelled',
        `Stopped waiting for ${harness.name}: it is still ${harness.status.toLowerCase()} (the service carries on).`,
      );
    harness = await agents.getHarness(harness.id || harnessIdOf(harness.arn));
    opts.onStatus?.(harness.status);
  }
  if (harness.status !== 'READY')
    throw new BedrockError(
      'Unknown',
      `The harness ${harness.name} is ${harness.status}${harness.failureReason ? `: ${harness.failureReason}` : ''}.`,
    );
  return { harness, created, renderedWith, leftOut };
}
