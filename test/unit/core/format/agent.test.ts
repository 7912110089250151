// `bedrock.agent` in the format layer: the setting's checks and the analysis's diagnostics (a harness and
// a runtime at once, half a classic agent, no harness yet, a guardrail the agent cannot take, what a
// runtime is not sent), the frontmatter edits that point a prompt at an agent (comments kept, the other
// kind's keys removed), the harness name a file deploys as, the lines a run writes after the answer, and
// `calls:` assertions (the order, calls between, what was called).
import assert from 'node:assert/strict';
import { analyzePrompt } from '../../../../src/core/format/analyze';
import { agentRunLines, agentSetting, harnessNameFor, stepText } from '../../../../src/core/format/agent';
import { checkAssertions } from '../../../../src/core/format/assertions';
import { applyFrontmatterEdit, frontmatterEdit, setAgent } from '../../../../src/core/format/frontmatterEdit';
import { harnessDefinition } from '../../../../src/core/bedrock/harness';

const HARNESS = 'arn:aws:bedrock-agentcore:us-east-1:123456789012:harness/support_agent-a1b2c3d4e5';
const RUNTIME = 'arn:aws:bedrock-agentcore:us-east-1:123456789012:runtime/support_runtime-AbCdEf1234';

const problems = (frontmatter: string) =>
  analyzePrompt(`---\nmodel: amazon.nova-lite-v1:0\n${frontmatter}---\nHello\n`).problems.map(
    (p) => `${p.severity}:${p.code}`,
  );

