// Retrieve, then prompt (`bedrock.knowledgeBase`), once for every caller: a run, Compare, prompt tests,
// evaluations and batch rows all render through compilePromptText, which asks this for the passages.
// The query is the named input's value, else the text of the last user turn rendered without passages;
// the knowledge base's passages then go to the template as `@passages` (and, with `attach`, to the model
// as blocks it can cite) in a second render.
import { BedrockError } from '../core/shared/bedrockError';
import { passagesOf } from '../core/bedrock/passages';
import type { KnowledgeBaseSetting, Passage } from '../core/format/knowledgeBase';
import type { RenderResult } from '../core/format/render';
import type { Host } from './host';
import { lastUserText } from '../core/format/converseRequest';

/** Passages for a query from the prompt's knowledge base. */
export type Retriever = (setting: KnowledgeBaseSetting, query: string) => Promise<Passage[]>;

/** Retrieval through the front end's clients (AWS credentials: a Bedrock API key does not reach it). */
export function retrieverFor(host: Pick<Host, 'clients' | 'log'>): Retriever {
  return async (setting, query) => {
    host.log.info(`retrieve from knowledge base ${setting.id}`);
    const out = await host.clients().knowledgeBases.retrieve(setting.id, query, {
      numberOfResults: setting.numberOfResults,
      searchType: setting.searchType,
      filter: setting.filter,
      reranking: setting.reranking,
    });
    return passagesOf(out);
  };
}

/** The query a render sends to its knowledge base. */
export function retrievalQuery(rendered: RenderResult): string {
  const setting = rendered.knowledgeBase!;
  if (setting.queryInput !== undefined) {
    const value = rendered.input[setting.queryInput];
    const query =
      typeof value === 'string' ? value : value === undefined || value === null ? '' : JSON.stringify(value);
    if (!query.trim())
      throw new BedrockError(
        'PromptInvalid',
        `\`bedrock.knowledgeBase.queryInput\` names \`${setting.queryInput}\`, which has no value: give it one (Edit Prompt Inputs, or the case's input), or remove queryInput to query with the last user turn.`,
      );
    return query.trim();
  }
  const query = lastUserText(rendered.request.messages);
  if (!query)
    throw new BedrockError(
      'PromptInvalid',
      'The last user turn has no text to query the knowledge base with: write the question there, or set `bedrock.knowledgeBase.queryInput` to the input that holds it.',
    );
  return query;
}

/**
 * A render with its knowledge base's passages: rendered once without them (for the query), retrieved,
 * rendered again with them. Queries already asked in this compile are answered from memory, so a case
 * evaluated on several models retrieves once.
 */
export function withRetrieval(
  render: (input: Record<string, unknown>, passages?: readonly Passage[]) => Promise<RenderResult>,
  retrieve: Retriever,
): (input: Record<string, unknown>) => Promise<RenderResult> {
  const asked = new Map<string, Promise<Passage[]>>();
  return async (input) => {
    const first = await render(input);
    const setting = first.knowledgeBase;
    // With `mode: generate` the service retrieves (RetrieveAndGenerateStream, answeringRuntime).
    if (!setting || setting.mode === 'generate') return first;
    const query = retrievalQuery(first);
    let passages = asked.get(query);
    if (!passages) {
      passages = retrieve(setting, query);
      asked.set(query, passages);
      passages.catch(() => asked.delete(query)); // a failure is not remembered: the next render asks again
    }
    const found = await passages;
    const rendered = await render(input, found);
    return { ...rendered, retrieval: { knowledgeBaseId: setting.id, query, passages: found } };
  };
}
