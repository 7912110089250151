// The emulator's own tests: the real AWS SDK v3 clients must decode everything it sends.
import assert from 'node:assert/strict';
import {
  AccessDeniedException,
  BedrockRuntimeClient,
  ConverseCommand,
  ConverseStreamCommand,
  CountTokensCommand,
  InternalServerException,
  ModelErrorException,
  ModelNotReadyException,
  ModelStreamErrorException,
  ModelTimeoutException,
  ResourceNotFoundException,
  ServiceUnavailableException,
  ThrottlingException,
  ValidationException,
  type ConverseStreamOutput,
  type Message,
} from '@aws-sdk/client-bedrock-runtime';
import {
  BedrockClient,
  CreateCustomModelDeploymentCommand,
  DeleteCustomModelDeploymentCommand,
  GetCustomModelDeploymentCommand,
  ListCustomModelDeploymentsCommand,
  GetFoundationModelCommand,
  ListCustomModelsCommand,
  ListFoundationModelsCommand,
  ListPromptRoutersCommand,
  ListProvisionedModelThroughputsCommand,
  paginateListInferenceProfiles,
  paginateListProjects,
  type InferenceProfileSummary,
} from '@aws-sdk/client-bedrock';
import { startEmulator, type BedrockEmulator } from './index';
import { eventFrame } from './eventstream';

const credentials = { accessKeyId: 'AKIDLOCAL', secretAccessKey: 'local' };
const HAIKU = 'anthropic.claude-3-haiku-20240307-v1:0';

function user(text: string): Message {
  return { role: 'user', content: [{ text }] };
}

async function collect(stream: AsyncIterable<ConverseStreamOutput> | undefined) {
  const events: ConverseStreamOutput[] = [];
  let text = '';
  let error: unknown;
  try {
    for await (const ev of stream ?? []) {
      events.push(ev);
      if (ev.contentBlockDelta?.delta?.text) text += ev.contentBlockDelta.delta.text;
    }
  } catch (err) {
    error = err;
  }
  return { events, text, error };
}

