// Whether a model can take what a prompt uses (images, documents, a system prompt, tools), from the
// catalogue where it is known and the Converse feature table otherwise. One set of rules for the
// prompt's diagnostics and for Compare's flags before anything is sent.
import { resolveInCatalogue, type Catalogue } from './catalogue';
import { converseFeatures, takesSearchResults } from './registry';
import { normalizeModelRef } from './modelRef';

export interface PromptNeeds {
  images: boolean;
  documents: boolean;
  /** Retrieved passages sent as search-result blocks (`bedrock.knowledgeBase.attach: searchResults`). */
  searchResults?: boolean;
  system: boolean;
  tools: boolean;
}

export interface ModelProblem {
  severity: 'error' | 'info';
  code: 'model-capability' | 'needs-profile' | 'needs-provisioned' | 'unknown-model';
  message: string;
  /** "it does not accept images": how Compare says why a column was not run. */
  reason: string;
  /** Compare streams every column, so a model that cannot stream is flagged there too. */
  flagsCompare: boolean;
}

type CatalogueView = Pick<
  Catalogue,
  'foundationModels' | 'inferenceProfiles' | 'customModels' | 'provisionedThroughputs'
> &
  Partial<Pick<Catalogue, 'importedModels'>>;

export function modelProblems(modelRef: string, needs: PromptNeeds, catalogue?: CatalogueView): ModelProblem[] {
  const problems: ModelProblem[] = [];
  const ref = normalizeModelRef(modelRef);
  const features = converseFeatures(ref.modelId);
  const label = ref.modelId;
  const add = (
    severity: ModelProblem['severity'],
    code: ModelProblem['code'],
    message: string,
    reason: string,
    flagsCompare = severity === 'error',
  ) => problems.push({ severity, code, message, reason, flagsCompare });
  if (needs.system && !features.systemPrompt)
    add(
      'error',
      'model-capability',
      `${label} does not accept a system prompt through Converse: move the system text into the first user turn.`,
      'it does not accept a system prompt',
    );
  if (needs.tools && !features.tools)
    add(
      'error',
      'model-capability',
      `${label} does not support tool use through Converse: remove \`tools\` or pick another model.`,
      'it does not support tool use',
    );
  if (needs.documents && !features.documents)
    add(
      'error',
      'model-capability',
      `${label} does not accept documents through Converse.`,
      'it does not accept documents',
    );
  if (needs.searchResults && !takesSearchResults(ref.modelId))
    add(
      'error',
      'model-capability',
      `${label} does not take search-result blocks: attach the passages as \`documents\` (\`bedrock.knowledgeBase.attach\`), quote \`@passages\` in the template, or pick a Claude model that takes them (Sonnet 4, Sonnet 4.5, Opus 4, 3.7 Sonnet, 3.5 Haiku).`,
      'it does not take search results',
    );

  if (!catalogue || catalogue.foundationModels.error || catalogue.foundationModels.items.length === 0) return problems;
  const resolved = resolveInCatalogue(ref, catalogue);
  if (resolved.kind === 'unknown') return problems; // the analyzer words this itself, with a suggestion
  const imported = catalogue.importedModels?.items.find((m) => m.arn === ref.modelId);
  if (imported && !imported.converse && (needs.tools || needs.images || needs.documents))
    add(
      'error',
      'model-capability',
      `${imported.name} is an imported model that Converse does not serve: it answers through InvokeModel's chat-completion format, which carries text only (no tools, images or documents).`,
      'it takes text only (InvokeModel chat completion)',
    );
  const m = resolved.model;
  if (!m) return problems;
  if (!m.outputModalities.includes('TEXT')) {
    add(
      'error',
      'model-capability',
      `${m.modelName} generates ${m.outputModalities.join(', ').toLowerCase()}, not text: it cannot run through Converse.`,
      'it does not generate text',
    );
    return problems;
  }
  if (needs.images && !m.inputModalities.includes('IMAGE'))
    add(
      'error',
      'model-capability',
      `${m.modelName} does not accept images: pick a vision model (e.g. Claude 3 Haiku, Nova Lite).`,
      'it does not accept images',
    );
  if (m.streaming === false)
    add(
      'info',
      'model-capability',
      `${m.modelName} cannot stream: runs wait for the whole answer.`,
      'it cannot stream',
      true,
    );
  if (resolved.kind === 'foundation' && !m.inferenceTypes.includes('ON_DEMAND')) {
    const profile = catalogue.inferenceProfiles.items.find((p) => p.modelIds.includes(m.modelId));
    if (m.inferenceTypes.includes('INFERENCE_PROFILE') || profile) {
      add(
        'error',
        'needs-profile',
        `${m.modelName} runs only through an inference profile${profile ? `: use \`${profile.id}\`` : ''}.`,
        'it runs only through an inference profile',
        false,
      );
    } else if (m.inferenceTypes.includes('PROVISIONED')) {
      add(
        'error',
        'needs-provisioned',
        `${m.modelId} runs only with Provisioned Throughput: use the provisioned model's ARN.`,
        'it runs only with Provisioned Throughput',
        false,
      );
    }
  }
  return problems;
}

/** What a rendered Converse request uses. */
export function needsOfRequest(request: {
  system?: unknown[];
  messages?: { content?: object[] }[];
  toolConfig?: unknown;
}): PromptNeeds {
  const blocks = (request.messages ?? []).flatMap((m) => m.content ?? []);
  return {
    images: blocks.some((b) => 'image' in b),
    documents: blocks.some((b) => 'document' in b),
    searchResults: blocks.some((b) => 'searchResult' in b),
    system: (request.system?.length ?? 0) > 0,
    tools: request.toolConfig !== undefined,
  };
}
