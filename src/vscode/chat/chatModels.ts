// Bedrock models in VS Code's own chat and for other extensions (`vscode.lm`): a language model chat
// provider over the same AWS session as prompt runs (profile, region, endpoint, credentials), streaming
// through ConverseStream, tool calls mapped both ways, token counts through CountTokens, and the same
// error messages. The user chooses the models (`bedrockPromptLab.chat.models`). The provider API is
// VS Code 1.104's; on an older VS Code nothing is registered and the command says why.
import vscode = require('vscode');
import {
  converseRequestForChat,
  estimateTokens,
  ToolNameMap,
  type ChatMessage,
  type ChatPart,
} from '../../core/bedrock/chatRequest';
import type { ConverseRequest } from '../../core/format/render';
import { resolveInCatalogue, runnableId, type FoundationModel } from '../../core/models/catalogue';
import { BedrockError } from '../../core/shared/bedrockError';
import { toBedrockError } from '../../core/bedrock/errors';
import { streamAnswer } from '../../core/bedrock/invoke';
import { converseFeatures, isChatModel, modelLimits } from '../../core/models/registry';
import { normalizeModelRef } from '../../core/models/modelRef';
import { config } from '../host/config';
import { costOf } from '../host/pricing';
import { formatUsd } from '../../core/shared/money';
import { requireTrust } from '../host/trust';
import type { Services } from '../services';
import type { LanguageModelChatInformation, LanguageModelChatProvider, LmWithProviders } from './lmApi';

export const CHAT_VENDOR = 'bedrock-prompt-lab';
const DEFAULT_MAX_OUTPUT = 4096;
const DEFAULT_MAX_INPUT = 128_000;

type ChatServices = Pick<Services, 'session' | 'catalogue' | 'logger'>;

interface BedrockChatModel extends LanguageModelChatInformation {
  /** What is sent as modelId: a model id, an inference profile id or a provisioned throughput ARN. */
  readonly modelRef: string;
}

/** Whether this VS Code can take language model providers from extensions (1.104+). */
export function chatProvidersSupported(): boolean {
  return typeof (vscode.lm as LmWithProviders | undefined)?.registerLanguageModelChatProvider === 'function';
}

function infoFor(ref: string, s: ChatServices): BedrockChatModel {
  const catalogue = s.catalogue.current;
  const model: FoundationModel | undefined = catalogue
    ? resolveInCatalogue(normalizeModelRef(ref), catalogue).model
    : undefined;
  const base = normalizeModelRef(ref).baseModelId ?? ref;
  const features = converseFeatures(base);
  const limits = modelLimits(ref);
  return {
    id: ref,
    modelRef: ref,
    name: model ? `${model.modelName}${variantLabel(ref)}` : ref,
    family: base.split(':')[0],
    version: ref,
    detail: 'Amazon Bedrock',
    tooltip: `${ref} through Amazon Bedrock (${s.session.profile}${s.session.region ? `, ${s.session.region}` : ''})`,
    maxInputTokens: limits?.contextWindow ?? DEFAULT_MAX_INPUT,
    maxOutputTokens: limits?.maxOutputTokens ?? DEFAULT_MAX_OUTPUT,
    capabilities: { imageInput: model?.inputModalities.includes('IMAGE') ?? false, toolCalling: features.tools },
  };
}

/** What tells two entries of one model apart: its inference profile's geography, or provisioned. */
function variantLabel(ref: string): string {
  const { kind, geo } = normalizeModelRef(ref);
  if (geo) return ` (${geo})`;
  if (kind === 'provisioned-model' || kind === 'custom-model') return ' (provisioned)';
  if (kind === 'application-inference-profile') return ' (application profile)';
  return '';
}

/** VS Code's message parts as plain parts (anything else, e.g. a cache hint, is left out). */
function partsOf(content: readonly unknown[]): ChatPart[] {
  const parts: ChatPart[] = [];
  for (const p of content) {
    if (p instanceof vscode.LanguageModelTextPart) parts.push({ kind: 'text', text: p.value });
    else if (p instanceof vscode.LanguageModelToolCallPart)
      parts.push({ kind: 'toolCall', callId: p.callId, name: p.name, input: p.input });
    else if (p instanceof vscode.LanguageModelToolResultPart) {
      const texts = p.content.map((c) =>
        c instanceof vscode.LanguageModelTextPart ? c.value : typeof c === 'string' ? c : JSON.stringify(c),
      );
      parts.push({ kind: 'toolResult', callId: p.callId, texts });
    } else if (isDataPart(p) && p.mimeType.startsWith('image/'))
      parts.push({ kind: 'image', mimeType: p.mimeType, data: p.data });
  }
  return parts;
}

function isDataPart(p: unknown): p is { mimeType: string; data: Uint8Array } {
  return (
    typeof p === 'object' &&
    p !== null &&
    typeof (p as { mimeType?: unknown }).mimeType === 'string' &&
    (p as { data?: unknown }).data instanceof Uint8Array
  );
}

/**
 * VS Code's error type for language models, with the code callers react to (`NoPermissions`, `Blocked`,
 * `NotFound`) and the product's message; the Bedrock error stays as the cause.
 */
