import vscode = require('vscode');
import type { StreamOutcome } from '../../core/bedrock/stream';
import { citationLines } from '../../core/bedrock/citations';
import { retrievalLines } from '../../core/bedrock/passages';
import type { Retrieval } from '../../core/format/knowledgeBase';
import { agentRunLines, type AgentRun } from '../../core/format/agent';
import { guardrailVerdict, reportLines } from '../../core/bedrock/guardrails';
import {
  TemplateTextEscaper,
  MODEL_TURN_HEADER,
  modelTurnPrefix,
  labelledComment,
  modelTurnSuffix,
  reasoningComment,
} from '../../core/format/conversation';
import { promptEngine } from '../../core/format/loadEngine';
import { TextBatcher } from '../../core/shared/batcher';

/** What came with an answer besides its text, shown after it. */
export interface AnswerExtras {
  retrieval?: Retrieval;
  agent?: AgentRun;
}

/** Where a streamed answer goes. */
export interface ResponseSink {
  begin(): Promise<void>;
  text(chunk: string): void;
  reasoning(chunk: string): void;
  /** The answer's end: what came with it (retrieved passages, an agent's steps, citations, a guardrail's report), the metrics. */
  finish(outcome: StreamOutcome, metricsLine: string, extras?: AnswerExtras): Promise<void>;
  readonly edits: number;
  /** ms from a text's arrival to its edit, per edit. */
  readonly editDelays: number[];
}

/**
 * Appends the answer to the prompt file as a `{{role "model"}}` turn, as it arrives: edits are batched
 * (at most ~30 a second), inserted at an anchor that follows the user's own edits elsewhere in the
 * file, and grouped into one undo step. Model text is escaped so the next run sends it back verbatim.
 */
export class InlineSink implements ResponseSink {
  private anchor = 0;
  private readonly escaper = new TemplateTextEscaper();
  private reasoningText = '';
  private reasoningWritten = false;
  private readonly batcher = new TextBatcher((t) => this.insert(t, false));
  private ownEdit?: { offset: number; length: number; text: string };
  private readonly subscription: vscode.Disposable;
  private first = true;
  /** The answer's start, once written: what the metrics comment and the answer diagnostic point at. */
  answerStart = 0;

  /**
   * @param replaceFrom Run again: the answer a previous run appended starts here; it is replaced by the
   * new one in the same undo step as the streamed text (so one undo brings the old answer back).
   */
  constructor(
    private readonly doc: vscode.TextDocument,
    private readonly replaceFrom?: number,
  ) {
    this.subscription = vscode.workspace.onDidChangeTextDocument((e) => {
      if (e.document !== this.doc) return;
      for (const c of e.contentChanges) {
        const own = this.ownEdit;
        if (own && c.rangeLength === own.length && c.rangeOffset === own.offset && c.text === own.text) continue;
        // Someone else edited the file: text before the anchor moves it.
        if (c.rangeOffset < this.anchor) {
          const end = c.rangeOffset + c.rangeLength;
          this.anchor =
            end <= this.anchor ? this.anchor + c.text.length - c.rangeLength : c.rangeOffset + c.text.length;
        }
      }
    });
  }

  get edits(): number {
    return this.batcher.edits + 2;
  }

  get editDelays(): number[] {
    return this.batcher.delays;
  }

  async begin(): Promise<void> {
    const text = this.doc.getText();
    // Replace only if the old answer is still the untouched tail: text the user typed while the request
    // was on its way is never overwritten (the new answer is appended after it instead).
    const from =
      this.replaceFrom !== undefined && promptEngine().appendedAnswerStart(text) === this.replaceFrom
        ? this.replaceFrom
        : text.length;
    this.anchor = from;
    const prefix = modelTurnPrefix(text.slice(0, from));
    this.answerStart = from + prefix.indexOf(MODEL_TURN_HEADER);
    await this.insert(prefix, true, false, text.length - from);
  }

  text(chunk: string): void {
    if (!this.reasoningWritten && this.reasoningText) {
      this.reasoningWritten = true;
      this.batcher.push(reasoningComment(this.reasoningText));
    }
    // `{{` or a marker may be split across chunks: the escaper holds back what the next chunk decides.
    this.batcher.push(this.escaper.push(chunk));
  }

  reasoning(chunk: string): void {
    this.reasoningText += chunk;
  }

  async finish(outcome: StreamOutcome, metricsLine: string, { retrieval, agent }: AnswerExtras = {}): Promise<void> {
    if (!this.reasoningWritten && this.reasoningText) this.batcher.push(reasoningComment(this.reasoningText));
    this.batcher.push(this.escaper.end());
    // The answer's last text and the turn's end go in one edit: one round trip to the editor fewer.
    const rest = await this.batcher.closeTakingRest();
    const end = outcome.status === 'complete' ? 'complete' : outcome.status;
    const retrieved = retrieval ? `\n${labelledComment('retrieved', retrievalLines(retrieval))}` : '';
    const agentSteps = agent ? `\n${labelledComment('agent', agentRunLines(agent))}` : '';
    const cited = outcome.citations?.length
      ? `\n${labelledComment('citations', citationLines(outcome.citations))}`
      : '';
    const guardrail = guardrailVerdict(outcome);
    const guarded = guardrail ? `\n${labelledComment('guardrail', reportLines(guardrail))}` : '';
    const suffix =
      retrieved +
      agentSteps +
      cited +
      guarded +
      modelTurnSuffix(end, outcome.error?.message, metricsLine, outcome.toolCalls);
    const suffixStart = this.anchor + rest.length;
    try {
      await this.insert(rest + suffix, false, true);
    } finally {
      this.subscription.dispose();
    }
    const editor = vscode.window.visibleTextEditors.find((e) => e.document === this.doc);
    if (editor && vscode.window.activeTextEditor === editor) {
      // Tool calls: the cursor goes into the first result to fill in; otherwise to the next message.
      const result = suffix.indexOf('{{/toolResult}}');
      const at = result >= 0 ? suffixStart + result - 1 : this.anchor;
      const pos = this.doc.positionAt(at);
      editor.selection = new vscode.Selection(pos, pos);
      editor.revealRange(new vscode.Range(pos, pos));
    }
  }

