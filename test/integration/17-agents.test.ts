// Agents against the local server: the Agents view lists the account's AgentCore harnesses; Deploy as
// Agent creates one from the open prompt and writes its ARN into the frontmatter (comments kept); a run
// streams the harness's answer into the file with what the agent did after it, and keeps it in the run
// record; Continue carries the harness session on, sending only the new turn; `calls:` assertions check
// the tools an agent called, in the Testing flow.
import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { Commands } from '../../src/vscode/host/commandIds';
import type { Deployed } from '../../src/app/deployAgent';
import type { RunResult } from '../../src/vscode/run/types';
import type { CaseResult } from '../../src/vscode/testing/promptTests';
import type { CompareColumnResult } from '../../src/vscode/webview/comparePanel';
import type { ExtensionApi } from '../../src/vscode/extension';
import { activateExtension, emulator, waitFor, workspaceFile } from './helpers';

const ROLE = 'arn:aws:iam::123456789012:role/AgentCoreHarness';
const MODEL = 'us.anthropic.claude-haiku-4-5-20251001-v1:0';

describe('agents (AgentCore harnesses) against the local server', () => {
  let api: ExtensionApi;
  const invocations = async () => (await emulator.requests()).filter((r) => r.operation === 'InvokeHarness');
  before(async () => {
    api = await activateExtension();
  });

  it('the Agents view lists the harnesses with their status and version', async () => {
    await vscode.commands.executeCommand(Commands.refreshAgents);
    const items = (await api.agents.getChildren()).map((n) => api.agents.getTreeItem(n));
    const demo = items.find((i) => i.label === 'support_agent');
    assert.ok(demo, JSON.stringify(items.map((i) => i.label)));
    assert.equal(demo.description, 'ready · version 1');
    assert.equal(demo.contextValue, 'harness');
  });

  it('Deploy as Agent creates a harness from the prompt and writes its ARN into the frontmatter, keeping comments', async () => {
    const prompt = workspaceFile('runs', 'concierge.prompt');
    await vscode.workspace.fs.writeFile(
      prompt,
      Buffer.from(
        `---\n# the hotel concierge\nmodel: ${MODEL}\nconfig:\n  maxOutputTokens: 200\n---\n{{role "system"}}\nYou are a hotel concierge.\n\n{{role "user"}}\nHello there\n`,
      ),
    );
    const editor = await vscode.window.showTextDocument(prompt);
    const deployed = await vscode.commands.executeCommand<Deployed>(Commands.deployAsAgent, {
      roleArn: ROLE,
      pollMs: 100,
    });
    assert.ok(deployed, api.shownErrors.at(-1)?.message);
    assert.equal(deployed.created, true);
    assert.equal(deployed.harness.status, 'READY');
    assert.match(
      editor.document.getText(),
      /^---\n# the hotel concierge\nmodel: .*\nconfig:\n {2}maxOutputTokens: 200\nbedrock\.agent:\n {2}harness: arn:aws:bedrock-agentcore:us-east-1:123456789012:harness\/concierge-[a-zA-Z0-9]{10}\n---\n/,
    );
    const created = (await emulator.requests()).filter((r) => r.operation === 'CreateHarness').at(-1)?.body as Record<
      string,
      any
    >;
    assert.equal(created.harnessName, 'concierge');
    assert.equal(created.executionRoleArn, ROLE);
    assert.deepEqual(created.systemPrompt, [{ text: 'You are a hotel concierge.' }]);
    assert.deepEqual(created.model, {
      bedrockModelConfig: { modelId: MODEL, apiFormat: 'converse_stream', maxTokens: 200 },
    });
    await editor.document.save();
    await waitFor('the Agents view to list it', async () =>
      (await api.agents.getChildren()).some((n) => n.kind === 'harness' && n.harness.name === 'concierge')
        ? true
        : undefined,
    );
  });

  it('a run streams the agent answer with what it did, and Continue carries its session on with only the new turn', async () => {
    const prompt = workspaceFile('runs', 'concierge.prompt');
    const first = await vscode.commands.executeCommand<RunResult>(Commands.run, { uri: prompt.toString() });
    assert.equal(first?.status, 'complete', first?.error?.message ?? api.shownErrors.at(-1)?.message);
    assert.match(first.text, /turn 1\. You wrote: "Hello there"/);
    const session = first.agent?.sessionId ?? '';
    assert.match(session, /^bpl-[0-9a-f-]{36}$/);
    let text = (await vscode.workspace.openTextDocument(prompt)).getText();
    assert.match(
      text,
      new RegExp(
        `\\{\\{!-- agent:\\nharness arn:aws:bedrock-agentcore:us-east-1:123456789012:harness/concierge-[a-zA-Z0-9]{10}, session ${session}\\n`,
      ),
    );
    const record = JSON.parse(
      Buffer.from(await vscode.workspace.fs.readFile(vscode.Uri.parse(first.historyFile!))).toString('utf8'),
    ) as { agent?: { sessionId: string } };
    assert.equal(record.agent?.sessionId, session, 'the run record keeps the session');

    const next = await vscode.commands.executeCommand<RunResult>(Commands.continueConversation, {
      uri: prompt,
      message: 'And a taxi?',
    });
    assert.equal(next?.status, 'complete', next?.error?.message ?? api.shownErrors.at(-1)?.message);
    assert.equal(next.agent?.sessionId, session, 'the same harness session');
    const sent = (await invocations()).at(-1)?.body as { messages: { role: string; content: { text?: string }[] }[] };
    assert.deepEqual(sent.messages, [{ role: 'user', content: [{ text: 'And a taxi?' }] }], 'only the new turn');
    assert.match(
      next.text,
      /turn 2\. You wrote: "And a taxi\?"/,
      'the harness answered with the first turn in its history',
    );
    text = (await vscode.workspace.openTextDocument(prompt)).getText();
    assert.equal(text.split('{{role "model"}}').length - 1, 2);
  });

  it('prompt tests check which tools the agent called, and in what order', async () => {
    const prompt = workspaceFile('runs', 'orders-agent.prompt');
    await vscode.workspace.fs.writeFile(
      prompt,
      Buffer.from(
        `---\nmodel: ${MODEL}\nbedrock.agent:\n  harness: arn:aws:bedrock-agentcore:us-east-1:123456789012:harness/support_agent-a1b2c3d4e5\n  tools:\n    - type: remote_mcp\n      name: orders\n      url: https://orders.example.com/mcp\n    - type: agentcore_code_interpreter\n      name: calculator\n---\nWhere is order 1042?\n`,
      ),
    );
    await vscode.workspace.fs.writeFile(
      workspaceFile('runs', 'orders-agent.tests.yaml'),
      Buffer.from(
        'cases:\n  - name: looks up, then computes\n    assert:\n      - calls: [orders, calculator]\n  - name: computes first\n    assert:\n      - calls: [calculator, orders]\n',
      ),
    );
    const results = await vscode.commands.executeCommand<CaseResult[]>(Commands.runPromptTests, prompt);
    assert.ok(results, api.shownErrors.at(-1)?.message);
    const byName = Object.fromEntries(results.map((r) => [r.name, r]));
    assert.equal(
      byName['looks up, then computes'].state,
      'passed',
      byName['looks up, then computes'].messages.join('\n'),
    );
    assert.equal(byName['computes first'].state, 'failed');
    assert.deepEqual(byName['computes first'].messages, [
      'Expected calls to calculator, orders in the order calculator → orders; orders came too early. Called: orders → calculator.',
    ]);
  });

  it('an agent runtime: listed with its endpoints, used in a prompt, its stream shown, its trace linked, its session continued', async () => {
    await vscode.commands.executeCommand(Commands.refreshAgents);
    const top = await api.agents.getChildren();
    const runtime = top.find((n) => n.kind === 'runtime');
    assert.ok(runtime, 'the runtime is listed');
    assert.equal(api.agents.getTreeItem(runtime).description, 'runtime · ready · version 3');
    const endpoints = await api.agents.getChildren(runtime);
    assert.deepEqual(
      endpoints.map((n) => [api.agents.getTreeItem(n).label, api.agents.getTreeItem(n).description]),
      [
        ['DEFAULT', 'ready · serves version 3'],
        ['production', 'ready · serves version 3'],
      ],
    );
    const prompt = workspaceFile('runs', 'runtime.prompt');
    await vscode.workspace.fs.writeFile(prompt, Buffer.from(`---\nmodel: ${MODEL}\n---\nCan I return a gift card?\n`));
    const editor = await vscode.window.showTextDocument(prompt);
    await vscode.commands.executeCommand(Commands.useAgentInPrompt, endpoints[1]);
    assert.equal(
      editor.document.getText(),
      `---\nmodel: ${MODEL}\nbedrock.agent:\n  runtime: arn:aws:bedrock-agentcore:us-east-1:123456789012:runtime/support_runtime-AbCdEf1234\n  qualifier: production\n---\nCan I return a gift card?\n`,
    );
    await editor.document.save();
    const info = await waitFor('the runtime note', () =>
      vscode.languages.getDiagnostics(prompt).find((d) => d.code === 'agent-runtime-payload'),
    );
    assert.equal(info.severity, vscode.DiagnosticSeverity.Information);

    const first = await vscode.commands.executeCommand<RunResult>(Commands.run, { uri: prompt.toString() });
    assert.equal(first?.status, 'complete', first?.error?.message ?? api.shownErrors.at(-1)?.message);
    assert.equal(first.text, 'support_runtime (emulated), turn 1: you asked "Can I return a gift card?"');
    const sent = (await emulator.requests()).filter((r) => r.operation === 'InvokeAgentRuntime').at(-1);
    assert.deepEqual(sent?.body, { prompt: 'Can I return a gift card?' });
    const text = (await vscode.workspace.openTextDocument(prompt)).getText();
    assert.match(
      text,
      /no steps in the answer: the runtime sends its trace to CloudWatch \(trace 1-[0-9a-f]{8}-[0-9a-f]{24}: https:\/\/us-east-1\.console\.aws\.amazon\.com\/cloudwatch\/home\?region=us-east-1#xray:traces\/1-/,
    );
    assert.match(text, /\{\{!-- bedrock: agent runtime support_runtime-AbCdEf1234 \(its own model\)/);

    const next = await vscode.commands.executeCommand<RunResult>(Commands.continueConversation, {
      uri: prompt,
      message: 'And a store card?',
    });
    assert.equal(next?.status, 'complete', next?.error?.message);
    assert.equal(next.agent?.sessionId, first.agent?.sessionId, 'the same runtime session');
    assert.equal(next.text, 'support_runtime (emulated), turn 2: you asked "And a store card?"');
  });

  it('a Bedrock agent (classic): marked closed to new customers, used through an alias, its trace shown as steps', async () => {
    const top = await api.agents.getChildren();
    const classic = top.find((n) => n.kind === 'classic');
    assert.ok(classic, 'the classic agent is listed');
    assert.equal(api.agents.getTreeItem(classic).description, 'classic · prepared · closed to new customers');
    assert.match(
      String(api.agents.getTreeItem(classic).tooltip),
      /closed to new customers: AgentCore harnesses are their successor/,
    );
    const aliases = await api.agents.getChildren(classic);
    assert.deepEqual(
      aliases.map((n) => api.agents.getTreeItem(n).description),
      ['LIVEALIAS1 · prepared · version 2', 'TSTALIASID · prepared · version DRAFT'],
    );
    const prompt = workspaceFile('runs', 'classic.prompt');
    await vscode.workspace.fs.writeFile(
      prompt,
      Buffer.from(
        '---\nmodel: amazon.nova-lite-v1:0\nbedrock.agent:\n  runtime: arn:aws:bedrock-agentcore:us-east-1:123456789012:runtime/support_runtime-AbCdEf1234\n  qualifier: production\n---\nCan I get a refund?\n',
      ),
    );
    const editor = await vscode.window.showTextDocument(prompt);
    assert.equal(await vscode.commands.executeCommand(Commands.useAgentInPrompt, aliases[0]), 'REFUNDAGT1/LIVEALIAS1');
    assert.equal(
      editor.document.getText(),
      '---\nmodel: amazon.nova-lite-v1:0\nbedrock.agent:\n  agentId: REFUNDAGT1\n  aliasId: LIVEALIAS1\n---\nCan I get a refund?\n',
      'the runtime and its endpoint gave way to the agent',
    );
    await editor.document.save();
    const result = await vscode.commands.executeCommand<RunResult>(Commands.run, { uri: prompt.toString() });
    assert.equal(result?.status, 'complete', result?.error?.message ?? api.shownErrors.at(-1)?.message);
    assert.equal(result.text, 'refund_agent (emulated), turn 1: you asked "Can I get a refund?"');
    assert.deepEqual(result.agent?.toolCalls, ['get_order', 'knowledge_base']);
    const sent = (await emulator.requests()).filter((r) => r.operation === 'InvokeAgent').at(-1)?.body;
    assert.deepEqual(sent, {
      inputText: 'Can I get a refund?',
      enableTrace: true,
      streamingConfigurations: { streamFinalResponse: true },
    });
    const text = (await vscode.workspace.openTextDocument(prompt)).getText();
    assert.match(
      text,
      /\{\{!-- agent:\nBedrock agent \(classic\) REFUNDAGT1\/LIVEALIAS1, session bpl-[0-9a-f-]{36}\nthought: The customer asks: Can I get a refund\?\. I will look the order up, then check the policy\.\nstep 1: orders\.get_order \{"question":"Can I get a refund\?"\} → success: \{"order": "1042", "status": "delivered", "paid": "gift card"\}\nstep 2: knowledge base SUPPORTKB1 "Can I get a refund\?" → success: 1 passage\(s\): refund-policy\.md\n/,
    );
  });

  it("Compare runs the agent on each model (the harness's model overridden per column) and shows its steps", async () => {
    const prompt = workspaceFile('runs', 'orders-agent.prompt');
    const results = (await vscode.commands.executeCommand<CompareColumnResult[]>(Commands.compareModels, {
      uri: prompt.toString(),
      models: [MODEL, 'us.anthropic.claude-sonnet-4-5-20250929-v1:0'],
    }))!;
    assert.deepEqual(
      results.map((r) => [r.modelId, r.status]),
      [
        [MODEL, 'complete'],
        ['us.anthropic.claude-sonnet-4-5-20250929-v1:0', 'complete'],
      ],
      results.map((r) => r.error).join('\n'),
    );
    const models = (await invocations())
      .slice(-2)
      .map((r) => (r.body as { model: { bedrockModelConfig: { modelId: string } } }).model.bedrockModelConfig.modelId)
      .sort();
    assert.deepEqual(models, [MODEL, 'us.anthropic.claude-sonnet-4-5-20250929-v1:0'].sort());
    for (const r of results) {
      assert.match(
        r.notes?.[0] ?? '',
        /^harness arn:aws:bedrock-agentcore:us-east-1:123456789012:harness\/support_agent-a1b2c3d4e5, session bpl-/,
      );
      assert.match(
        r.notes?.[1] ?? '',
        /^step 1: orders \{"query":"Where is order 1042\?"\} → success: orders \(emulated\) read/,
      );
      assert.match(r.notes?.[2] ?? '', /^step 2: calculator /);
    }
  });
});