describe('bedrock.agent', () => {
  it('the setting refuses what no agent takes, with the fix', () => {
    assert.throws(() => agentSetting({ 'bedrock.agent': 'support' }), /must be a map/);
    assert.throws(() => agentSetting({ 'bedrock.agent': { harness: 'support_agent' } }), /must be a harness ARN/);
    assert.throws(
      () => agentSetting({ 'bedrock.agent': { harness: HARNESS, runtime: RUNTIME } }),
      /names a harness and a runtime: keep the one/,
    );
    assert.throws(
      () => agentSetting({ 'bedrock.agent': { agentId: 'REFUNDAGT1' } }),
      /needs `agentId` and `aliasId` together/,
    );
    assert.throws(
      () => agentSetting({ 'bedrock.agent': { name: 'support-agent' } }),
      /letters, digits and underscores/,
    );
    assert.deepEqual(agentSetting({ 'bedrock.agent': { runtime: RUNTIME, payload: 'converse' } }), {
      runtime: RUNTIME,
      payload: 'converse',
    });
    assert.equal(agentSetting({}), undefined);
  });

  it('the analysis says so on the key: invalid, not deployed, a guardrail, what a runtime or a classic agent is not sent', () => {
    assert.deepEqual(problems(`bedrock.agent:\n  harness: ${HARNESS}\n  runtime: ${RUNTIME}\n`), [
      'error:agent-invalid',
    ]);
    assert.deepEqual(problems('bedrock.agent:\n  name: faq_bot\n'), ['info:agent-not-deployed']);
    assert.deepEqual(
      problems(`bedrock.agent:\n  harness: ${HARNESS}\nbedrock.guardrail:\n  identifier: gr1\n  version: '1'\n`),
      ['error:agent-guardrail'],
    );
    assert.deepEqual(problems(`bedrock.agent:\n  runtime: ${RUNTIME}\n`), ['info:agent-runtime-payload']);
    assert.deepEqual(problems('bedrock.agent:\n  agentId: REFUNDAGT1\n  aliasId: LIVEALIAS1\n'), [
      'info:agent-classic-input',
    ]);
    assert.deepEqual(problems(`bedrock.agent:\n  harness: ${HARNESS}\n`), []);
  });

  it("points a prompt at an agent through the YAML: comments and other keys kept, the other kind's keys gone", () => {
    const text = `---\n# the support agent\nmodel: amazon.nova-lite-v1:0\nbedrock.agent:\n  runtime: ${RUNTIME}\n  qualifier: production\n  payload: converse\n  maxIterations: 4\n---\nHi\n`;
    const edited = applyFrontmatterEdit(
      text,
      frontmatterEdit(text, 'use the agent', (y) => setAgent(y, { harness: HARNESS })),
    );
    assert.equal(
      edited,
      `---\n# the support agent\nmodel: amazon.nova-lite-v1:0\nbedrock.agent:\n  maxIterations: 4\n  harness: ${HARNESS}\n---\nHi\n`,
    );
    const none = 'Hi\n';
    assert.equal(
      applyFrontmatterEdit(
        none,
        frontmatterEdit(none, 'use the agent', (y) => setAgent(y, { agentId: 'REFUNDAGT1', aliasId: 'TSTALIASID' })),
      ),
      '---\nbedrock.agent:\n  agentId: REFUNDAGT1\n  aliasId: TSTALIASID\n---\nHi\n',
    );
    assert.throws(
      () => frontmatterEdit('---\nmodel: [\n---\nHi\n', 'deploy as an agent', () => undefined),
      /not valid YAML: fix it first, then deploy as an agent again/,
    );
  });

  it('the harness a file deploys as has a name the service takes', () => {
    assert.equal(harnessNameFor('support-agent.prompt'), 'support_agent');
    assert.equal(harnessNameFor('2024 faq.bot.prompt'), 'prompt_2024_faq_bot');
    assert.equal(harnessNameFor(`${'x'.repeat(60)}.prompt`).length, 40);
  });

  it('a prompt maps onto a harness: model and inference, system turn, toolDefs as inline functions, its own tools', () => {
    const def = harnessDefinition(
      {
        modelId: 'us.anthropic.claude-haiku-4-5-20251001-v1:0',
        system: [{ text: 'Be brief.' }, { cachePoint: { type: 'default' } }],
        inferenceConfig: { maxTokens: 300, temperature: 0.2 },
        toolConfig: {
          tools: [
            {
              toolSpec: { name: 'refund', description: 'Refund an order.', inputSchema: { json: { type: 'object' } } },
            },
          ],
        },
      },
      { tools: [{ type: 'remote_mcp', name: 'orders', url: 'https://orders.example.com/mcp' }], maxIterations: 5 },
    );
    assert.deepEqual(def, {
      model: {
        bedrockModelConfig: {
          modelId: 'us.anthropic.claude-haiku-4-5-20251001-v1:0',
          apiFormat: 'converse_stream',
          maxTokens: 300,
          temperature: 0.2,
        },
      },
      systemPrompt: [{ text: 'Be brief.' }],
      tools: [
        {
          type: 'inline_function',
          name: 'refund',
          config: { inlineFunction: { description: 'Refund an order.', inputSchema: { type: 'object' } } },
        },
        { type: 'remote_mcp', name: 'orders', config: { remoteMcp: { url: 'https://orders.example.com/mcp' } } },
      ],
      maxIterations: 5,
    });
    assert.throws(
      () =>
        harnessDefinition({ modelId: 'm', guardrailConfig: { guardrailIdentifier: 'g', guardrailVersion: '1' } }, {}),
      /takes no guardrail per call: remove `bedrock.guardrail`/,
    );
  });

  it("the lines after an answer: the agent and session, thoughts, numbered steps, a runtime's trace", () => {
    assert.deepEqual(
      agentRunLines({
        kind: 'classic',
        agent: 'REFUNDAGT1/LIVEALIAS1',
        sessionId: 's-1',
        toolCalls: ['get_order'],
        steps: [
          { tool: '', type: 'rationale', input: 'Look it up.' },
          { tool: 'orders.get_order', type: 'action_group', input: '{"id":"1"}', status: 'success', result: 'shipped' },
        ],
      }),
      [
        'Bedrock agent (classic) REFUNDAGT1/LIVEALIAS1, session s-1',
        'thought: Look it up.',
        'step 1: orders.get_order {"id":"1"} → success: shipped',
      ],
    );
    assert.deepEqual(
      agentRunLines({ kind: 'runtime', agent: RUNTIME, sessionId: 's-2', toolCalls: [], steps: [] }).at(-1),
      ['no steps in the answer: the runtime sends its trace to CloudWatch, and gave no trace id'][0],
    );
    assert.equal(stepText(`a\n\n${'b'.repeat(400)}`).length, 301);
  });

  it('calls: the tools in this order, others allowed between, and what was called when not', async () => {
    const check = async (calls: string[], toolCalls: string[]) =>
      (await checkAssertions([{ kind: 'calls', value: calls, line: 0 }], { text: '', latencyMs: 1, toolCalls }, {}))[0];
    assert.equal((await check(['orders', 'refund'], ['orders', 'kb', 'refund'])).pass, true);
    const early = await check(['refund', 'orders'], ['orders', 'refund']);
    assert.equal(early.pass, false);
    assert.equal(
      early.message,
      'Expected calls to refund, orders in the order refund → orders; orders came too early. Called: orders → refund.',
    );
    assert.equal(
      (await check(['escalate'], ['orders'])).message,
      'Expected calls to escalate; escalate was not called. Called: orders.',
    );
    assert.equal((await check(['orders'], [])).message, 'Expected a call to orders, but no tool was called.');
  });
});