describe('emulator: runtime through the real BedrockRuntimeClient', () => {
  let emu: BedrockEmulator;
  let runtime: BedrockRuntimeClient;
  let noRetry: BedrockRuntimeClient;

  before(async () => {
    emu = await startEmulator();
    runtime = new BedrockRuntimeClient({ endpoint: emu.url, region: 'us-east-1', credentials });
    noRetry = new BedrockRuntimeClient({ endpoint: emu.url, region: 'us-east-1', credentials, maxAttempts: 1 });
  });
  after(async () => {
    runtime.destroy();
    noRetry.destroy();
    await emu.stop();
  });
  afterEach(() => emu.faults.clear());

  it('answers Converse over HTTP/2 with a predictable message, usage and request id', async () => {
    const out = await runtime.send(new ConverseCommand({ modelId: HAIKU, messages: [user('What is 2+2?')] }));
    assert.equal(
      out.output?.message?.content?.[0]?.text,
      'Claude 3 Haiku (emulated), turn 1. You wrote: "What is 2+2?"',
    );
    assert.equal(out.stopReason, 'end_turn');
    assert.equal(out.usage?.outputTokens, 11);
    assert.ok((out.usage?.inputTokens ?? 0) > 0);
    assert.match(out.$metadata.requestId ?? '', /^[0-9a-f-]{36}$/);
    const last = emu.requests[emu.requests.length - 1];
    assert.equal(last.operation, 'Converse');
    assert.equal(last.httpVersion, '2.0', 'the runtime client uses its default HTTP/2 handler');
  });

  it('streams ConverseStream as eventstream frames in the documented order', async () => {
    const out = await runtime.send(
      new ConverseStreamCommand({
        modelId: `us.${HAIKU}`,
        messages: [user('hi'), { role: 'assistant', content: [{ text: 'hello' }] }, user('tell me more')],
      }),
    );
    const { events, text, error } = await collect(out.stream);
    assert.equal(error, undefined);
    assert.equal(text, 'Claude 3 Haiku (emulated), turn 2. You wrote: "tell me more"');
    const kinds = events.map((e) => Object.keys(e)[0]);
    assert.equal(kinds[0], 'messageStart');
    assert.deepEqual(kinds.slice(-3), ['contentBlockStop', 'messageStop', 'metadata']);
    assert.ok(kinds.filter((k) => k === 'contentBlockDelta').length >= 5, 'text arrives in several deltas');
    assert.equal(events.at(-2)?.messageStop?.stopReason, 'end_turn');
    assert.equal(events.at(-1)?.metadata?.usage?.outputTokens, 11);
  });

  it('honours maxTokens and stop sequences', async () => {
    const long = await runtime.send(
      new ConverseCommand({ modelId: HAIKU, messages: [user('[[tokens=50]]')], inferenceConfig: { maxTokens: 7 } }),
    );
    assert.equal(long.stopReason, 'max_tokens');
    assert.equal(long.output?.message?.content?.[0]?.text, 'the quick brown fox jumps over a');
    const stop = await runtime.send(
      new ConverseCommand({
        modelId: HAIKU,
        messages: [user('[[tokens=20]]')],
        inferenceConfig: { stopSequences: ['lazy'] },
      }),
    );
    assert.equal(stop.stopReason, 'stop_sequence');
    assert.equal(stop.output?.message?.content?.[0]?.text, 'the quick brown fox jumps over a');
  });

  it('[[tokens=N paragraphs=W]]: N words, a blank line before every W-th', async () => {
    const out = await runtime.send(
      new ConverseCommand({ modelId: HAIKU, messages: [user('[[tokens=7 paragraphs=3]]')] }),
    );
    assert.equal(out.output?.message?.content?.[0]?.text, 'the quick brown\n\nfox jumps over\n\na');
    assert.equal(out.usage?.outputTokens, 7);
  });

  it('answers with a tool call when tools are offered, and quotes the tool result', async () => {
    const toolConfig = {
      tools: [
        {
          toolSpec: {
            name: 'get_weather',
            description: 'Weather',
            inputSchema: {
              json: { type: 'object', properties: { city: { type: 'string' }, days: { type: 'integer' } } },
            },
          },
        },
      ],
    };
    const out = await runtime.send(
      new ConverseStreamCommand({ modelId: HAIKU, messages: [user('Weather in Paris?')], toolConfig }),
    );
    const { events } = await collect(out.stream);
    const start = events.find((e) => e.contentBlockStart)?.contentBlockStart;
    assert.equal(start?.start?.toolUse?.name, 'get_weather');
    const json = events.map((e) => e.contentBlockDelta?.delta?.toolUse?.input ?? '').join('');
    assert.deepEqual(JSON.parse(json), { city: 'example city', days: 1 });
    assert.equal(events.find((e) => e.messageStop)?.messageStop?.stopReason, 'tool_use');

    const toolUseId = start?.start?.toolUse?.toolUseId ?? '';
    const second = await runtime.send(
      new ConverseCommand({
        modelId: HAIKU,
        toolConfig,
        messages: [
          user('Weather in Paris?'),
          { role: 'assistant', content: [{ toolUse: { toolUseId, name: 'get_weather', input: { city: 'Paris' } } }] },
          { role: 'user', content: [{ toolResult: { toolUseId, content: [{ json: { tempC: 21 } }] } }] },
        ],
      }),
    );
    assert.equal(second.output?.message?.content?.[0]?.text, 'The tool returned [{"json":{"tempC":21}}].');
  });

  it('sends a reasoning block first when reasoning is requested', async () => {
    const out = await runtime.send(
      new ConverseStreamCommand({
        modelId: 'us.anthropic.claude-3-7-sonnet-20250219-v1:0',
        messages: [user('why?')],
        additionalModelRequestFields: { thinking: { type: 'enabled', budget_tokens: 1024 } },
      }),
    );
    const { events, text } = await collect(out.stream);
    const reasoning = events.map((e) => e.contentBlockDelta?.delta?.reasoningContent?.text ?? '').join('');
    assert.equal(reasoning, 'Reasoning about the request: why?');
    assert.match(events.map((e) => e.contentBlockDelta?.delta?.reasoningContent?.signature ?? '').join(''), /^sig-/);
    assert.equal(text, 'Claude 3.7 Sonnet (emulated), turn 1. You wrote: "why?"');
  });

  it('counts tokens', async () => {
    const out = await runtime.send(
      new CountTokensCommand({ modelId: HAIKU, input: { converse: { messages: [user('12345678')] } } }),
    );
    assert.equal(out.inputTokens, 2);
  });

  const httpErrors: [string, new (...args: never[]) => Error, number][] = [
    ['throttling', ThrottlingException, 429],
    ['accessDenied', AccessDeniedException, 403],
    ['validation', ValidationException, 400],
    ['resourceNotFound', ResourceNotFoundException, 404],
    ['modelNotReady', ModelNotReadyException, 429],
    ['modelTimeout', ModelTimeoutException, 408],
    ['modelError', ModelErrorException, 424],
    ['internal', InternalServerException, 500],
    ['serviceUnavailable', ServiceUnavailableException, 503],
  ];
  for (const [kind, cls, status] of httpErrors) {
    it(`returns ${cls.name} (${status}) that the SDK decodes to its class`, async () => {
      emu.addFault({ operation: 'ConverseStream', fault: { kind: 'http', error: kind as never }, times: 1 });
      await assert.rejects(
        noRetry.send(new ConverseStreamCommand({ modelId: HAIKU, messages: [user('x')] })),
        (err: Error & { $metadata?: { httpStatusCode?: number } }) => {
          assert.ok(err instanceof cls, `${err.name} is ${cls.name}`);
          assert.equal(err.$metadata?.httpStatusCode, status);
          return true;
        },
      );
    });
  }

  it('is retried by the SDK on 503 like the real service (3 attempts)', async () => {
    emu.addFault({ operation: 'Converse', fault: { kind: 'http', error: 'serviceUnavailable' } });
    await assert.rejects(
      runtime.send(new ConverseCommand({ modelId: HAIKU, messages: [user('x')] })),
      (err: ServiceUnavailableException) => {
        assert.equal(err.$metadata.attempts, 3);
        return true;
      },
    );
  });

  const streamErrors: [string, new (...args: never[]) => Error][] = [
    ['throttlingException', ThrottlingException],
    ['modelStreamErrorException', ModelStreamErrorException],
    ['validationException', ValidationException],
    ['internalServerException', InternalServerException],
    ['serviceUnavailableException', ServiceUnavailableException],
  ];
  for (const [exception, cls] of streamErrors) {
    it(`raises ${cls.name} inside the stream after partial text`, async () => {
      emu.addFault({
        operation: 'ConverseStream',
        fault: { kind: 'streamException', exception: exception as never, afterTokens: 3 },
        times: 1,
      });
      const out = await runtime.send(new ConverseStreamCommand({ modelId: HAIKU, messages: [user('[[tokens=10]]')] }));
      const { text, error } = await collect(out.stream);
      assert.equal(text, 'the quick brown');
      assert.ok(error instanceof cls, `got ${String(error)}`);
    });
  }

  // Through the real SDK a cut (or an aborted) HTTP/2 stream ends the iterator *without* an error:
  // the only sign is the missing messageStop/metadata, which the extension must treat as a failure.
  it('cuts the connection mid-stream: partial text, no messageStop', async () => {
    emu.addFault({ operation: 'ConverseStream', fault: { kind: 'cut', afterTokens: 4 }, times: 1 });
    const out = await noRetry.send(new ConverseStreamCommand({ modelId: HAIKU, messages: [user('[[tokens=10]]')] }));
    const { text, events } = await collect(out.stream);
    assert.equal(text, 'the quick brown fox');
    assert.equal(
      events.find((e) => e.messageStop),
      undefined,
    );
    // The client recovers with a new connection.
    const again = await noRetry.send(new ConverseCommand({ modelId: HAIKU, messages: [user('again')] }));
    assert.equal(again.stopReason, 'end_turn');
  });

  it('stalls a stream until the client gives up', async () => {
    emu.addFault({ operation: 'ConverseStream', fault: { kind: 'stall', afterTokens: 2 }, times: 1 });
    const abort = new AbortController();
    const out = await noRetry.send(new ConverseStreamCommand({ modelId: HAIKU, messages: [user('[[tokens=10]]')] }), {
      abortSignal: abort.signal,
    });
    let text = '';
    let stopped = false;
    for await (const ev of out.stream ?? []) {
      text += ev.contentBlockDelta?.delta?.text ?? '';
      if (ev.messageStop) stopped = true;
      if (text === 'the quick') setTimeout(() => abort.abort(), 50);
    }
    assert.equal(text, 'the quick');
    assert.equal(stopped, false);
  });

  it('paces tokens and still delivers the whole answer', async () => {
    emu.addFault({
      operation: 'ConverseStream',
      fault: { kind: 'pace', firstTokenDelayMs: 30, tokenDelayMs: 2 },
      times: 1,
    });
    const out = await runtime.send(new ConverseStreamCommand({ modelId: HAIKU, messages: [user('[[tokens=25]]')] }));
    const { text, events } = await collect(out.stream);
    assert.equal(text.split(' ').length, 25);
    assert.equal(events.filter((e) => e.contentBlockDelta).length, 25);
  });

  it('applies a fault only to the matching model and operation', async () => {
    emu.addFault({
      operation: 'Converse',
      modelId: 'amazon.nova-micro-v1:0',
      fault: { kind: 'http', error: 'accessDenied' },
    });
    await assert.rejects(
      noRetry.send(new ConverseCommand({ modelId: 'amazon.nova-micro-v1:0', messages: [user('x')] })),
      AccessDeniedException,
    );
    const ok = await noRetry.send(new ConverseCommand({ modelId: HAIKU, messages: [user('x')] }));
    assert.equal(ok.stopReason, 'end_turn');
  });

  it('rejects what the service rejects, with its messages', async () => {
    await assert.rejects(
      noRetry.send(new ConverseCommand({ modelId: 'anthropic.claude-sonnet-4-20250514-v1:0', messages: [user('x')] })),
      (err: Error) => err instanceof ValidationException && /on-demand throughput isn’t supported/.test(err.message),
    );
    await assert.rejects(
      noRetry.send(
        new ConverseCommand({ modelId: HAIKU, messages: [{ role: 'assistant', content: [{ text: 'x' }] }] }),
      ),
      (err: Error) => err instanceof ValidationException && /must start with a user message/.test(err.message),
    );
    await assert.rejects(
      noRetry.send(
        new ConverseCommand({
          modelId: 'amazon.titan-text-express-v1',
          system: [{ text: 's' }],
          messages: [user('x')],
        }),
      ),
      (err: Error) => err instanceof ValidationException && /system messages/.test(err.message),
    );
    await assert.rejects(
      noRetry.send(new ConverseCommand({ modelId: 'nope.model-v1', messages: [user('x')] })),
      /model identifier is invalid/,
    );
    await assert.rejects(
      noRetry.send(new ConverseStreamCommand({ modelId: 'ai21.j2-ultra-v1', messages: [user('x')] })),
      ValidationException,
    );
  });

  it('structured output: an answer that follows the schema, refused for models without it', async () => {
    const schema = {
      type: 'object',
      properties: { category: { enum: ['billing', 'shipping'] }, score: { type: 'integer' } },
      required: ['category', 'score'],
    };
    const outputConfig = {
      textFormat: {
        type: 'json_schema' as const,
        structure: { jsonSchema: { schema: JSON.stringify(schema), name: 'response' } },
      },
    };
    const out = await runtime.send(
      new ConverseCommand({
        modelId: 'us.anthropic.claude-sonnet-4-5-20250929-v1:0',
        messages: [user('Classify: refund')],
        outputConfig,
      }),
    );
    assert.deepEqual(JSON.parse(out.output?.message?.content?.[0]?.text ?? ''), { category: 'billing', score: 1 });
    await assert.rejects(
      noRetry.send(new ConverseCommand({ modelId: 'amazon.nova-lite-v1:0', messages: [user('x')], outputConfig })),
      (err: Error) => err instanceof ValidationException && /doesn't support structured output/.test(err.message),
    );
  });

  it('runs a custom model through its provisioned throughput ARN', async () => {
    const pt = emu.state.provisioned[0];
    const out = await runtime.send(new ConverseCommand({ modelId: pt.provisionedModelArn, messages: [user('hello')] }));
    assert.equal(out.output?.message?.content?.[0]?.text, 'Nova Lite (emulated), turn 1. You wrote: "hello"');
    await assert.rejects(
      noRetry.send(new ConverseCommand({ modelId: pt.modelArn, messages: [user('x')] })),
      /Provisioned Throughput/,
    );
  });

  it("a prompt router's ARN: the router picks a model and says which (trace.promptRouter), streamed or not", async () => {
    const router = 'arn:aws:bedrock:us-east-1:123456789012:default-prompt-router/anthropic.claude:1';
    const short = await runtime.send(new ConverseCommand({ modelId: router, messages: [user('Hi')] }));
    assert.equal(
      short.trace?.promptRouter?.invokedModelId,
      'arn:aws:bedrock:us-east-1:123456789012:inference-profile/us.anthropic.claude-3-haiku-20240307-v1:0',
    );
    const long = await runtime.send(
      new ConverseStreamCommand({ modelId: router, messages: [user('Explain this. '.repeat(30))] }),
    );
    const { events } = await collect(long.stream);
    assert.match(
      events.find((e) => e.metadata)?.metadata?.trace?.promptRouter?.invokedModelId ?? '',
      /inference-profile\/us\.anthropic\.claude-3-5-sonnet-20240620-v1:0$/,
    );
    await assert.rejects(
      noRetry.send(
        new ConverseCommand({
          modelId: 'arn:aws:bedrock:us-east-1:123456789012:prompt-router/nothere',
          messages: [user('x')],
        }),
      ),
      (err: Error) => err instanceof ResourceNotFoundException,
    );
  });

  it('projectIdentifier: default and active projects pass; unknown and archived ones are refused', async () => {
    for (const projectIdentifier of ['default', 'proj_support01', emu.state.projects[1].arn]) {
      const out = await runtime.send(
        new ConverseCommand({ modelId: HAIKU, messages: [user('hello')], projectIdentifier }),
      );
      assert.ok(out.output?.message, projectIdentifier);
    }
    await assert.rejects(
      noRetry.send(new ConverseCommand({ modelId: HAIKU, messages: [user('x')], projectIdentifier: 'proj_zzz' })),
      (err: Error) => err instanceof ResourceNotFoundException,
    );
    await assert.rejects(
      noRetry.send(new ConverseCommand({ modelId: HAIKU, messages: [user('x')], projectIdentifier: 'proj_legacy01' })),
      (err: Error) => err instanceof ValidationException && /archived/.test(err.message),
    );
  });

  it('encodes frames byte for byte as the reference example', () => {
    const hex = Buffer.from(eventFrame('messageStart', { role: 'assistant' })).toString('hex');
    assert.equal(hex.length / 2, 118);
    assert.ok(hex.startsWith('000000760000005296d5fade'));
    assert.ok(hex.endsWith('6fa8c599'));
  });
});

