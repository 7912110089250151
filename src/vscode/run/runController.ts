import { withTierChoice } from '../../core/bedrock/serviceTiers';
import { performance } from 'node:perf_hooks';
import vscode = require('vscode');
import { BedrockError } from '../../core/shared/bedrockError';
import { type ErrorContext } from '../../core/bedrock/errors';
import { normalizeModelRef } from '../../core/models/modelRef';
import { formatUsd } from '../../core/bedrock/pricing';
import type { Host } from '../../app/host';
import { metricsLine, runResult, streamPrompt, type AnsweredOutcome } from '../../app/runPrompt';
import type { StreamOutcome } from '../../core/bedrock/stream';
import type { AwsSession } from '../host/awsSession';
import { requireTrust } from '../host/trust';
import { requireNoErrors } from '../../core/format/inputs';
import type { CatalogueService } from '../host/catalogueService';
import { showError } from '../host/commands';
import { Commands } from '../host/commandIds';
import type { Logger } from '../../core/shared/logger';
import { profileFor, resolveInCatalogue } from '../../core/models/catalogue';
import type { ConverseRequest, RenderResult } from '../../core/format/render';
import { escapeTemplateText } from '../../core/format/conversation';
import { promptEngine } from '../../core/format/loadEngine';
import type { PromptAnalyses } from '../language/promptAnalyses';
import { toVsRange } from '../language/promptAnalyses';
import type { RunHistory } from '../host/runHistoryStore';
import type { InputStore } from './inputStore';
import { renderPromptFile, requestFor } from '../host/promptFiles';
import { retrieverFor } from '../../app/retrieval';
import { DocumentSink, InlineSink, type ResponseSink } from './sinks';
import type { RunMode, RunOptions, RunResult } from './types';
import { config } from '../host/config';

interface ActiveRun {
  abort: AbortController;
  modelId: string;
}

/**
 * Runs prompts: render → ConverseStream (Converse for models that cannot stream) → the answer streams
 * into the prompt file (or a document beside it) → metrics, history, and a RunResult for the caller.
 * Nothing is written to the file until the service has accepted the request, so an error before the
 * stream leaves the file as it was; an error during the stream keeps what arrived, marked.
 */
export class RunController implements vscode.Disposable {
  private readonly active = new Map<string, ActiveRun>();
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;
  private readonly runDiagnostics = vscode.languages.createDiagnosticCollection('bedrockPromptLab.run');
  private readonly status = vscode.window.createStatusBarItem(
    'bedrockPromptLab.run',
    vscode.StatusBarAlignment.Left,
    49,
  );
  private readonly subscriptions: vscode.Disposable[] = [];

  constructor(
    private readonly session: AwsSession,
    private readonly catalogue: CatalogueService,
    private readonly analyses: PromptAnalyses,
    private readonly history: RunHistory,
    readonly inputs: InputStore,
    private readonly logger: Logger,
    private readonly host: Host,
  ) {
    this.status.name = 'Bedrock: prompt run';
    this.subscriptions.push(
      vscode.workspace.onDidChangeTextDocument(
        (e) => e.contentChanges.length > 0 && this.runDiagnostics.delete(e.document.uri),
      ),
    );
  }

  isRunning(uri: vscode.Uri): boolean {
    return this.active.has(uri.toString());
  }

  stop(uri?: vscode.Uri): boolean {
    const key = uri?.toString() ?? vscode.window.activeTextEditor?.document.uri.toString();
    const targets = key && this.active.has(key) ? [this.active.get(key)!] : uri ? [] : [...this.active.values()];
    targets.forEach((r) => r.abort.abort());
    return targets.length > 0;
  }

