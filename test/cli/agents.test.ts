// Agents (`bedrock.agent`: an AgentCore harness) with the real binary and the local server: a run sends
// the prompt as InvokeHarness's overrides and prints the answer with the harness's steps; an inline
// function comes back as a tool call; `calls:` assertions check the tools and their order; `agent deploy`
// creates a harness (and writes its ARN with --write) or updates the one the prompt names; a prompt
// without a harness, a create without a role, and an API key alone each get the fix.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { EMULATOR_API_KEY, startEmulator, type BedrockEmulator } from '../emulator';
import { REPO_ROOT } from '../host/codeServer';
import { promptLab } from './promptLab';

const ROLE = 'arn:aws:iam::123456789012:role/AgentCoreHarness';

const WEATHER = `---
model: us.anthropic.claude-haiku-4-5-20251001-v1:0
tools: [get_weather]
toolDefs:
  - name: get_weather
    description: Current weather for a city.
    inputSchema:
      city: string
bedrock.agent:
  name: weather_agent
---
{{role "system"}}
You tell people what to wear.

{{role "user"}}
Should I bring an umbrella in Lisbon?
`;

const TESTS = `cases:
  - name: looks the order up first
    input: {question: Where is order 1042?}
    assert:
      - calls: orders
      - contains: order 1042
  - name: escalates before looking up
    input: {question: Where is order 1042?}
    assert:
      - calls: [escalate_to_human, orders]
`;