describe('emulator: control plane through the real BedrockClient', () => {
  let emu: BedrockEmulator;
  let bedrock: BedrockClient;

  before(async () => {
    emu = await startEmulator();
    bedrock = new BedrockClient({ endpoint: emu.url, region: 'us-west-2', credentials, maxAttempts: 1 });
  });
  after(async () => {
    bedrock.destroy();
    await emu.stop();
  });
  afterEach(() => emu.faults.clear());

  it("lists the account's active projects and the prompt routers (Bedrock's and the account's), paginated", async () => {
    const projects = [];
    for await (const page of paginateListProjects({ client: bedrock, pageSize: 1 }, { statusFilter: 'active' }))
      projects.push(...(page.projectSummaries ?? []));
    assert.deepEqual(
      projects.map((p) => [p.id, p.status, p.createdAt instanceof Date]),
      [
        ['default', 'active', true],
        ['proj_support01', 'active', true],
      ],
    );
    const routers = (await bedrock.send(new ListPromptRoutersCommand({}))).promptRouterSummaries ?? [];
    assert.deepEqual(
      routers.map((r) => [r.promptRouterName, r.type]),
      [
        ['Anthropic Prompt Router', 'default'],
        ['Amazon Nova Prompt Router', 'default'],
        ['tickets-router', 'custom'],
      ],
    );
    assert.match(routers[0].fallbackModel?.modelArn ?? '', /foundation-model\/anthropic\.claude-3-haiku/);
    const custom = await bedrock.send(new ListPromptRoutersCommand({ type: 'custom' }));
    assert.equal(custom.promptRouterSummaries?.length, 1);
  });

  it('deploys a custom model for on-demand use: Creating, then Active; runs on its ARN; deleted', async () => {
    const custom = emu.state.customModels[0];
    const { customModelDeploymentArn: arn } = await bedrock.send(
      new CreateCustomModelDeploymentCommand({ modelDeploymentName: 'tone-on-demand', modelArn: custom.modelArn }),
    );
    assert.match(arn ?? '', /^arn:aws:bedrock:us-west-2:123456789012:custom-model-deployment\/\w+$/);
    const listed = await bedrock.send(new ListCustomModelDeploymentsCommand({ modelArnEquals: custom.modelArn }));
    assert.deepEqual(
      listed.modelDeploymentSummaries?.map((d) => [d.customModelDeploymentName, d.status]),
      [['tone-on-demand', 'Creating']],
    );
    const runtime = new BedrockRuntimeClient({ endpoint: emu.url, region: 'us-west-2', credentials, maxAttempts: 1 });
    try {
      await assert.rejects(
        runtime.send(new ConverseCommand({ modelId: arn, messages: [user('hi')] })),
        (err: Error) => err instanceof ValidationException && /is Creating/.test(err.message),
      );
      await new Promise((r) => setTimeout(r, 1100));
      const got = await bedrock.send(new GetCustomModelDeploymentCommand({ customModelDeploymentIdentifier: arn }));
      assert.equal(got.status, 'Active');
      const out = await runtime.send(new ConverseCommand({ modelId: arn, messages: [user('hi')] }));
      assert.match(out.output?.message?.content?.[0]?.text ?? '', /^Nova Lite \(emulated\)/);
    } finally {
      runtime.destroy();
    }
    await bedrock.send(new DeleteCustomModelDeploymentCommand({ customModelDeploymentIdentifier: arn }));
    assert.equal((await bedrock.send(new ListCustomModelDeploymentsCommand({}))).modelDeploymentSummaries?.length, 0);
  });

  it('lists at least 60 foundation models from every provider, over HTTP/1.1', async () => {
    const out = await bedrock.send(new ListFoundationModelsCommand({}));
    const models = out.modelSummaries ?? [];
    assert.ok(models.length >= 60, `${models.length} models`);
    const providers = new Set(models.map((m) => m.providerName));
    for (const p of [
      'AI21 Labs',
      'Amazon',
      'Anthropic',
      'Cohere',
      'Meta',
      'Mistral AI',
      'Stability AI',
      'DeepSeek',
      'OpenAI',
      'Qwen',
    ]) {
      assert.ok(providers.has(p), `provider ${p}`);
    }
    const haiku = models.find((m) => m.modelId === HAIKU);
    assert.equal(
      haiku?.modelArn,
      `arn:aws:bedrock:us-west-2::foundation-model/${HAIKU}`,
      'ARNs follow the signing region',
    );
    assert.deepEqual(haiku?.inputModalities, ['TEXT', 'IMAGE']);
    assert.equal(haiku?.responseStreamingSupported, true);
    assert.equal(
      models.find((m) => m.modelId === 'amazon.titan-embed-text-v2:0')?.responseStreamingSupported,
      undefined,
    );
    assert.ok(models.some((m) => m.modelLifecycle?.status === 'LEGACY'));
    assert.equal(emu.requests.at(-1)?.httpVersion, '1.1');
  });

  it('filters by provider, customization, output modality and inference type', async () => {
    const anthropic = await bedrock.send(new ListFoundationModelsCommand({ byProvider: 'anthropic' }));
    assert.ok((anthropic.modelSummaries ?? []).every((m) => m.providerName === 'Anthropic'));
    assert.ok((anthropic.modelSummaries ?? []).length >= 10);
    const cpt = await bedrock.send(new ListFoundationModelsCommand({ byCustomizationType: 'CONTINUED_PRE_TRAINING' }));
    assert.deepEqual(
      cpt.modelSummaries?.map((m) => m.modelId),
      ['amazon.titan-text-express-v1:0:8k', 'amazon.titan-text-lite-v1:0:4k'],
    );
    const emb = await bedrock.send(new ListFoundationModelsCommand({ byOutputModality: 'EMBEDDING' }));
    assert.ok((emb.modelSummaries ?? []).every((m) => m.outputModalities?.includes('EMBEDDING')));
    const prov = await bedrock.send(new ListFoundationModelsCommand({ byInferenceType: 'PROVISIONED' }));
    assert.ok((prov.modelSummaries ?? []).every((m) => m.inferenceTypesSupported?.includes('PROVISIONED')));
  });

  it('gets one foundation model, and 404s an unknown one', async () => {
    const out = await bedrock.send(new GetFoundationModelCommand({ modelIdentifier: 'amazon.nova-pro-v1:0' }));
    assert.equal(out.modelDetails?.modelName, 'Nova Pro');
    await assert.rejects(
      bedrock.send(new GetFoundationModelCommand({ modelIdentifier: 'x.unknown' })),
      (e: Error) => e.name === 'ResourceNotFoundException',
    );
  });

  it('pages through cross-region inference profiles', async () => {
    const all: InferenceProfileSummary[] = [];
    let pages = 0;
    for await (const p of paginateListInferenceProfiles({ client: bedrock, pageSize: 10 }, {})) {
      pages++;
      all.push(...(p.inferenceProfileSummaries ?? []));
    }
    assert.ok(pages > 2);
    const ids = all.map((p) => p.inferenceProfileId);
    assert.equal(new Set(ids).size, ids.length, 'no duplicates across pages');
    const sonnet = all.find((p) => p.inferenceProfileId === 'us.anthropic.claude-sonnet-4-20250514-v1:0');
    assert.equal(sonnet?.type, 'SYSTEM_DEFINED');
    assert.equal(sonnet?.models?.length, 3);
    assert.ok(sonnet?.createdAt instanceof Date);
  });

  it('lists custom models and provisioned throughputs with parsed timestamps', async () => {
    const custom = await bedrock.send(new ListCustomModelsCommand({}));
    assert.equal(custom.modelSummaries?.[0]?.modelName, 'support-tone-nova-lite');
    assert.ok(custom.modelSummaries?.[0]?.creationTime instanceof Date);
    const pts = await bedrock.send(new ListProvisionedModelThroughputsCommand({}));
    assert.equal(pts.provisionedModelSummaries?.[0]?.status, 'InService');
    assert.equal(pts.provisionedModelSummaries?.[0]?.modelArn, custom.modelSummaries?.[0]?.modelArn);
  });

  it('fails one list call with AccessDenied when told to', async () => {
    emu.addFault({
      operation: 'ListCustomModels',
      fault: {
        kind: 'http',
        error: 'accessDenied',
        message: 'User is not authorized to perform: bedrock:ListCustomModels',
      },
    });
    await assert.rejects(
      bedrock.send(new ListCustomModelsCommand({})),
      (e: Error) => e.name === 'AccessDeniedException' && /ListCustomModels/.test(e.message),
    );
    const ok = await bedrock.send(new ListFoundationModelsCommand({}));
    assert.ok((ok.modelSummaries ?? []).length > 0);
  });

  it('accepts faults over its HTTP control endpoint', async () => {
    const res = await fetch(`${emu.url}/__emulator/faults`, {
      method: 'POST',
      body: JSON.stringify({
        operation: 'ListFoundationModels',
        fault: { kind: 'http', error: 'throttling' },
        times: 1,
      }),
    });
    assert.equal(res.status, 200);
    await assert.rejects(
      bedrock.send(new ListFoundationModelsCommand({})),
      (e: Error) => e.name === 'ThrottlingException',
    );
    const ok = await bedrock.send(new ListFoundationModelsCommand({}));
    assert.ok((ok.modelSummaries ?? []).length > 0);
  });
});