  async run(opts: RunOptions = {}): Promise<RunResult | undefined> {
    requireTrust('Running a prompt');
    const uri = opts.uri
      ? typeof opts.uri === 'string'
        ? vscode.Uri.parse(opts.uri)
        : opts.uri
      : vscode.window.activeTextEditor?.document.uri;
    if (!uri) throw new BedrockError('PromptInvalid', 'Open a .prompt file to run it.');
    const doc = await vscode.workspace.openTextDocument(uri);
    if (doc.languageId !== 'dotprompt')
      throw new BedrockError('PromptInvalid', `${vscode.workspace.asRelativePath(uri)} is not a .prompt file.`);
    if (this.isRunning(uri)) {
      void vscode.window.showInformationMessage('This prompt is already running. Stop it first (Bedrock: Stop Run).');
      return undefined;
    }
    const analysis = this.analyses.get(doc);
    requireNoErrors(analysis);
    const inputs = await this.inputs.resolve(uri, analysis, opts.inputs);
    const mode: RunMode = opts.mode ?? config.runOutput(uri);
    // Run again: an answer a run appended, with nothing written after it, is replaced by the new one
    // (it stays in run history and in undo); the render leaves it out (compilePromptFile). Continue keeps
    // it and sends the next message.
    const tail = promptEngine().appendedAnswerStart(doc.getText());
    let replaceFrom = mode === 'inline' && !opts.continue ? tail : undefined;
    if (opts.continue && tail !== undefined) {
      if (promptEngine().waitsForToolResults(doc.getText()))
        throw new BedrockError(
          'PromptInvalid',
          'The model is waiting for tool results: write each result between its `{{#toolResult}}` tags, then Run.',
        );
      const message =
        opts.message ??
        (await vscode.window.showInputBox({
          title: 'Continue the conversation',
          prompt: 'Your next message (it is added to the file as the next user turn)',
          ignoreFocusOut: true,
        }));
      if (!message) return undefined;
      await appendUserMessage(doc, message);
      replaceFrom = undefined;
    }
    const text = doc.getText();
    const rendered = await renderPromptFile(text, inputs, uri, retrieverFor(this.host));
    const request = withTierChoice(requestFor(rendered, opts.modelId), opts.tier);
    return this.execute(doc, request, mode, rendered, replaceFrom);
  }

  private async execute(
    doc: vscode.TextDocument,
    request: ConverseRequest,
    mode: RunMode,
    rendered?: RenderResult,
    replaceFrom?: number,
  ): Promise<RunResult> {
    const key = doc.uri.toString();
    const abort = new AbortController();
    this.active.set(key, { abort, modelId: request.modelId });
    this.changed.fire();
    void vscode.commands.executeCommand('setContext', 'bedrockPromptLab.running', true);
    this.showRunning(request.modelId);
    const errorContext: ErrorContext = {
      operation: `run ${request.modelId}`,
      profile: this.session.profile,
      region: this.session.region,
      modelId: request.modelId,
    };
    const sink: ResponseSink =
      mode === 'document' ? new DocumentSink(doc.uri, request.modelId) : new InlineSink(doc, replaceFrom);
    let streamed = this.canStream(request.modelId);
    this.runDiagnostics.delete(doc.uri);
    let outcome: AnsweredOutcome;
    const startedAt = performance.now();
    try {
      // Some models (and provisioned deployments) refuse streaming: streamPrompt falls back to Converse.
      const answered = await streamPrompt(this.host, request, {
        streamed,
        onAccepted: () => sink.begin(),
        onText: (t) => sink.text(t),
        onReasoning: (t) => sink.reasoning(t),
        signal: abort.signal,
        abort: () => abort.abort(),
        errorContext,
        resource: doc.uri.toString(),
        label: vscode.workspace.asRelativePath(doc.uri),
        target: rendered,
      });
      streamed = answered.streamed;
      outcome = answered;
    } catch (err) {
      // Failed before any output: the file is untouched.
      const error = err as BedrockError;
      this.logger.error(`${error.code}: ${error.message}`, error.cause);
      const result = runResult(
        this.host,
        request,
        {
          text: '',
          reasoning: '',
          toolCalls: [],
          latencyMs: performance.now() - startedAt,
          status: error.cancelled ? 'stopped' : 'failed',
          error: error.cancelled ? undefined : error,
        },
        streamed,
      );
      this.finishRun(key);
      if (!error.cancelled) this.report(doc, request, error);
      result.historyFile = await this.record(doc.uri, request, result);
      return result;
    }
    const result = runResult(this.host, request, outcome, streamed, rendered);
    try {
      await sink.finish(outcome, metricsLine(result), { retrieval: result.retrieval, agent: result.agent });
    } finally {
      this.finishRun(key);
    }
    if (result.schemaProblem && sink instanceof InlineSink)
      this.markAnswer(doc, sink.answerStart, `The answer does not match output.schema: ${result.schemaProblem}.`);
    result.edits = sink.edits;
    result.editDelaysMs = sink.editDelays;
    result.historyFile = await this.record(doc.uri, request, result);
    this.status.text = `$(pass) ${shortMetrics(result)}`;
    this.status.tooltip = metricsLine(result);
    this.status.command = Commands.openRunHistory;
    this.status.show();
    if (outcome.error) {
      this.logger.warn(`${outcome.error.code}: ${outcome.error.message}`, outcome.error.cause);
      this.report(doc, request, outcome.error);
    }
    return result;
  }

