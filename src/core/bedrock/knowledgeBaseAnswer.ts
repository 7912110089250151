// Retrieve and generate (`bedrock.knowledgeBase.mode: generate`): the knowledge base retrieves and the
// service writes the answer, through RetrieveAndGenerateStream. Like an imported model's chat completion,
// it is served behind the Runtime interface, so every caller (a run, Compare, prompt tests, evaluations)
// sends the rendered Converse request and reads one shape of answer: the request is mapped here (the last
// user turn is the query, the system turn the generation prompt, inference settings and the guardrail
// carried over), and the service's events come back as Converse stream events, its citations as citation
// deltas naming their source. A managed knowledge base refuses RetrieveAndGenerateStream; the same run then
// goes to AgenticRetrieveStream, which takes the conversation (text turns) rather than one question and has
// no place for a system turn or inference settings.
import { lastUserText } from '../format/converseRequest';
import type {
  AgenticRetrieveStreamCommandInput,
  AgenticRetrieveStreamResponseOutput,
  RetrieveAndGenerateStreamCommandInput,
  RetrieveAndGenerateStreamResponseOutput,
  RetrievedReference,
} from '@aws-sdk/client-bedrock-agent-runtime';
import type { ConverseCommandInput, ConverseStreamOutput } from '@aws-sdk/client-bedrock-runtime';
import { BedrockError } from '../shared/bedrockError';
import type { ConverseRequest } from '../format/render';
import type { KnowledgeBaseSetting, Passage, Retrieval } from '../format/knowledgeBase';
import { sourceNameOf } from '../format/knowledgeBase';
import { agenticPassage, passagesOf, retrievalConfiguration } from './passages';
import { answeredBy, noEvents } from './streamedAnswer';
import type { AgentSessions } from './agentSessions';
import type { KnowledgeBases, Runtime } from './clients';

/** Where the generation prompt puts the passages (the service's placeholder). */
const SEARCH_RESULTS = '$search_results$';

function refused(message: string): BedrockError {
  return new BedrockError('PromptInvalid', `Retrieve and generate (\`mode: generate\`) ${message}`);
}

/** A model as RetrieveAndGenerate names it: a foundation model by its ARN; profiles and ARNs as given. */
function modelArnFor(modelId: string, region: string): string {
  if (modelId.startsWith('arn:') || /^(us|eu|apac|global|us-gov|jp|au|ca)\./.test(modelId)) return modelId;
  return `arn:aws:bedrock:${region}::foundation-model/${modelId}`;
}

/** The rendered Converse request as a RetrieveAndGenerateStream request. */
export function generateRequest(
  request: ConverseRequest,
  setting: KnowledgeBaseSetting,
  region: string,
): RetrieveAndGenerateStreamCommandInput {
  if (request.toolConfig) throw refused('cannot call tools: remove `tools`, or use `mode: retrieve`.');
  const last = (request.messages ?? []).filter((m) => m.role === 'user').at(-1);
  const content = last?.content ?? [];
  if (content.some((b) => !('text' in b) && !('cachePoint' in b)))
    throw refused('takes text only: move media out of the prompt, or use `mode: retrieve`.');
  const text = lastUserText(request.messages);
  if (!text) throw refused('needs a question: write it in the last user turn.');
  const system = (request.system ?? [])
    .map((b) => b.text ?? '')
    .join('\n')
    .trim();
  const inference = request.inferenceConfig;
  const guardrail = request.guardrailConfig;
  return {
    input: { text },
    retrieveAndGenerateConfiguration: {
      type: 'KNOWLEDGE_BASE',
      knowledgeBaseConfiguration: {
        knowledgeBaseId: setting.id,
        modelArn: modelArnFor(request.modelId!, region),
        retrievalConfiguration: retrievalConfiguration(setting),
        generationConfiguration: {
          // The system turn is the generation prompt; the passages go where it says, else after it.
          ...(system
            ? {
                promptTemplate: {
                  textPromptTemplate: system.includes(SEARCH_RESULTS) ? system : `${system}\n\n${SEARCH_RESULTS}`,
                },
              }
            : {}),
          ...(inference
            ? {
                inferenceConfig: {
                  textInferenceConfig: {
                    temperature: inference.temperature,
                    topP: inference.topP,
                    maxTokens: inference.maxTokens,
                    stopSequences: inference.stopSequences,
                  },
                },
              }
            : {}),
          ...(guardrail?.guardrailIdentifier
            ? {
                guardrailConfiguration: {
                  guardrailId: guardrail.guardrailIdentifier,
                  guardrailVersion: guardrail.guardrailVersion ?? 'DRAFT',
                },
              }
            : {}),
          ...(request.additionalModelRequestFields
            ? { additionalModelRequestFields: request.additionalModelRequestFields as never }
            : {}),
        },
      },
    },
  };
}

