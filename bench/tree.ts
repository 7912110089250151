// The model explorer's data path for a 500-model catalogue: normalizing the four list responses,
// grouping by provider, badges and model cards for every model, beside JSON.parse of the same
// response body (work the SDK does anyway). And the cached tree: built from the stored catalogue while
// the network call is still on its way.
import { performance } from 'node:perf_hooks';
import type { FoundationModelSummary } from '@aws-sdk/client-bedrock';
import { fetchCatalogue } from '../src/core/bedrock/listCatalogue';
import { groupByProvider, type Catalogue } from '../src/core/models/catalogue';
import { modelBadges, modelCardMarkdown } from '../src/core/models/modelCard';
import { foundationModels } from '../test/emulator/catalogue';
import { loadClientFactory } from '../src/core/bedrock/loadAwsSdk';
import { startEmulator } from '../test/emulator';
import { median, report } from './report';

function catalogueResponse(n: number): FoundationModelSummary[] {
  const out: FoundationModelSummary[] = [];
  for (let i = 0; out.length < n; i++) {
    const m = foundationModels[i % foundationModels.length];
    const id = `${m.modelId}${i >= foundationModels.length ? `-copy${Math.floor(i / foundationModels.length)}` : ''}`;
    out.push({
      modelId: id,
      modelArn: `arn:aws:bedrock:us-east-1::foundation-model/${id}`,
      modelName: m.modelName,
      providerName: m.providerName,
      inputModalities: m.inputModalities as never,
      outputModalities: m.outputModalities as never,
      responseStreamingSupported: m.responseStreamingSupported,
      customizationsSupported: m.customizationsSupported as never,
      inferenceTypesSupported: m.inferenceTypesSupported as never,
      modelLifecycle: { status: m.lifecycle },
    });
  }
  return out;
}

function buildTreeData(c: Catalogue): number {
  let chars = 0;
  for (const models of groupByProvider(c.foundationModels.items).values()) {
    for (const m of models) chars += modelBadges(m).length + modelCardMarkdown(m).length;
  }
  return chars;
}

async function time(fn: () => unknown | Promise<unknown>, rounds = 50): Promise<number> {
  for (let i = 0; i < 5; i++) await fn();
  const samples: number[] = [];
  for (let i = 0; i < rounds; i++) {
    const t = performance.now();
    await fn();
    samples.push(performance.now() - t);
  }
  return median(samples);
}

export async function benchTree(): Promise<void> {
  const response = catalogueResponse(500);
  const body = JSON.stringify({ modelSummaries: response });
  const control = {
    listFoundationModels: async () => response,
    listInferenceProfiles: async () => [],
    listCustomModels: async () => [],
    listProvisionedThroughputs: async () => [],
    listProjects: async () => [],
    listPromptRouters: async () => [],
    listGuardrails: async () => [],
    listCustomModelDeployments: async () => [],
    listImportedModels: async () => [],
    region: async () => 'us-east-1',
  };
  const ours = await time(async () => buildTreeData(await fetchCatalogue(control, {})));
  const parse = await time(() => JSON.parse(body));
  report(
    '500-model catalogue to tree data',
    `${ours.toFixed(2)} ms`,
    `JSON.parse of the response ${parse.toFixed(2)} ms`,
    ours / parse,
  );

  // Cached tree: the stored catalogue is turned into tree data while the list calls (slowed to 2 s
  // by the local server, as a far region would be) are still running.
  const emulator = await startEmulator();
  Object.assign(process.env, emulator.env());
  emulator.addFault({ operation: 'ListFoundationModels', fault: { kind: 'delay', ms: 2000 }, times: 1 });
  const clients = loadClientFactory('bench')({});
  const cached = JSON.parse(JSON.stringify(await fetchCatalogue(control, {}))) as Catalogue;
  const started = performance.now();
  let cachedShownAt = 0;
  const network = fetchCatalogue(clients.control, {}).then(() => performance.now() - started);
  setImmediate(() => {
    buildTreeData(cached);
    cachedShownAt = performance.now() - started;
  });
  const networkMs = await network;
  clients.dispose();
  await emulator.stop();
  report(
    'cached tree shown',
    `${cachedShownAt.toFixed(1)} ms`,
    `refresh from the (slowed) server ${networkMs.toFixed(0)} ms`,
    cachedShownAt / networkMs,
  );
}
