// The Agents view's actions and Deploy as Agent: the prompt being edited becomes an AgentCore harness's
// configuration (app/deployAgent.ts, the same use case as `prompt-lab agent deploy`), and a new harness's
// ARN goes into its frontmatter, so the next Run talks to the agent. AgentCore takes AWS credentials only.
import path from 'node:path';
import vscode = require('vscode');
import { deployAsAgent, type Deployed } from '../../app/deployAgent';
import { toBedrockError } from '../../core/bedrock/errors';
import { roleArnProblem } from '../../core/shared/arn';
import { agentSettingOrNone } from '../../core/format/agent';
import { BedrockError } from '../../core/shared/bedrockError';
import type { Services } from '../services';
import { CLASSIC_NOTE, type AgentNode } from '../views/agentsTree';
import { ask } from '../host/inputBox';
import { currentPromptEditor } from '../host/promptEditor';
import { promptFilesFor } from '../host/promptFiles';
import { requireTrust } from '../host/trust';
import { setAgentInPrompt } from '../language/setModel';

export type AgentServices = Pick<Services, 'session' | 'agents' | 'logger' | 'analyses'>;

export interface DeployAsAgentOptions {
  /** The execution role of a new harness; else the setting, else asked for. */
  roleArn?: string;
  pollMs?: number;
}

/** Deploy as Agent: creates the prompt's harness, or updates the one `bedrock.agent.harness` names, and waits until it is ready. */
export async function deployAsAgentCommand(
  s: AgentServices,
  opts: DeployAsAgentOptions = {},
): Promise<Deployed | undefined> {
  const editor = currentPromptEditor('Deploy as Agent deploys the prompt you are editing');
  requireTrust('Deploying a prompt as an agent');
  const doc = editor.document;
  const text = doc.getText();
  const names = agentSettingOrNone(s.analyses.get(doc).frontmatter)?.harness !== undefined;
  let roleArn = opts.roleArn ?? vscode.workspace.getConfiguration('bedrockPromptLab').get<string>('agent.roleArn', '');
  if (!names && !roleArn.trim())
    roleArn = await ask(undefined, {
      title: 'The IAM role the new harness assumes',
      prompt:
        "It needs permission to invoke the prompt's model (and its tools). Set bedrockPromptLab.agent.roleArn to skip this.",
      placeHolder: 'arn:aws:iam::123456789012:role/AgentCoreHarness',
      validateInput: (v) => (roleArnProblem(v) ? `An IAM role ARN: ${roleArnProblem(v)}` : undefined),
    });
  const name = path.basename(doc.uri.fsPath);
  const deployed = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `Deploying ${name} as an agent`, cancellable: true },
    async (progress, token) => {
      const controller = new AbortController();
      token.onCancellationRequested(() => controller.abort());
      try {
        return await deployAsAgent(
          { clients: () => s.session.clients(), log: s.logger },
          text,
          promptFilesFor(doc.uri),
          {
            fileName: name,
            roleArn,
            signal: controller.signal,
            pollMs: opts.pollMs,
            onStatus: (status) =>
              progress.report({ message: `the harness is ${status.toLowerCase().replace(/_/g, ' ')}` }),
          },
        );
      } catch (err) {
        if (err instanceof BedrockError) throw err;
        throw toBedrockError(err, { operation: `deploy ${name} as an agent`, profile: s.session.profile });
      }
    },
  );
  if (deployed.created) await setAgentInPrompt(editor, { harness: deployed.harness.arn });
  void s.agents.refresh();
  const held = deployed.renderedWith.length
    ? ` Its system prompt holds the default values of ${deployed.renderedWith.join(', ')}.`
    : '';
  const left = deployed.leftOut.length ? ` Not deployed: ${deployed.leftOut.join('; ')}.` : '';
  const message = `${deployed.created ? 'Created' : 'Updated'} the harness ${deployed.harness.name} (version ${deployed.harness.version ?? '?'}): runs of this prompt go to it.${held}${left}`;
  if (left) void vscode.window.showWarningMessage(message);
  else void vscode.window.showInformationMessage(message);
  return deployed;
}