/** The rendered Converse request as an AgenticRetrieveStream request (a managed knowledge base's). */
export function agenticRequest(
  request: ConverseRequest,
  setting: KnowledgeBaseSetting,
  region: string,
): AgenticRetrieveStreamCommandInput {
  // The same refusals as RetrieveAndGenerate's (tools, media, no question), from the one mapping.
  const single = generateRequest(request, setting, region);
  const messages = (request.messages ?? [])
    .map((m) => ({
      role: m.role === 'assistant' ? ('assistant' as const) : ('user' as const),
      content: {
        text: (m.content ?? [])
          .map((b) => b.text ?? '')
          .join('\n')
          .trim(),
      },
    }))
    .filter((m) => m.content.text);
  const guardrail = request.guardrailConfig;
  return {
    messages,
    retrievers: [
      {
        configuration: {
          knowledgeBase: {
            knowledgeBaseId: setting.id,
            ...(setting.filter || setting.numberOfResults
              ? {
                  retrievalOverrides: {
                    ...(setting.filter ? { filter: setting.filter as never } : {}),
                    ...(setting.numberOfResults ? { maxNumberOfResults: setting.numberOfResults } : {}),
                  },
                }
              : {}),
          },
        },
      },
    ],
    agenticRetrieveConfiguration: {
      foundationModelType: 'CUSTOM',
      foundationModelConfiguration: {
        type: 'BEDROCK_FOUNDATION_MODEL',
        bedrockFoundationModelConfiguration: {
          modelConfiguration: {
            modelArn: single.retrieveAndGenerateConfiguration!.knowledgeBaseConfiguration!.modelArn!,
          },
        },
      },
      ...(setting.reranking
        ? {
            rerankingModelType: 'CUSTOM' as const,
            rerankingConfiguration: {
              type: 'BEDROCK_RERANKING_MODEL' as const,
              bedrockRerankingConfiguration: { modelConfiguration: { modelArn: setting.reranking.modelArn } },
            },
          }
        : {}),
    },
    ...(guardrail?.guardrailIdentifier
      ? {
          policyConfiguration: {
            bedrockGuardrailConfiguration: {
              guardrailId: guardrail.guardrailIdentifier,
              guardrailVersion: guardrail.guardrailVersion ?? 'DRAFT',
            },
          },
        }
      : {}),
    generateResponse: true,
  };
}

function passageOf(ref: RetrievedReference): Passage {
  return passagesOf({
    retrievalResults: [{ content: ref.content, location: ref.location, metadata: ref.metadata }],
  })[0];
}

/** A Runtime that answers Converse requests through the knowledge base; `retrieval()` is what its answers cited. */
export interface KnowledgeBaseRuntime extends Runtime {
  retrieval(): Retrieval | undefined;
}

export function knowledgeBaseRuntime(
  base: Runtime,
  knowledgeBases: KnowledgeBases,
  setting: KnowledgeBaseSetting,
  sessions?: AgentSessions,
): KnowledgeBaseRuntime {
  let retrieval: Retrieval | undefined;
  const start = async (input: ConverseCommandInput, signal?: AbortSignal) => {
    // A continued conversation goes on in the service's session (it keeps the earlier turns); a new one
    // lets the service open a session, whose id comes back with the answer.
    const conversation = (input as ConverseRequest).messages ?? [];
    const key = `knowledge-base:${setting.id}`;
    const session = sessions?.resume(key, conversation);
    const req = {
      ...generateRequest(input as ConverseRequest, setting, await base.region()),
      ...(session?.seen ? { sessionId: session.sessionId } : {}),
    };
    retrieval = { knowledgeBaseId: setting.id, query: req.input!.text!, passages: [] };
    const out = await knowledgeBases.retrieveAndGenerateStream(req, signal).catch((err: unknown) => {
      // A managed knowledge base answers through AgenticRetrieveStream instead (the service says which).
      if (/managed knowledge bases/i.test((err as Error).message ?? '')) return undefined;
      throw err;
    });
    if (!out) {
      const agentic = agenticRequest(input as ConverseRequest, setting, await base.region());
      const answer = await knowledgeBases.agenticRetrieveStream(agentic, signal);
      return agenticEvents(answer.stream ?? noEvents(), retrieval);
    }
    return events(out.stream ?? noEvents(), retrieval, (text) => {
      if (out.sessionId)
        sessions?.remember(key, out.sessionId, [...conversation, { role: 'assistant', content: [{ text }] }]);
    });
  };
  return { ...answeredBy(base, start), retrieval: () => retrieval };
}