function languageModelError(error: BedrockError): vscode.LanguageModelError {
  const make =
    error.code === 'Untrusted' ||
    error.code === 'AccessDenied' ||
    error.code === 'ModelAccess' ||
    error.code === 'NoCredentials' ||
    error.code === 'ExpiredCredentials' ||
    error.code === 'SsoExpired'
      ? vscode.LanguageModelError.NoPermissions
      : error.code === 'Throttled'
        ? vscode.LanguageModelError.Blocked
        : error.code === 'NotFound' || error.code === 'NeedsInferenceProfile'
          ? vscode.LanguageModelError.NotFound
          : undefined;
  const out = make ? make(error.message) : new vscode.LanguageModelError(error.message);
  (out as { cause?: unknown }).cause = error;
  return out;
}

function roleOf(role: number): ChatMessage['role'] {
  // LanguageModelChatMessageRole: User = 1, Assistant = 2, System = 3 (proposed in some versions).
  return role === vscode.LanguageModelChatMessageRole.Assistant ? 'assistant' : role === 3 ? 'system' : 'user';
}

class BedrockChatProvider implements LanguageModelChatProvider<BedrockChatModel> {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeLanguageModelChatInformation = this.changed.event;
  private readonly subs: vscode.Disposable[];
  /** The catalogue is asked for once: a failing list (no credentials) must not be retried on every listing. */
  private askedForCatalogue = false;

  constructor(private readonly s: ChatServices) {
    this.subs = [
      this.changed,
      vscode.workspace.onDidChangeConfiguration(
        (e) => (config.affectsChatModels(e) || config.affectsAws(e)) && this.changed.fire(),
      ),
      s.catalogue.onDidChange(() => this.changed.fire()),
    ];
  }

  async provideLanguageModelChatInformation(): Promise<BedrockChatModel[]> {
    const refs = config.chatModels();
    // Names and capabilities come from the catalogue: without one yet, wait a little for it (the cached
    // one, else a list call; no prompt is shown); if it comes later, the models are listed again.
    if (refs.length > 0 && !this.s.catalogue.current && !this.askedForCatalogue) {
      this.askedForCatalogue = true;
      this.s.catalogue.ensureLoaded();
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([this.s.catalogue.refresh(), new Promise((resolve) => (timer = setTimeout(resolve, 5000)))]);
      clearTimeout(timer);
    }
    return refs.map((ref) => infoFor(ref, this.s));
  }

  async provideLanguageModelChatResponse(
    model: BedrockChatModel,
    messages: readonly { role: number; content: readonly unknown[] }[],
    options: {
      readonly modelOptions?: { readonly [name: string]: unknown };
      readonly tools?: readonly { name: string; description: string; inputSchema?: object }[];
      readonly toolMode?: number;
    },
    progress: vscode.Progress<unknown>,
    token: vscode.CancellationToken,
  ): Promise<void> {
    const names = new ToolNameMap();
    let request: ConverseRequest;
    try {
      requireTrust('Using a Bedrock model in chat');
      const modelOptions = options.modelOptions ?? {};
      request = converseRequestForChat(
        model.modelRef,
        messages.map((m) => ({ role: roleOf(m.role), parts: partsOf(m.content) })),
        {
          tools: options.tools,
          toolMode: options.toolMode === vscode.LanguageModelChatToolMode.Required ? 'required' : 'auto',
          maxTokens: typeof modelOptions.maxTokens === 'number' ? modelOptions.maxTokens : undefined,
          temperature: typeof modelOptions.temperature === 'number' ? modelOptions.temperature : undefined,
        },
        names,
      );
    } catch (err) {
      throw languageModelError(toBedrockError(err, { operation: `chat with ${model.modelRef}` }));
    }
    const errorContext = {
      operation: `chat with ${model.modelRef}`,
      profile: this.s.session.profile,
      region: this.s.session.region,
      modelId: model.modelRef,
    };
    const abort = new AbortController();
    const sub = token.onCancellationRequested(() => abort.abort());
    const startedAt = performance.now();
    try {
      const runtime = this.s.session.clients().runtime;
      const outcome = await streamAnswer(
        runtime,
        request,
        { onText: (text) => progress.report(new vscode.LanguageModelTextPart(text)) },
        {
          signal: abort.signal,
          stallTimeoutMs: config.stallTimeoutMs(),
          startedAt,
          errorContext,
          abort: () => abort.abort(),
        },
      );
      for (const call of outcome.toolCalls) {
        progress.report(
          new vscode.LanguageModelToolCallPart(
            names.originalId(call.toolUseId),
            names.originalName(call.name),
            (call.input ?? {}) as object,
          ),
        );
      }
      const cost = costOf(model.modelRef, outcome.usage);
      this.s.logger.info(
        `chat ${model.modelRef}: ${outcome.status}, ${Math.round(outcome.latencyMs)} ms, ${outcome.usage ? `${outcome.usage.inputTokens} in / ${outcome.usage.outputTokens} out` : 'no usage'}${cost ? `, ~${formatUsd(cost.usd)}` : ''}`,
      );
      if (outcome.status === 'stopped' || token.isCancellationRequested) return;
      if (outcome.error) throw outcome.error;
    } catch (err) {
      const error = toBedrockError(err, errorContext);
      if (error.cancelled) return;
      this.s.logger.error(`chat ${model.modelRef} failed: ${error.code}: ${error.message}`, error.cause);
      throw languageModelError(error);
    } finally {
      sub.dispose();
    }
  }