async function pickAgent(s: AgentServices): Promise<AgentNode | undefined> {
  if (!s.agents.current.length && !s.agents.currentRuntimes.length && !s.agents.currentClassic.length)
    await s.agents.refresh();
  const choices = [
    ...s.agents.current.map((h) => ({
      label: h.name,
      description: `harness · ${h.status.toLowerCase()}`,
      node: { kind: 'harness', harness: h } as AgentNode,
    })),
    ...s.agents.currentRuntimes.map((r) => ({
      label: r.name,
      description: `runtime · ${r.status.toLowerCase()}`,
      node: { kind: 'runtime', runtime: r } as AgentNode,
    })),
    ...s.agents.currentClassic.flatMap((a) =>
      a.aliases.map((alias) => ({
        label: `${a.name} · ${alias.name}`,
        description: 'Bedrock agent (classic) · closed to new customers',
        node: { kind: 'alias', agent: a, alias } as AgentNode,
      })),
    ),
  ];
  if (choices.length === 0)
    throw new BedrockError('Validation', s.agents.view.message ?? 'No agents: Deploy as Agent creates a harness.');
  return (await vscode.window.showQuickPick(choices, { title: 'Agent' }))?.node;
}

/** What the prompt's `bedrock.agent` says for an agent of the view, and its name for messages. */
function agentOf(node: Exclude<AgentNode, { kind: 'classic' }>): {
  setting: Parameters<typeof setAgentInPrompt>[1];
  name: string;
  id: string;
} {
  switch (node.kind) {
    case 'harness':
      return { setting: { harness: node.harness.arn }, name: node.harness.name, id: node.harness.arn };
    case 'runtime':
      return { setting: { runtime: node.runtime.arn }, name: node.runtime.name, id: node.runtime.arn };
    case 'endpoint':
      return {
        setting: { runtime: node.runtime.arn, qualifier: node.endpoint.name },
        name: `${node.runtime.name} (${node.endpoint.name})`,
        id: node.runtime.arn,
      };
    case 'alias':
      return {
        setting: { agentId: node.agent.id, aliasId: node.alias.id },
        name: `${node.agent.name} (${node.alias.name})`,
        id: `${node.agent.id}/${node.alias.id}`,
      };
  }
}

/**
 * Use in Prompt: the open prompt is answered by this agent (`bedrock.agent`: a harness, a runtime with
 * its endpoint as the qualifier, or a classic agent's alias).
 */
export async function useAgentInPrompt(s: AgentServices, node?: AgentNode): Promise<string | undefined> {
  const chosen = node ?? (await pickAgent(s));
  if (!chosen) return undefined;
  if (chosen.kind === 'classic')
    throw new BedrockError(
      'Validation',
      `Choose one of ${chosen.agent.name}'s aliases: a Bedrock agent is invoked through an alias.`,
    );
  const editor = currentPromptEditor('the agent is set in the prompt you are editing');
  const { setting, name, id } = agentOf(chosen);
  await setAgentInPrompt(editor, setting);
  if (chosen.kind === 'alias')
    void vscode.window.showInformationMessage(`${name} answers this prompt. ${CLASSIC_NOTE}`);
  else void vscode.window.setStatusBarMessage(`${name} answers this prompt: Run sends it to the agent.`, 6000);
  return id;
}

export async function copyAgentArn(node: AgentNode): Promise<string> {
  const arn =
    node.kind === 'harness'
      ? node.harness.arn
      : node.kind === 'runtime'
        ? node.runtime.arn
        : node.kind === 'endpoint'
          ? node.endpoint.arn
          : node.kind === 'classic'
            ? node.agent.id
            : node.alias.id;
  await vscode.env.clipboard.writeText(arn);
  void vscode.window.setStatusBarMessage(`Copied ${arn}`, 3000);
  return arn;
}
