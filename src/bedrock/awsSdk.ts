// The only module that imports the AWS SDK. It is bundled on its own (dist/awsSdk.js) and required on
// first use, so activation never pays for loading the SDK. Everything else talks to the interfaces in
// ./clients.ts.
import { BedrockRuntimeClient, ConverseCommand, ConverseStreamCommand, CountTokensCommand } from '@aws-sdk/client-bedrock-runtime';
import {
  BedrockClient,
  ListFoundationModelsCommand,
  paginateListCustomModels,
  paginateListInferenceProfiles,
  paginateListProvisionedModelThroughputs,
} from '@aws-sdk/client-bedrock';
import { fromNodeProviderChain } from '@aws-sdk/credential-providers';
import type { AwsSettings } from './settings';
import type { BedrockClients, ControlPlane, Runtime } from './clients';

export function createClients(settings: AwsSettings, userAgent: string): BedrockClients {
  const common = {
    region: settings.region,
    // Empty endpoint: the SDK resolves AWS_ENDPOINT_URL_BEDROCK(_RUNTIME) / AWS_ENDPOINT_URL itself.
    endpoint: settings.endpoint,
    credentials: fromNodeProviderChain({ profile: settings.profile }),
    customUserAgent: userAgent,
    profile: settings.profile,
  };
  const runtimeClient = new BedrockRuntimeClient(common);
  const controlClient = new BedrockClient(common);

  const runtime: Runtime = {
    converse: (input, signal) => runtimeClient.send(new ConverseCommand(input), { abortSignal: signal }),
    converseStream: (input, signal) => runtimeClient.send(new ConverseStreamCommand(input), { abortSignal: signal }),
    countTokens: (input, signal) => runtimeClient.send(new CountTokensCommand(input), { abortSignal: signal }),
    region: async () => runtimeClient.config.region(),
  };

  const control: ControlPlane = {
    async listFoundationModels(signal) {
      const out = await controlClient.send(new ListFoundationModelsCommand({}), { abortSignal: signal });
      return out.modelSummaries ?? [];
    },
    async listInferenceProfiles() {
      const all = [];
      for await (const page of paginateListInferenceProfiles({ client: controlClient, pageSize: 1000 }, {})) {
        all.push(...(page.inferenceProfileSummaries ?? []));
      }
      return all;
    },
    async listCustomModels() {
      const all = [];
      for await (const page of paginateListCustomModels({ client: controlClient, pageSize: 1000 }, {})) all.push(...(page.modelSummaries ?? []));
      return all;
    },
    async listProvisionedThroughputs() {
      const all = [];
      for await (const page of paginateListProvisionedModelThroughputs({ client: controlClient, pageSize: 1000 }, {})) {
        all.push(...(page.provisionedModelSummaries ?? []));
      }
      return all;
    },
    region: async () => controlClient.config.region(),
  };

  return {
    runtime,
    control,
    dispose() {
      runtimeClient.destroy();
      controlClient.destroy();
    },
  };
}
