// "Bedrock: Evaluate Prompt…": the prompt and its variants × the models the user picks (only those able to
// take the prompt are offered) × the cases of its tests file or the rows of a data file with reference
// answers (graded by a judge model, or compared as text), through the shared use case
// (src/app/evaluate.ts). The plan and its estimated cost are confirmed first, with an optional budget; the
// calls run under a cancellable progress notification (cancel keeps what finished; running it again
// resumes); the record is saved in `.prompt-lab/evals/` and shown in the report webview
// (webview/src/evaluation.ts): the table, the charts, the heat map of cases, the recommendation.
import path from 'node:path';
import vscode = require('vscode');
import { webviewHtml, webviewRoots } from './webviewHtml';
import {
  estimateEvaluation,
  loadEvaluation,
  planEvaluation,
  resolveCustomModels,
  runEvaluation,
  type EvaluationEstimate,
  type EvaluationInput,
} from '../../app/evaluate';
import { listEvaluations, openJobStore, openJournal, readEvaluation, saveEvaluation } from '../../app/evaluationStore';
import { answerOnBatch, bedrockJobsProblem, MIN_BATCH_CALLS, type BatchAnswers } from '../../app/evaluateBatch';
import { config } from '../host/config';
import { formatUsd } from '../../core/bedrock/pricing';
import { compareRuns, evaluationMarkdown, type EvalRecord } from '../../core/eval/evaluation';
import { requestFor } from '../../app/runPrompt';
import { retrieverFor } from '../../app/retrieval';
import { gitState } from '../../core/io/gitState';
import { modelProblems, needsOfRequest } from '../../core/models/modelChecks';
import { writeFileAtomically } from '../../core/shared/atomicWrite';
import { BedrockError } from '../../core/shared/bedrockError';
import type { Logger } from '../../core/shared/logger';
import { showError } from '../host/commands';
import { pickModel, pickModels } from '../host/modelPicker';
import { existsSync } from 'node:fs';
import { REFERENCE_FIELDS, type ReferenceMatch } from '../../app/dataCases';
import { datasetEngine } from '../../core/engines/loadDatasetEngine';
import { testsPathFor } from '../../core/format/testFiles';
import { promptUriFor } from '../host/promptFiles';
import { requireTrust } from '../host/trust';
import type { Services } from '../services';
import { isEvaluationViewMessage, type EvaluationHostMessage, type EvaluationViewMessage } from './evaluationProtocol';

export interface EvaluateOptions {
  uri?: string;
  /** Skip the picker (tests, and callers that know the models). */
  models?: string[];
  /** Skip the confirmation, with this budget (US dollars) or none. */
  confirmed?: { budgetUsd?: number; batch?: boolean };
  repeat?: number;
  /** Only the prompt, not its variants. */
  noVariants?: boolean;
  /** Provisioned throughputs' hourly prices by ARN (`*`: any), and the volume that spreads them. */
  hourlyUsd?: Record<string, number>;
  callsPerMonth?: number;
  /** Between batch job status checks (tests shorten it). */
  batchPollMs?: number;
  /** Cases from a data file with reference answers instead of the tests file (asked for when not given). */
  cases?: DataFileCases;
}

export interface DataFileCases {
  uri: string;
  /** The field with the reference answer (default: the first of REFERENCE_FIELDS in the rows). */
  referenceField?: string;
  match?: ReferenceMatch;
  judge?: string;
}

export interface EvaluateResult {
  record: EvalRecord;
  file: string;
  panel: EvaluationPanel;
}

export const openEvaluationPanels = new Set<EvaluationPanel>();