/**
 * AgenticRetrieveStream's events as Converse stream events: the answer's chunks as text (or the generated
 * answer whole, when it came without chunks), its results as the run's retrieval, and its citations (spans
 * of the answer pointing at results) as citation deltas naming their source.
 */
async function* agenticEvents(
  stream: AsyncIterable<AgenticRetrieveStreamResponseOutput>,
  retrieval: Retrieval,
): AsyncIterable<ConverseStreamOutput> {
  yield { messageStart: { role: 'assistant' } };
  let streamedText = false;
  let stopReason: 'end_turn' | 'guardrail_intervened' = 'end_turn';
  for await (const ev of stream) {
    if (ev.responseEvent?.text) {
      streamedText = true;
      yield { contentBlockDelta: { contentBlockIndex: 0, delta: { text: ev.responseEvent.text } } };
    } else if (ev.traceEvent?.attributes?.warnings?.some((w) => w.guardrail?.action === 'INTERVENED'))
      stopReason = 'guardrail_intervened';
    else if (ev.result) {
      const passages = (ev.result.results ?? []).map(agenticPassage);
      for (const p of passages)
        if (!retrieval.passages.some((q) => q.source === p.source && q.text === p.text)) retrieval.passages.push(p);
      const generated = ev.result.generatedResponse;
      if (generated?.answer && !streamedText)
        yield { contentBlockDelta: { contentBlockIndex: 0, delta: { text: generated.answer } } };
      for (const c of generated?.citations ?? [])
        for (const ref of c.references ?? []) {
          const p = passages[ref.resultIndex ?? -1];
          if (p)
            yield {
              contentBlockDelta: {
                contentBlockIndex: 0,
                delta: { citation: { title: p.sourceName, source: p.source, sourceContent: [{ text: p.text }] } },
              },
            };
        }
    }
  }
  yield { contentBlockStop: { contentBlockIndex: 0 } };
  yield { messageStop: { stopReason } };
}

/** The service's events as Converse stream events; each cited reference joins the run's retrieval. */
async function* events(
  stream: AsyncIterable<RetrieveAndGenerateStreamResponseOutput>,
  retrieval: Retrieval,
  finished: (text: string) => void,
): AsyncIterable<ConverseStreamOutput> {
  yield { messageStart: { role: 'assistant' } };
  let text = '';
  let stopReason: 'end_turn' | 'guardrail_intervened' = 'end_turn';
  for await (const ev of stream) {
    if (ev.output?.text) {
      text += ev.output.text;
      yield { contentBlockDelta: { contentBlockIndex: 0, delta: { text: ev.output.text } } };
    } else if (ev.citation) {
      const refs = ev.citation.retrievedReferences ?? ev.citation.citation?.retrievedReferences ?? [];
      for (const ref of refs) {
        const passage = passageOf(ref);
        if (!retrieval.passages.some((p) => p.source === passage.source && p.text === passage.text))
          retrieval.passages.push(passage);
        yield {
          contentBlockDelta: {
            contentBlockIndex: 0,
            delta: {
              citation: {
                title: sourceNameOf(passage.source),
                source: passage.source,
                // The span the service gives is of the answer, not of the source: no location is claimed.
                sourceContent: [{ text: passage.text }],
              },
            },
          },
        };
      }
    } else if (ev.guardrail?.action === 'INTERVENED') stopReason = 'guardrail_intervened';
  }
  finished(text);
  yield { contentBlockStop: { contentBlockIndex: 0 } };
  yield { messageStop: { stopReason } };
}