  /** The offset where the next text goes (after finish: the end of what was written). */
  get end(): number {
    return this.anchor;
  }

  private async insert(text: string, undoStopBefore: boolean, undoStopAfter = false, replaceLength = 0): Promise<void> {
    if (text.length === 0 && replaceLength === 0) return;
    const offset = Math.min(this.anchor, this.doc.getText().length);
    const pos = this.doc.positionAt(offset);
    const range = new vscode.Range(pos, this.doc.positionAt(offset + replaceLength));
    this.ownEdit = { offset, length: replaceLength, text };
    const editor = vscode.window.visibleTextEditors.find((e) => e.document === this.doc);
    let ok = false;
    if (editor)
      ok = await editor.edit((b) => b.replace(range, text), {
        undoStopBefore: undoStopBefore || this.first,
        undoStopAfter,
      });
    if (!ok) {
      const edit = new vscode.WorkspaceEdit();
      edit.replace(this.doc.uri, range, text);
      ok = await vscode.workspace.applyEdit(edit);
    }
    this.first = false;
    this.ownEdit = undefined;
    if (!ok) throw new Error('The answer could not be written into the prompt file (the edit was refused).');
    this.anchor = offset + text.length;
  }
}

/** Streams the answer into a Markdown document beside the prompt (the `document` run mode). */
export class DocumentSink implements ResponseSink {
  private doc?: vscode.TextDocument;
  private readonly batcher = new TextBatcher((t) => this.append(t));
  private reasoningText = '';
  private wroteText = false;

  constructor(
    private readonly promptUri: vscode.Uri,
    private readonly modelId: string,
  ) {}

  get edits(): number {
    return this.batcher.edits;
  }

  get editDelays(): number[] {
    return this.batcher.delays;
  }

  get document(): vscode.TextDocument | undefined {
    return this.doc;
  }

  async begin(): Promise<void> {
    const header = `# ${vscode.workspace.asRelativePath(this.promptUri)} · ${this.modelId}\n\n`;
    this.doc = await vscode.workspace.openTextDocument({ language: 'markdown', content: header });
    await vscode.window.showTextDocument(this.doc, {
      viewColumn: vscode.ViewColumn.Beside,
      preserveFocus: true,
      preview: false,
    });
  }

  text(chunk: string): void {
    if (!this.wroteText && this.reasoningText)
      this.batcher.push(`> **Reasoning**\n> ${this.reasoningText.trim().replace(/\n/g, '\n> ')}\n\n`);
    this.wroteText = true;
    this.batcher.push(chunk);
  }

  reasoning(chunk: string): void {
    this.reasoningText += chunk;
  }

  async finish(outcome: StreamOutcome, metricsLine: string, { retrieval, agent }: AnswerExtras = {}): Promise<void> {
    const tools = outcome.toolCalls
      .map(
        (c) =>
          `\n\n**Tool call** \`${c.name}\` (${c.toolUseId})\n\n\`\`\`json\n${JSON.stringify(c.input, null, 2)}\n\`\`\``,
      )
      .join('');
    const status =
      outcome.status === 'stopped'
        ? '\n\n_Stopped by the user; the answer above is partial._'
        : outcome.status === 'failed'
          ? `\n\n_Failed: ${outcome.error?.message ?? 'unknown error'}; the answer above is partial._`
          : '';
    const guardrail = guardrailVerdict(outcome);
    const guarded = guardrail
      ? `\n\n**Guardrail**\n\n${reportLines(guardrail)
          .map((l) => `- ${l}`)
          .join('\n')}`
      : '';
    const sources = outcome.citations?.length
      ? `\n\n**Sources**\n\n${citationLines(outcome.citations)
          .map((l) => `- ${l}`)
          .join('\n')}`
      : '';
    const retrieved = retrieval
      ? `\n\n**Retrieved**\n\n${retrievalLines(retrieval)
          .map((l) => `- ${l}`)
          .join('\n')}`
      : '';
    const steps = agent
      ? `\n\n**Agent**\n\n${agentRunLines(agent)
          .map((l) => `- ${l}`)
          .join('\n')}`
      : '';
    this.batcher.push(`${retrieved}${steps}${sources}${guarded}${tools}${status}\n\n---\n${metricsLine}\n`);
    await this.batcher.close();
  }

  private async append(text: string): Promise<void> {
    const doc = this.doc;
    if (!doc) return;
    const edit = new vscode.WorkspaceEdit();
    edit.insert(doc.uri, doc.positionAt(doc.getText().length), text);
    await vscode.workspace.applyEdit(edit);
  }
}