export async function evaluatePrompt(
  s: Pick<Services, 'extensionUri' | 'host' | 'catalogue' | 'logger'>,
  opts: EvaluateOptions = {},
): Promise<EvaluateResult | undefined> {
  requireTrust('Evaluating prompts');
  const uri = await promptUriFor(opts.uri ? vscode.Uri.parse(opts.uri) : undefined, 'Evaluate which prompt?');
  if (!uri) return undefined;
  const folder = vscode.workspace.getWorkspaceFolder(uri);
  if (!folder)
    throw new BedrockError('PromptInvalid', 'Open the folder that holds the prompt: evaluations are kept in it.');
  const root = folder.uri.fsPath;
  // Unsaved edits are what the user means to evaluate.
  await vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString() && d.isDirty)?.save();
  // The case source is asked for only in the interactive flow (no models given).
  const cases = opts.cases ?? (opts.models ? undefined : await pickCases(uri, s.catalogue));
  if (cases === null) return undefined;
  const input = await loadEvaluation(uri.fsPath, root, {
    retrieve: retrieverFor(s.host),
    data: cases && {
      path: vscode.Uri.parse(cases.uri).fsPath,
      referenceField: cases.referenceField,
      match: cases.match ?? (cases.judge ? 'judge' : 'equals'),
      judge: cases.judge,
      flags: { reference: 'pick it when asked for the reference field', judge: 'pick one when asked' },
    },
    models: [],
    settings: { repeat: opts.repeat ?? config.evaluationRepeat(), concurrency: 4, margin: 0.05, objective: 'cost' },
    variants: !opts.noVariants,
    displayPath: (p) => s.host.displayPath(p),
    git: await gitState(root),
  });
  let models = opts.models;
  if (!models) {
    // Offer only what can take the prompt as its first case renders it (the checks of the diagnostics).
    const needs = needsOfRequest(
      requestFor(await input.prompts[0].render(input.tests.cases[0]?.input ?? {}), undefined),
    );
    if (!s.catalogue.current) await s.catalogue.refresh();
    models = await pickModels(
      s.catalogue,
      `Evaluate ${input.name}${input.prompts.length > 1 ? ` and ${input.prompts.length - 1} variant${input.prompts.length > 2 ? 's' : ''}` : ''} on which models?`,
      (id) => modelProblems(id, needs, s.catalogue.current).some((p) => p.severity === 'error'),
    );
  }
  if (!models || models.length === 0) return undefined;
  input.models = models;
  input.settings.hourlyUsd = opts.hourlyUsd;
  input.settings.callsPerMonth = opts.callsPerMonth;
  const notes = await resolveCustomModels(s.host, input);
  if (notes.length > 0) s.logger.info(`evaluation: ${notes.join('; ')}`);
  if (!opts.models && !(await askProvisionedPrices(input))) return undefined;
  const plan = await planEvaluation(input);
  const abort = new AbortController();
  const estimate = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: 'Estimating the evaluation…', cancellable: true },
    (_p, token) => {
      token.onCancellationRequested(() => abort.abort());
      return estimateEvaluation(s.host, plan, abort.signal);
    },
  );
  // Batch jobs are offered when a model has the calls a job needs (the settings say where they go).
  const batchable = plan.configs.some(
    (c) => !c.ruledOut && plan.tasks.filter((t) => t.config.model === c.model).length >= MIN_BATCH_CALLS,
  );
  const budget =
    opts.confirmed ?? (await confirmPlan(plan.tasks.length, plan.judgeCalls, plan.cases.length, estimate, batchable));
  if (!budget) return undefined;
  input.settings.maxCostUsd = budget.budgetUsd;
  input.settings.backend = budget.batch ? 'batch' : 'on-demand';
  const journal = await openJournal(root, plan.id);
  const resumed = plan.tasks.filter((t) => journal.done.has(t.key)).length;
  let answered: BatchAnswers | undefined;
  if (budget.batch) {
    const s3Uri = config.batchS3Uri();
    const roleArn = config.batchRoleArn();
    const problem = bedrockJobsProblem(s3Uri, roleArn);
    if (problem)
      throw new BedrockError(
        'Validation',
        `Batch jobs need bedrockPromptLab.batch.s3Uri and bedrockPromptLab.batch.roleArn: the settings ${problem}.`,
        ['openSettings'],
      );
    answered = await vscode.window.withProgress(
      {
        location: vscode.ProgressLocation.Notification,
        title: `Evaluating ${input.name} in batch jobs`,
        cancellable: true,
      },
      async (progress, token) => {
        const wait = new AbortController();
        token.onCancellationRequested(() => wait.abort());
        return answerOnBatch(s.host, plan, {
          s3Uri: s3Uri!,
          roleArn: roleArn!,
          signal: wait.signal,
          jobs: await openJobStore(root, plan.id, 'batch'),
          done: new Set(journal.done.keys()),
          pollMs: opts.batchPollMs ?? 30_000,
          onStatus: (message) => (progress.report({ message }), s.logger.info(`evaluation: ${message}`)),
        });
      },
    );
    answered.notes.forEach((n) => s.logger.info(`evaluation: ${n}`));
    if (answered.interrupted) {
      void vscode.window.showInformationMessage(
        `The batch jobs of ${input.name} keep running in Bedrock. Evaluate it again to wait for them and see the report.`,
      );
      return undefined;
    }
  }
  const record = await vscode.window.withProgress(
    {
      location: vscode.ProgressLocation.Notification,
      title: `Evaluating ${input.name}${resumed ? ` (resuming: ${resumed} calls already made)` : ''}`,
      cancellable: true,
    },
    (progress, token) => {
      const run = new AbortController();
      token.onCancellationRequested(() => run.abort());
      let last = resumed;
      return runEvaluation(s.host, plan, {
        signal: run.signal,
        journal,
        answered,
        onSample: (_sample, done, total, spent) => {
          progress.report({
            increment: ((done - last) / total) * 100,
            message: `${done}/${total} calls · ${formatUsd(spent)}`,
          });
          last = done;
        },
      });
    },
  );
  const file = await saveEvaluation(root, plan.id, record);
  if (!record.complete)
    void vscode.window.showWarningMessage(
      `The evaluation stopped (${record.stoppedBecause}) after ${record.samples.length} of ${plan.tasks.length} calls. The report shows what finished; run it again to finish it.`,
    );
  const panel = await EvaluationPanel.open(s.extensionUri, root, file, record, s.logger);
  return { record, file, panel };
}

