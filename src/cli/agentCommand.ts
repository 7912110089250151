// `prompt-lab agent deploy|list`: a prompt deployed as an AgentCore harness (the editor's Deploy as Agent,
// one use case: app/deployAgent.ts), and the account's harnesses. AgentCore takes AWS credentials.
import path from 'node:path';
import type { Host } from '../app/host';
import { deployAsAgent } from '../app/deployAgent';
import { applyFrontmatterEdit, frontmatterEdit, setAgent } from '../core/format/frontmatterEdit';
import { writeFileAtomically } from '../core/shared/atomicWrite';
import { EXIT } from './exitCodes';
import { loadPrompt } from './runCommand';

export async function agentDeploy(
  host: Host,
  file: string,
  opts: { role?: string; write?: boolean; json?: boolean; quiet?: boolean },
  signal: AbortSignal,
): Promise<number> {
  const prompt = await loadPrompt(file);
  const deployed = await deployAsAgent(host, prompt.text, prompt.files, {
    fileName: path.basename(prompt.promptPath),
    roleArn: opts.role ?? process.env.BPL_AGENT_ROLE_ARN,
    signal,
    onStatus: (status) => {
      if (!opts.quiet && !opts.json) process.stderr.write(`harness: ${status.toLowerCase()}\n`);
    },
  });
  const { harness } = deployed;
  // The file learns its harness only when asked: a CLI does not edit sources behind the user's back.
  if (opts.write && deployed.created) {
    const edited = applyFrontmatterEdit(
      prompt.text,
      frontmatterEdit(prompt.text, 'deploy as an agent', (yaml) => setAgent(yaml, { harness: harness.arn })),
    );
    await writeFileAtomically(prompt.promptPath, edited);
  }
  if (opts.json) process.stdout.write(`${JSON.stringify(deployed, null, 2)}\n`);
  else {
    process.stdout.write(`${harness.arn}\n`);
    if (!opts.quiet) {
      process.stderr.write(
        `${deployed.created ? 'created' : 'updated'} ${harness.name} (version ${harness.version ?? '?'})${deployed.renderedWith.length ? `; its system prompt holds the default values of ${deployed.renderedWith.join(', ')}` : ''}\n`,
      );
      for (const left of deployed.leftOut) process.stderr.write(`not deployed: ${left}\n`);
      if (deployed.created && !opts.write)
        process.stderr.write(
          `run it: add \`bedrock.agent: {harness: ${harness.arn}}\` to ${path.basename(prompt.promptPath)} (or deploy with --write)\n`,
        );
    }
  }
  return EXIT.ok;
}

/** The account's agents: AgentCore harnesses, runtimes with their endpoints, Bedrock agents (classic) with their aliases. */
export async function agentList(host: Host, opts: { json?: boolean }): Promise<number> {
  const agents = host.clients().agents;
  const [harnesses, runtimes, classic] = await Promise.all([
    agents.listHarnesses(),
    agents.listRuntimes(),
    // An account without classic agents (or their permission) still lists its AgentCore agents.
    agents.listClassicAgents().catch((err: unknown) => {
      host.log.warn(`Bedrock agents (classic): ${String(err)}`);
      return [];
    }),
  ]);
  if (opts.json) {
    process.stdout.write(`${JSON.stringify({ harnesses, runtimes, classic }, null, 2)}\n`);
    return EXIT.ok;
  }
  const out = (line: string) => process.stdout.write(`${line}\n`);
  for (const h of harnesses)
    out(`${h.name} · harness · ${h.status.toLowerCase()} · version ${h.version ?? '?'} · ${h.arn}`);
  for (const r of runtimes) {
    out(`${r.name} · runtime · ${r.status.toLowerCase()} · version ${r.version ?? '?'} · ${r.arn}`);
    for (const e of r.endpoints)
      out(`  ${e.name} · ${e.status.toLowerCase()} · serves version ${e.liveVersion ?? '?'}`);
  }
  for (const a of classic) {
    out(`${a.name} · Bedrock agent (classic, closed to new customers) · ${a.status.toLowerCase()} · ${a.id}`);
    for (const alias of a.aliases) out(`  ${alias.name} · ${alias.id} · version ${alias.version ?? '?'}`);
  }
  if (harnesses.length + runtimes.length + classic.length === 0)
    process.stderr.write('No agents in this account and region: prompt-lab agent deploy creates a harness.\n');
  return EXIT.ok;
}