describe('prompt-lab with an agent: an AgentCore harness (the real binary, the local server)', () => {
  let emulator: BedrockEmulator;
  let dir: string;
  const run = (...args: string[]) => promptLab(args, { cwd: dir, env: emulator.env() });
  const lastBody = (operation: string) =>
    emulator.requests.filter((q) => q.operation === operation).at(-1) as { body: Record<string, any>; path: string };

  before(async () => {
    emulator = await startEmulator();
    dir = mkdtempSync(path.join(os.tmpdir(), 'bpl-agent-'));
    writeFileSync(
      path.join(dir, 'support-agent.prompt'),
      readFileSync(path.join(REPO_ROOT, 'examples', 'support-agent.prompt'), 'utf8'),
    );
    writeFileSync(path.join(dir, 'support-agent.tests.yaml'), TESTS);
    writeFileSync(path.join(dir, 'weather.prompt'), WEATHER);
  });
  after(async () => emulator.stop());

  it("sends the prompt as the harness's overrides and prints the answer, then the harness's steps", async () => {
    const r = await run('run', 'support-agent.prompt');
    assert.equal(r.code, 0, r.stderr);
    const sent = lastBody('InvokeHarness');
    assert.match(sent.path, /\/harnesses\/invoke$/);
    assert.deepEqual(sent.body.model, {
      bedrockModelConfig: {
        modelId: 'us.anthropic.claude-haiku-4-5-20251001-v1:0',
        apiFormat: 'converse_stream',
        maxTokens: 500,
        temperature: 0.2,
      },
    });
    assert.match(sent.body.systemPrompt[0].text, /^You are the support agent of an online shop\./);
    assert.deepEqual(
      sent.body.tools.map((t: { type: string; name: string }) => [t.type, t.name]),
      [
        ['inline_function', 'escalate_to_human'],
        ['remote_mcp', 'orders'],
      ],
    );
    assert.equal(sent.body.tools[0].config.inlineFunction.inputSchema.properties.summary.type, 'string');
    assert.equal(sent.body.maxIterations, 8);
    assert.deepEqual(sent.body.messages, [
      { role: 'user', content: [{ text: 'Where is my order 1042? It was due on Monday.' }] },
    ]);
    assert.match(r.stdout, /The tool returned .*orders \(emulated\) read/);
    assert.match(
      r.stderr,
      /agent:\nharness arn:aws:bedrock-agentcore:us-east-1:123456789012:harness\/support_agent-a1b2c3d4e5, session bpl-/,
    );
    assert.match(
      r.stderr,
      /step 1: orders \{"query":"Where is my order 1042\? It was due on Monday\."\} → success: orders \(emulated\) read/,
    );
    assert.match(r.stderr, /235 in \/ 28 out tokens · ~\$/, 'the tokens of every model call in the loop, priced');

    const json = await run('run', 'support-agent.prompt', '--json');
    const result = JSON.parse(json.stdout) as {
      agent: { toolCalls: string[]; steps: { tool: string; type: string }[] };
    };
    assert.deepEqual(result.agent.toolCalls, ['orders']);
    assert.deepEqual(
      result.agent.steps.map((s) => [s.tool, s.type]),
      [['orders', 'mcp_tool_use']],
    );
  });

  it("hands an inline function's call back as the run's tool call", async () => {
    const deployed = await run('agent', 'deploy', 'weather.prompt', '--role', ROLE, '--write');
    assert.equal(deployed.code, 0, deployed.stderr);
    const r = await run('run', 'weather.prompt', '--json');
    assert.equal(r.code, 0, r.stderr);
    const result = JSON.parse(r.stdout) as { stopReason: string; toolCalls: { name: string; input: unknown }[] };
    assert.equal(result.stopReason, 'tool_use');
    assert.equal(result.toolCalls[0].name, 'get_weather');
    assert.deepEqual(Object.keys(result.toolCalls[0].input as object), ['city']);
  });

  it('calls: checks the tools the agent called and their order, and says what it called', async () => {
    const r = await run('test', 'support-agent.tests.yaml');
    assert.equal(r.code, 1, r.stdout + r.stderr);
    assert.match(r.stdout, /✔ support-agent.tests.yaml › looks the order up first/);
    assert.match(
      r.stdout,
      /Expected calls to escalate_to_human, orders in the order escalate_to_human → orders; escalate_to_human was not called\. Called: orders\./,
    );
  });

  it('agent deploy creates a harness from the prompt, writes its ARN with --write, and updates it after', async () => {
    const created = await run('agent', 'deploy', 'weather.prompt', '--role', ROLE);
    // weather.prompt already names the harness the previous test deployed: this is an update.
    assert.equal(created.code, 0, created.stderr);
    assert.match(created.stderr, /updated weather_agent \(version 2\)/);
    const text = readFileSync(path.join(dir, 'weather.prompt'), 'utf8');
    assert.match(
      text,
      /bedrock\.agent:\n {2}name: weather_agent\n {2}harness: arn:aws:bedrock-agentcore:us-east-1:123456789012:harness\/weather_agent-[a-zA-Z0-9]{10}\n---/,
    );
    const update = lastBody('UpdateHarness');
    assert.equal(update.body.systemPrompt[0].text, 'You tell people what to wear.');
    assert.equal(update.body.tools[0].type, 'inline_function');
    const listed = await run('agent', 'list');
    assert.match(listed.stdout, /^weather_agent · harness · ready · version 2 · arn:aws:bedrock-agentcore:/m);
    assert.match(listed.stdout, /^support_agent · harness · ready · version 1 /m);
    assert.match(
      listed.stdout,
      /^support_runtime · runtime · ready · version 3 · arn:aws:bedrock-agentcore:us-east-1:123456789012:runtime\/support_runtime-AbCdEf1234\n {2}DEFAULT · ready · serves version 3\n {2}production · ready/m,
    );
    assert.match(
      listed.stdout,
      /^refund_agent · Bedrock agent \(classic, closed to new customers\) · prepared · REFUNDAGT1\n {2}live · LIVEALIAS1 · version 2\n {2}AgentTestAlias · TSTALIASID · version DRAFT$/m,
    );
  });

  it('deploying a prompt with example turns says the harness does not hold them', async () => {
    writeFileSync(
      path.join(dir, 'fewshot-agent.prompt'),
      '---\nmodel: amazon.nova-lite-v1:0\n---\n{{role "system"}}\nClassify tickets.\n{{role "user"}}\nMy card was charged twice\n{{role "model"}}\nbilling\n{{role "user"}}\nThe app crashes\n',
    );
    const r = await run('agent', 'deploy', 'fewshot-agent.prompt', '--role', ROLE);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /^created fewshot_agent \(version 1\)/m);
    assert.match(
      r.stderr,
      /^not deployed: the 2 turn\(s\) before the last user turn \(examples\): a harness holds a system prompt, not turns/m,
    );
    assert.deepEqual(lastBody('CreateHarness').body.systemPrompt, [{ text: 'Classify tickets.' }]);

    // Skills go with every call and with the harness; memory is the harness's (CreateHarness, UpdateHarness).
    writeFileSync(
      path.join(dir, 'remembering.prompt'),
      '---\nmodel: amazon.nova-lite-v1:0\nbedrock.agent:\n  skills:\n    - s3: s3://bedrock-prompt-lab-data/skills/refunds/\n    - git: https://github.com/example/skills\n      path: support\n  memory:\n    managed: [SEMANTIC, SUMMARIZATION]\n---\n{{role "system"}}\nRemember the customer.\n{{role "user"}}\nHi\n',
    );
    const made = await run('agent', 'deploy', 'remembering.prompt', '--role', ROLE, '--write');
    assert.equal(made.code, 0, made.stderr);
    const create = lastBody('CreateHarness').body;
    assert.deepEqual(create.skills, [
      { s3: { uri: 's3://bedrock-prompt-lab-data/skills/refunds/' } },
      { git: { url: 'https://github.com/example/skills', path: 'support' } },
    ]);
    assert.deepEqual(create.memory, { managedMemoryConfiguration: { strategies: ['SEMANTIC', 'SUMMARIZATION'] } });
    const again = await run('agent', 'deploy', 'remembering.prompt');
    assert.equal(again.code, 0, again.stderr);
    assert.deepEqual(lastBody('UpdateHarness').body.memory, {
      optionalValue: { managedMemoryConfiguration: { strategies: ['SEMANTIC', 'SUMMARIZATION'] } },
    });
    const ran = await run('run', 'remembering.prompt');
    assert.equal(ran.code, 0, ran.stderr);
    assert.equal(lastBody('InvokeHarness').body.skills.length, 2);
    assert.equal(lastBody('InvokeHarness').body.memory, undefined, 'memory is not a per-call setting');
  });

  it('nothing is deployed with a secret in it', async () => {
    writeFileSync(
      path.join(dir, 'leaky-agent.prompt'),
      '---\nmodel: amazon.nova-lite-v1:0\n---\n{{role "system"}}\nUse AKIAQWERTYUIOPASDFGH and wJalrXUtnFEMI/K7MDENG/bPxRfiCYzEXAMPLEKEY to call the API.\n{{role "user"}}\nHi\n',
    );
    const before = emulator.requests.filter((q) => q.operation === 'CreateHarness').length;
    const r = await run('agent', 'deploy', 'leaky-agent.prompt', '--role', ROLE);
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, /Not deployed: a secret \(AWS access key id\) is in what the harness would keep/);
    assert.equal(emulator.requests.filter((q) => q.operation === 'CreateHarness').length, before, 'nothing sent');
  });

  it('a create without a role, and a run without a harness, say what to do', async () => {
    writeFileSync(path.join(dir, 'undeployed.prompt'), WEATHER.replace('name: weather_agent', 'name: new_agent'));
    const noRole = await run('agent', 'deploy', 'undeployed.prompt');
    assert.equal(noRole.code, 2, noRole.stderr);
    assert.match(noRole.stderr, /Creating a harness needs the IAM role it assumes .*pass --role/);
    const noHarness = await run('run', 'undeployed.prompt');
    assert.equal(noHarness.code, 2, noHarness.stderr);
    assert.match(noHarness.stderr, /has no harness yet: run Deploy as Agent/);
    assert.equal(noHarness.stdout, '');
  });

  it('an API key alone cannot reach AgentCore: the run says AWS credentials are needed', async () => {
    const r = await promptLab(['run', 'support-agent.prompt'], {
      cwd: dir,
      env: { AWS_ENDPOINT_URL: emulator.url, AWS_REGION: 'us-east-1', AWS_BEARER_TOKEN_BEDROCK: EMULATOR_API_KEY },
    });
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /needs AWS credentials: AgentCore does not accept a Bedrock API key/);
  });

  it('an agent runtime gets the prompt as its payload; its stream is printed, and its trace linked', async () => {
    writeFileSync(
      path.join(dir, 'support-runtime.prompt'),
      readFileSync(path.join(REPO_ROOT, 'examples', 'support-runtime.prompt'), 'utf8'),
    );
    const r = await run('run', 'support-runtime.prompt', '--input', 'question=Can I return shoes?');
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, 'support_runtime (emulated), turn 1: you asked "Can I return shoes?"\n');
    const sent = lastBody('InvokeAgentRuntime');
    assert.deepEqual(sent.body, { prompt: 'Can I return shoes?' });
    assert.match(
      sent.path,
      /^\/runtimes\/arn%3Aaws%3Abedrock-agentcore%3Aus-east-1%3A123456789012%3Aruntime%2Fsupport_runtime-AbCdEf1234\/invocations$/,
    );
    assert.match(
      r.stderr,
      /agent:\nruntime arn:aws:bedrock-agentcore:us-east-1:123456789012:runtime\/support_runtime-AbCdEf1234, session bpl-/,
    );
    assert.match(
      r.stderr,
      /no steps in the answer: the runtime sends its trace to CloudWatch \(trace 1-[0-9a-f]{8}-[0-9a-f]{24}: https:\/\/us-east-1\.console\.aws\.amazon\.com\/cloudwatch\/home\?region=us-east-1#xray:traces\/1-/,
    );
    assert.match(r.stderr, /bedrock: agent runtime support_runtime-AbCdEf1234 \(its own model\)/);

    // `payload: converse` sends the turns; a conversation seen nowhere goes whole to a new session.
    writeFileSync(
      path.join(dir, 'runtime-converse.prompt'),
      '---\nmodel: amazon.nova-lite-v1:0\nbedrock.agent:\n  runtime: arn:aws:bedrock-agentcore:us-east-1:123456789012:runtime/support_runtime-AbCdEf1234\n  payload: converse\n---\n{{role "system"}}\nBe brief.\n{{role "user"}}\nHi\n{{role "model"}}\nHello!\n{{role "user"}}\nBye\n',
    );
    const c = await run('run', 'runtime-converse.prompt');
    assert.equal(c.code, 0, c.stderr);
    assert.deepEqual(lastBody('InvokeAgentRuntime').body, {
      messages: [
        { role: 'user', content: [{ text: 'Hi' }] },
        { role: 'assistant', content: [{ text: 'Hello!' }] },
        { role: 'user', content: [{ text: 'Bye' }] },
      ],
      system: [{ text: 'Be brief.' }],
    });
  });

  it('a Bedrock agent (classic) gets the last user turn; its trace is printed as thoughts and steps', async () => {
    writeFileSync(
      path.join(dir, 'refund-agent.classic.prompt'),
      readFileSync(path.join(REPO_ROOT, 'examples', 'refund-agent.classic.prompt'), 'utf8'),
    );
    const r = await run('run', 'refund-agent.classic.prompt', '--json');
    assert.equal(r.code, 0, r.stderr);
    const result = JSON.parse(r.stdout) as {
      text: string;
      agent: { kind: string; toolCalls: string[]; steps: { tool: string; result?: string }[] };
    };
    assert.equal(
      result.text,
      'refund_agent (emulated), turn 1: you asked "I paid order 1042 with a gift card. Can I get a refund?"',
    );
    assert.equal(result.agent.kind, 'classic');
    assert.deepEqual(result.agent.toolCalls, ['get_order', 'knowledge_base']);
    assert.deepEqual(
      result.agent.steps.map((s) => [s.tool, s.result]),
      [
        ['', undefined],
        ['orders.get_order', '{"order": "1042", "status": "delivered", "paid": "gift card"}'],
        ['knowledge base SUPPORTKB1', '1 passage(s): refund-policy.md'],
      ],
    );
    assert.match(
      lastBody('InvokeAgent').path,
      /^\/agents\/REFUNDAGT1\/agentAliases\/LIVEALIAS1\/sessions\/bpl-[0-9a-f-]{36}\/text$/,
    );

    // A conversation no session holds: the agent gets the last turn, and the run says what it missed.
    writeFileSync(
      path.join(dir, 'classic-conversation.prompt'),
      '---\nmodel: amazon.nova-lite-v1:0\nbedrock.agent:\n  agentId: REFUNDAGT1\n  aliasId: TSTALIASID\n---\n{{role "user"}}\nHi\n{{role "model"}}\nHello!\n{{role "user"}}\nRefund?\n',
    );
    const c = await run('run', 'classic-conversation.prompt');
    assert.equal(c.code, 0, c.stderr);
    assert.deepEqual(lastBody('InvokeAgent').body.inputText, 'Refund?');
    assert.match(
      c.stderr,
      /note: a new session got the last user turn only: a Bedrock agent keeps its history in its session/,
    );
  });
});