  /**
   * Writes an answer obtained elsewhere (a Compare column) into the prompt as if it had been run
   * there: the model turn, the metrics comment, a fresh user turn, and a history record.
   */
  async saveAsRun(uri: vscode.Uri, request: ConverseRequest, outcome: StreamOutcome): Promise<RunResult> {
    const doc = await vscode.workspace.openTextDocument(uri);
    if (this.isRunning(uri))
      throw new BedrockError(
        'Validation',
        'This prompt is running: wait for the run to end (or stop it), then save the column.',
      );
    const result = runResult(this.host, request, outcome, true);
    // As a Run would: an answer appended last, with nothing since, is replaced.
    const sink = new InlineSink(doc, promptEngine().appendedAnswerStart(doc.getText()));
    await sink.begin();
    if (outcome.reasoning) sink.reasoning(outcome.reasoning);
    sink.text(outcome.text);
    await sink.finish(outcome, metricsLine(result));
    result.edits = sink.edits;
    result.historyFile = await this.record(uri, request, result);
    return result;
  }

  /** A problem with the answer just written (it does not match the schema), shown on the answer. */
  private markAnswer(doc: vscode.TextDocument, start: number, message: string): void {
    const from = doc.positionAt(start);
    const d = new vscode.Diagnostic(
      new vscode.Range(from, from.translate(1)),
      message,
      vscode.DiagnosticSeverity.Warning,
    );
    d.source = 'Bedrock (last run)';
    d.code = 'output-schema';
    this.runDiagnostics.set(doc.uri, [d]);
  }

  private canStream(modelId: string): boolean {
    const c = this.catalogue.current;
    if (!c) return true;
    return resolveInCatalogue(normalizeModelRef(modelId), c).model?.streaming !== false;
  }

  private async record(uri: vscode.Uri, request: ConverseRequest, result: RunResult): Promise<string | undefined> {
    try {
      return (await this.history.record(uri, request, result)).toString();
    } catch (err) {
      this.logger.warn(`could not record the run: ${String(err)}`);
      return undefined;
    }
  }

  private finishRun(key: string): void {
    this.active.delete(key);
    this.changed.fire();
    void vscode.commands.executeCommand('setContext', 'bedrockPromptLab.running', this.active.size > 0);
    this.status.hide();
  }

  private showRunning(modelId: string): void {
    this.status.text = `$(loading~spin) ${modelId.split('.').slice(-1)[0]} · $(debug-stop) Stop`;
    this.status.tooltip = 'Bedrock: a prompt is running. Click to stop it; what arrived stays.';
    this.status.command = Commands.stop;
    this.status.show();
  }