/**
 * A custom model's provisioned throughput is paid by the hour: its cost per call needs the hourly price and
 * the calls a month. Asked for each one without a price (empty: leave it uncosted). False when cancelled.
 */
async function askProvisionedPrices(input: EvaluationInput): Promise<boolean> {
  const positive = (v: string) =>
    v.trim() === '' || Number(v) > 0 ? undefined : 'Give a number greater than 0, or leave it empty.';
  for (const p of input.provisioned ?? []) {
    if (input.settings.hourlyUsd?.[p.arn] !== undefined || input.settings.hourlyUsd?.['*'] !== undefined) continue;
    const units = p.modelUnits ? `, all ${p.modelUnits} model unit${p.modelUnits > 1 ? 's' : ''}` : '';
    const text = await vscode.window.showInputBox({
      title: `${p.name} runs on provisioned throughput: its price in US dollars an hour${units}`,
      prompt: `Compared with ${p.base} on demand. Leave empty to run it without a cost.`,
      validateInput: positive,
    });
    if (text === undefined) return false;
    if (text.trim()) input.settings.hourlyUsd = { ...input.settings.hourlyUsd, [p.arn]: Number(text) };
  }
  if (input.settings.hourlyUsd && !input.settings.callsPerMonth) {
    const text = await vscode.window.showInputBox({
      title: 'How many calls a month will this prompt make?',
      prompt: 'Spreads the provisioned hourly price over the calls: the cost per 1,000 calls.',
      validateInput: (v) =>
        Number.isInteger(Number(v)) && Number(v) > 0 ? undefined : 'Give a whole number of calls, such as 100000.',
    });
    if (text === undefined) return false;
    input.settings.callsPerMonth = Number(text);
  }
  return true;
}

/**
 * Where the cases come from: the prompt's tests file (undefined), a data file with reference answers (how
 * its rows are read and checked), or null when the user cancelled.
 */
async function pickCases(
  promptUri: vscode.Uri,
  catalogue: Services['catalogue'],
): Promise<DataFileCases | undefined | null> {
  const tests = vscode.Uri.file(testsPathFor(promptUri.fsPath, existsSync));
  const hasTests = existsSync(tests.fsPath);
  const source = await vscode.window.showQuickPick(
    [
      ...(hasTests
        ? [{ label: `$(beaker) ${path.basename(tests.fsPath)}`, description: "the prompt's test cases", data: false }]
        : []),
      {
        label: '$(table) A data file with reference answers…',
        description: 'JSONL, CSV or JSON: each row a case, one field its expected answer',
        data: true,
      },
    ],
    { title: 'Evaluate on which cases?' },
  );
  if (!source) return null;
  if (!source.data) return undefined;
  const [file] =
    (await vscode.window.showOpenDialog({
      title: 'A data file with reference answers',
      defaultUri: vscode.Uri.file(path.dirname(promptUri.fsPath)),
      canSelectMany: false,
      filters: { 'Rows (JSONL, CSV, JSON)': ['jsonl', 'ndjson', 'csv', 'json'] },
      openLabel: 'Evaluate on These Rows',
    })) ?? [];
  if (!file) return null;
  // The fields of the first rows, the likeliest reference field first.
  const fields: string[] = [];
  let seen = 0;
  for await (const row of datasetEngine().streamRows(file.fsPath)) {
    for (const k of Object.keys(row.input)) if (!fields.includes(k)) fields.push(k);
    if (++seen >= 20) break;
  }
  if (fields.length === 0)
    throw new BedrockError(
      'PromptInvalid',
      `${vscode.workspace.asRelativePath(file)} has no rows with fields to read.`,
    );
  const likely = REFERENCE_FIELDS.find((f) => fields.includes(f));
  const field = await vscode.window.showQuickPick(
    [...fields]
      .sort((a, b) => Number(b === likely) - Number(a === likely))
      .map((f) => ({
        label: f,
        description: f === likely ? 'looks like the reference answer' : undefined,
      })),
    { title: "Which field holds the reference answer? (the others are the prompt's inputs)" },
  );
  if (!field) return null;
  const how = await vscode.window.showQuickPick(
    [
      { label: 'Judge: agrees in substance', description: 'a judge model grades each answer', match: 'judge' as const },
      { label: 'Equals the reference', description: 'spaces at either end are ignored', match: 'equals' as const },
      { label: 'Contains the reference', match: 'contains' as const },
    ],
    { title: 'Compare each answer with its reference how?' },
  );
  if (!how) return null;
  const judge = how.match === 'judge' ? await pickModel(catalogue, 'Which model judges the answers?') : undefined;
  if (how.match === 'judge' && !judge) return null;
  return { uri: file.toString(), referenceField: field.label, match: how.match, judge };
}