  async provideTokenCount(
    model: BedrockChatModel,
    text: string | { role: number; content: readonly unknown[] },
    token: vscode.CancellationToken,
  ): Promise<number> {
    const asText =
      typeof text === 'string'
        ? text
        : partsOf(text.content)
            .map((p) => (p.kind === 'text' ? p.text : p.kind === 'toolResult' ? p.texts.join('\n') : ''))
            .join('\n');
    if (asText.trim() === '') return 0;
    const abort = new AbortController();
    const sub = token.onCancellationRequested(() => abort.abort());
    try {
      const base = normalizeModelRef(model.modelRef).baseModelId ?? model.modelRef;
      const out = await this.s.session
        .clients()
        .runtime.countTokens(
          { modelId: base, input: { converse: { messages: [{ role: 'user', content: [{ text: asText }] }] } } },
          abort.signal,
        );
      return out.inputTokens ?? estimateTokens(asText);
    } catch (err) {
      // CountTokens is not offered for every model or region: an estimate is better than no number.
      this.s.logger.debug(`count tokens for ${model.modelRef}: ${(err as Error).message}; estimated`);
      return estimateTokens(asText);
    } finally {
      sub.dispose();
    }
  }

  dispose(): void {
    this.subs.forEach((d) => d.dispose());
  }
}

/** Registers the provider where VS Code supports it; returns what to dispose. */
export function registerChatModels(s: ChatServices): vscode.Disposable {
  const lm = vscode.lm as LmWithProviders | undefined;
  if (!lm?.registerLanguageModelChatProvider) {
    s.logger.info(
      `VS Code ${vscode.version} cannot take language models from extensions (1.104 or later can): Bedrock models are not offered in its chat.`,
    );
    return new vscode.Disposable(() => undefined);
  }
  const provider = new BedrockChatProvider(s);
  return vscode.Disposable.from(lm.registerLanguageModelChatProvider(CHAT_VENDOR, provider), provider);
}

/** Bedrock: Choose Models for VS Code Chat: the account's chat models (and their profiles), picked into the setting. */
export async function chooseChatModels(s: ChatServices, given?: string[]): Promise<string[] | undefined> {
  if (!chatProvidersSupported()) {
    throw new BedrockError(
      'Validation',
      `This VS Code (${vscode.version}) cannot offer models from extensions in its chat: that needs VS Code 1.104 or later.`,
    );
  }
  if (given) {
    await config.update('chat.models', given);
    return given;
  }
  if (!s.catalogue.current) await s.catalogue.refresh();
  const catalogue = s.catalogue.current;
  if (!catalogue)
    throw new BedrockError(
      'Validation',
      'The model list could not be read: open the Models view to see why, then try again.',
    );
  const chosen = new Set(config.chatModels());
  const region = s.session.region;
  const items: (vscode.QuickPickItem & { ref: string })[] = [];
  for (const m of catalogue.foundationModels.items) {
    if (!isChatModel(m)) continue;
    let ref: string;
    try {
      ref = runnableId({ kind: 'model', model: m }, catalogue, region);
    } catch {
      continue; // nothing in this account runs it (no profile, no throughput): not offered
    }
    items.push({
      label: m.modelName,
      description: ref,
      detail: `${m.provider}${converseFeatures(m.modelId).tools ? ' · tools' : ''}${m.inputModalities.includes('IMAGE') ? ' · images' : ''}`,
      ref,
      picked: chosen.has(ref),
    });
  }
  // Chosen earlier but not listed now (a provisioned ARN, another region's profile): kept, and shown.
  const listed = new Set(items.map((i) => i.ref));
  for (const ref of chosen)
    if (!listed.has(ref))
      items.unshift({ label: ref, description: "chosen earlier; not in this account's list here", ref, picked: true });
  // A QuickPick of our own, so the checked items are set before it shows (showQuickPick applies
  // `picked` later, and an early Enter would take none).
  const qp = vscode.window.createQuickPick<(typeof items)[number]>();
  qp.title = 'Bedrock models to offer in VS Code chat';
  qp.placeholder = 'Check the models VS Code chat and other extensions may use';
  qp.canSelectMany = true;
  qp.matchOnDescription = true;
  qp.items = items;
  qp.selectedItems = items.filter((i) => i.picked);
  const picked = await new Promise<readonly (typeof items)[number][] | undefined>((resolve) => {
    qp.onDidAccept(() => resolve(qp.selectedItems));
    qp.onDidHide(() => resolve(undefined));
    qp.show();
  });
  qp.dispose();
  if (!picked) return undefined;
  const refs = picked.map((p) => p.ref);
  await config.update('chat.models', refs);
  return refs;
}