  /** One message with its action; validation problems also appear in the prompt at the model line. */
  private report(doc: vscode.TextDocument, request: ConverseRequest, error: BedrockError): void {
    const analysis = this.analyses.get(doc);
    if (error.code === 'Validation' && analysis.modelRange) {
      const d = new vscode.Diagnostic(
        toVsRange(analysis.modelRange),
        `Bedrock: ${error.message}`,
        vscode.DiagnosticSeverity.Error,
      );
      d.source = 'Bedrock (last run)';
      this.runDiagnostics.set(doc.uri, [d]);
    }
    if (error.code === 'NeedsInferenceProfile') {
      // The button switches this prompt (not whichever editor is active) to the profile.
      const profile = this.profileFor(request.modelId);
      const message = profile
        ? `${error.message} Use Inference Profile switches this prompt to ${profile}.`
        : `${error.message} Open the Models view to pick its inference profile.`;
      error = new BedrockError(error.code, message, error.actions, error.cause, {
        ...error.data,
        modelId: request.modelId,
        uri: doc.uri.toString(),
      });
    }
    void showError(error, this.logger, () => vscode.commands.executeCommand(Commands.run, doc.uri));
  }

  /**
   * The "Use Inference Profile" action: the prompt the error came from (else the active one) gets the
   * profile of its model as `model:`. Returns the profile used, if any.
   */
  async useInferenceProfile(error: BedrockError): Promise<string | undefined> {
    const modelId = error.data.modelId;
    const profile = modelId ? this.profileFor(modelId) : undefined;
    if (!profile) {
      await vscode.commands.executeCommand('bedrockPromptLab.models.focus');
      return undefined;
    }
    const uri = error.data.uri ? vscode.Uri.parse(error.data.uri) : vscode.window.activeTextEditor?.document.uri;
    const doc = uri ? await vscode.workspace.openTextDocument(uri) : undefined;
    const analysis = doc?.languageId === 'dotprompt' ? this.analyses.get(doc) : undefined;
    if (!doc || !analysis?.modelRange || analysis.model?.modelId !== normalizeModelRef(modelId!).modelId) {
      await vscode.env.clipboard.writeText(profile);
      void vscode.window.showInformationMessage(`Copied ${profile}: use it as the model id.`);
      return profile;
    }
    const edit = new vscode.WorkspaceEdit();
    edit.replace(doc.uri, toVsRange(analysis.modelRange), profile);
    await vscode.workspace.applyEdit(edit);
    return profile;
  }

  /** The inference profile for a base model in the current catalogue (the region's geography first). */
  profileFor(modelId: string): string | undefined {
    return profileFor(this.catalogue.current, modelId, this.session.region);
  }

  dispose(): void {
    this.stop();
    this.runDiagnostics.dispose();
    this.status.dispose();
    this.changed.dispose();
    this.subscriptions.forEach((s) => s.dispose());
  }
}

/** Adds the next user message at the end of the file, under the empty user turn a run left. */
async function appendUserMessage(doc: vscode.TextDocument, message: string): Promise<void> {
  const text = doc.getText();
  const edit = new vscode.WorkspaceEdit();
  const sep = text.endsWith('\n') ? '' : '\n';
  // The message is the user's own words, kept as text: `{{` is escaped like a model answer's.
  edit.insert(doc.uri, doc.positionAt(text.length), `${sep}${escapeTemplateText(message)}\n`);
  if (!(await vscode.workspace.applyEdit(edit)))
    throw new BedrockError('PromptInvalid', 'The message could not be added to the prompt file.');
}

function shortMetrics(r: RunResult): string {
  const t = `${(r.metrics.latencyMs / 1000).toFixed(1)} s`;
  const tokens = r.usage ? ` · ${r.usage.outputTokens} tok` : '';
  const cost = r.costUsd !== undefined ? ` · ~${formatUsd(r.costUsd)}` : '';
  return `${t}${tokens}${cost}`;
}