/** The plan and its estimate, to confirm; the budget the user chose (undefined budget: none), or undefined to cancel. */
async function confirmPlan(
  calls: number,
  judgeCalls: number,
  cases: number,
  e: EvaluationEstimate,
  batchable: boolean,
): Promise<{ budgetUsd?: number; batch?: boolean } | undefined> {
  const cost =
    e.lowUsd === undefined
      ? 'The cost is unknown: a model has no price (add one in bedrockPromptLab.pricing).'
      : e.highUsd === undefined
        ? `Estimated at least ${formatUsd(e.lowUsd)} (no maxOutputTokens: the output is unbounded).`
        : `Estimated ${formatUsd(e.lowUsd)} to ${formatUsd(e.highUsd)}.`;
  const counted = e.configs.every((c) => c.counted) ? ' Input tokens counted by CountTokens.' : '';
  const run = 'Run';
  const withBudget = 'Run with a Budget…';
  const asBatch = 'Run as Batch Jobs (about half price)';
  const choice = await vscode.window.showInformationMessage(
    `Evaluate: ${e.configs.length} configurations × ${cases} cases = ${calls} calls${judgeCalls ? ` (+ ${judgeCalls} judge calls)` : ''}.`,
    {
      modal: true,
      detail: `${cost}${counted}${batchable ? ' Batch jobs answer within hours, not seconds, with no latency figures.' : ''}`,
    },
    run,
    withBudget,
    ...(batchable ? [asBatch] : []),
  );
  if (choice === run) return {};
  if (choice === asBatch) return { batch: true };
  if (choice !== withBudget) return undefined;
  const text = await vscode.window.showInputBox({
    title: 'Stop taking calls once this much is spent (US dollars)',
    value: e.highUsd !== undefined ? e.highUsd.toFixed(4) : '',
    validateInput: (v) => (Number(v) > 0 ? undefined : 'Give an amount of US dollars greater than 0, such as 0.50.'),
  });
  return text === undefined ? undefined : { budgetUsd: Number(text) };
}

/** "Bedrock: Open Evaluation…": a saved evaluation from the workspace's history. */
export async function openEvaluation(
  s: Pick<Services, 'extensionUri' | 'logger'>,
  file?: string,
): Promise<EvaluationPanel | undefined> {
  const folders = vscode.workspace.workspaceFolders ?? [];
  let chosen = file;
  let root = folders.find((f) => file?.startsWith(f.uri.fsPath))?.uri.fsPath;
  if (!chosen) {
    const saved = (
      await Promise.all(
        folders.map(async (f) => (await listEvaluations(f.uri.fsPath)).map((e) => ({ ...e, root: f.uri.fsPath }))),
      )
    )
      .flat()
      .sort((a, b) => b.createdAt.localeCompare(a.createdAt));
    if (saved.length === 0) {
      void vscode.window.showInformationMessage(
        'No evaluations yet: run "Bedrock: Evaluate Prompt…" on a prompt with a tests file.',
      );
      return undefined;
    }
    const pick = await vscode.window.showQuickPick(
      saved.map((e) => ({
        label: e.name,
        description: new Date(e.createdAt).toLocaleString(),
        detail: e.complete ? undefined : 'partial',
        e,
      })),
      { title: 'Open which evaluation?' },
    );
    if (!pick) return undefined;
    chosen = pick.e.file;
    root = pick.e.root;
  }
  if (!root) throw new BedrockError('PromptInvalid', 'Open an evaluation from a workspace folder.');
  return EvaluationPanel.open(s.extensionUri, root, chosen, await readEvaluation(chosen), s.logger);
}

export class EvaluationPanel {
  private readonly panel: vscode.WebviewPanel;
  private readonly disposables: vscode.Disposable[] = [];
  /** The report the view shows (sent when it is ready). */
  shown?: Extract<EvaluationHostMessage, { type: 'show' }>;
  /** Settles when the view has loaded and been sent the report. */
  ready: Promise<void> = Promise.resolve();
  /** What the view last drew (it says so after each render). */
  rendered?: Extract<EvaluationViewMessage, { type: 'rendered' }>;
  private readonly renderedListeners: ((m: Extract<EvaluationViewMessage, { type: 'rendered' }>) => void)[] = [];

  /** The next render's account (tests wait for the report to be drawn this way). */
  nextRender(): Promise<Extract<EvaluationViewMessage, { type: 'rendered' }>> {
    return new Promise((resolve) => this.renderedListeners.push(resolve));
  }
  private constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly root: string,
    /** The saved record this report shows. */
    readonly recordFile: string,
    readonly record: EvalRecord,
    private readonly logger: Logger,
    ready: () => void,
  ) {
    openEvaluationPanels.add(this);
    this.panel = vscode.window.createWebviewPanel(
      'bedrockPromptLab.evaluation',
      `Evaluation: ${record.name}`,
      vscode.ViewColumn.Beside,
      {
        enableScripts: true,
        localResourceRoots: webviewRoots(extensionUri),
        retainContextWhenHidden: true,
      },
    );
    this.panel.webview.html = this.html();
    this.disposables.push(
      this.panel.webview.onDidReceiveMessage((m: unknown) => {
        // The report is (re)sent when the view says it is ready: at first, and after a reload.
        if (isEvaluationViewMessage(m) && m.type === 'ready') {
          if (this.shown) this.post(this.shown);
          ready();
        } else if (isEvaluationViewMessage(m) && m.type === 'rendered') {
          this.rendered = m;
          this.renderedListeners.splice(0).forEach((l) => l(m));
        } else
          this.receive(m).catch((err: unknown) =>
            showError(err instanceof BedrockError ? err : new BedrockError('Unknown', String(err)), this.logger),
          );
      }),
      this.panel.onDidDispose(() => this.dispose()),
    );
  }

  static async open(
    extensionUri: vscode.Uri,
    root: string,
    recordFile: string,
    record: EvalRecord,
    logger: Logger,
  ): Promise<EvaluationPanel> {
    let markReady: () => void = () => undefined;
    const ready = new Promise<void>((r) => (markReady = r));
    const panel = new EvaluationPanel(extensionUri, root, recordFile, record, logger, () => markReady());
    const history = (await listEvaluations(root, record.name)).filter((e) => e.file !== recordFile);
    panel.shown = { type: 'show', record, recordFile: path.basename(recordFile), history };
    // Shown once the view's script has loaded (it asks); a caller that must know waits for `ready`.
    panel.ready = ready;
    return panel;
  }

  /** Handles a message from the webview (checked first: the webview is not trusted). */
  async receive(m: unknown): Promise<unknown> {
    if (!isEvaluationViewMessage(m)) {
      this.logger.warn('evaluation view: ignored a malformed message');
      return undefined;
    }
    if (m.type === 'compareWith') {
      // Only a run the host listed: a file name from the view never reaches the disk unchecked.
      const known = (await listEvaluations(this.root, this.record.name)).find((e) => e.file === m.file);
      if (!known) return undefined;
      const against = await readEvaluation(known.file);
      const result = compareRuns(against, this.record);
      this.post({
        type: 'comparison',
        against: { name: against.name, createdAt: against.createdAt, file: known.file },
        result,
      });
      return result;
    }
    if (m.type === 'exportMarkdown') {
      const target = await vscode.window.showSaveDialog({
        defaultUri: vscode.Uri.file(path.join(this.root, `${this.record.name}-evaluation.md`)),
        filters: { Markdown: ['md'] },
      });
      if (!target) return undefined;
      const record = {
        ...this.record,
        settings: { ...this.record.settings, margin: m.margin, objective: m.objective },
      };
      await writeFileAtomically(target.fsPath, evaluationMarkdown(record));
      return target.fsPath;
    }
    return undefined;
  }

  private post(m: EvaluationHostMessage): void {
    this.panel.webview
      .postMessage(m)
      .then(undefined, (err: unknown) =>
        this.logger.warn(`evaluation view: a message was not delivered: ${String(err)}`),
      );
  }

  private html(): string {
    return webviewHtml(this.panel.webview, this.extensionUri, 'evaluation', 'Evaluation');
  }

  dispose(): void {
    openEvaluationPanels.delete(this);
    this.disposables.forEach((d) => d.dispose());
    this.panel.dispose();
  }
}
