// Prompt tests in VS Code's Test Explorer. Each `<name>.tests.yaml` beside a `<name>.prompt` is a test
// file; its cases are the tests. A run renders the prompt with each case's input, calls the model once
// (Converse, bounded concurrency that backs off on throttling), and checks the assertions; failures
// carry expected/actual and point at the assertion's line.
import path from 'node:path';
import vscode = require('vscode');
import { AdaptiveLimiter } from '../../core/bedrock/adaptiveLimiter';
import { BedrockError } from '../../core/shared/bedrockError';
import { toBedrockError } from '../../core/bedrock/errors';
import type { AwsSession } from '../host/awsSession';
import type { CatalogueService } from '../host/catalogueService';
import { promptEngine } from '../../core/format/loadEngine';
import type { PromptTestFile, TestCase } from '../../core/format/testCases';
import type { PromptAnalyses } from '../language/promptAnalyses';
import { compilePromptFile } from '../host/promptFiles';
import { retrieverFor } from '../../app/retrieval';
import type { RenderResult } from '../../core/format/render';
import { isPartialPath } from '../../core/format/document';
import type { Logger } from '../../core/shared/logger';
import { pickModel } from '../host/modelPicker';
import { Commands } from '../host/commandIds';
import { config } from '../host/config';
import { existsSync } from 'node:fs';
import { isTestsFilePath, promptPathFor, testsPathFor } from '../../core/format/testFiles';
import { forEachBounded } from '../../core/shared/pool';
import { runTestCase, type CaseReport } from '../../app/runTests';
import type { Host } from '../../app/host';
import {
  compareWithBaseline,
  comparisonMarkdown,
  regressed,
  regressionProblem,
  type Baseline,
  type Comparison,
} from '../../app/baseline';
import { summarize, testResult, type CaseEntry } from '../../app/testResult';
import { baselineFileFor, readBaseline, saveBaselineResult, type BaselineFile } from './baseline';

export interface CaseResult {
  id: string;
  file: string;
  name: string;
  state: 'passed' | 'failed' | 'errored' | 'skipped';
  modelId?: string;
  output?: string;
  messages: string[];
  /** Passed in the baseline, failed or errored now. */
  regressed?: boolean;
}

/** The last run against a workspace folder's baseline (the warning it showed, for the API and tests). */
export interface BaselineGate {
  baseline: string;
  comparison: Comparison;
  /** Why the run is a regression, or undefined when it is within bedrockPromptLab.tests.maxRegression. */
  problem?: string;
  /** The warning shown for it. */
  warning?: string;
}

interface FolderBaseline extends BaselineFile {
  baseline: Baseline;
}

interface CaseData {
  testsUri: vscode.Uri;
  promptUri: vscode.Uri;
  testCase: TestCase;
}

const TESTS_GLOB = '**/*.tests.{yaml,yml}';

function testsUriFor(promptUri: vscode.Uri): vscode.Uri {
  return vscode.Uri.file(testsPathFor(promptUri.fsPath, existsSync));
}

export class PromptTestController implements vscode.Disposable {
  readonly controller = vscode.tests.createTestController('bedrockPromptLab.promptTests', 'Prompt Tests');
  private readonly cases = new WeakMap<vscode.TestItem, CaseData>();
  private readonly files = new Map<string, PromptTestFile>();
  private readonly finished = new vscode.EventEmitter<CaseResult[]>();
  /** Problems in tests files, shown in the editor and the Problems view as well as on the test item. */
  private readonly diagnostics = vscode.languages.createDiagnosticCollection('bedrockPromptLab.tests');
  readonly onDidFinishRun = this.finished.event;
  private readonly filesChanged = new vscode.EventEmitter<void>();
  /** A tests file was read or removed (the CodeLens shows a prompt's case count). */
  readonly onDidChangeFiles = this.filesChanged.event;
  private readonly disposables: vscode.Disposable[] = [];
  private watching = false;
  /** Set by `run({ modelId })` so the "another model" profile does not ask. */
  private modelForNextRun?: string;
  /** The latest result of each case run in this window, by workspace folder: what "Save as Baseline" keeps. */
  private readonly latest = new Map<string, Map<string, CaseEntry>>();
  /** The last comparison with a baseline, per workspace folder. */
  readonly lastGate = new Map<string, BaselineGate>();

  constructor(
    private readonly session: AwsSession,
    private readonly catalogue: CatalogueService,
    private readonly analyses: PromptAnalyses,
    private readonly logger: Logger,
    private readonly host: Host,
    private readonly version: string,
  ) {
    this.controller.resolveHandler = async (item) => {
      if (!item) await this.discover();
    };
    this.controller.refreshHandler = async () => {
      this.controller.items.replace([]);
      await this.discover();
    };
    const runProfile = this.controller.createRunProfile(
      'Run',
      vscode.TestRunProfileKind.Run,
      async (req, token) => (req.continuous ? this.watch(req, token) : void (await this.runHandler(req, token))),
      true,
    );
    // "Continuous run" (the eye icon in the Testing view): the cases re-run when their prompt, a partial
    // or their tests file is saved.
    runProfile.supportsContinuousRun = true;
    const otherModel = this.controller.createRunProfile(
      'Run on Another Model…',
      vscode.TestRunProfileKind.Run,
      async (req, token) => void (await this.runHandler(req, token, true)),
      false,
    );
    this.disposables.push(
      runProfile,
      otherModel,
      this.diagnostics,
      this.finished,
      this.filesChanged,
      // A tests file or its prompt opened in an editor shows up at once, before the Test Explorer is opened.
      vscode.workspace.onDidOpenTextDocument((d) => this.onDocument(d)),
      vscode.workspace.onDidChangeTextDocument(
        (e) => this.isTestsFile(e.document.uri) && this.load(e.document.uri, e.document.getText()),
      ),
    );
    vscode.workspace.textDocuments.forEach((d) => this.onDocument(d));
  }

  private isTestsFile(uri: vscode.Uri): boolean {
    return isTestsFilePath(uri.path);
  }

  private onDocument(doc: vscode.TextDocument): void {
    if (this.isTestsFile(doc.uri)) this.load(doc.uri, doc.getText());
    else if (doc.languageId === 'dotprompt') {
      const tests = testsUriFor(doc.uri);
      void vscode.workspace.fs.readFile(tests).then(
        (bytes) => this.load(tests, Buffer.from(bytes).toString('utf8')),
        () => undefined, // No tests file for this prompt.
      );
    }
  }

  /** Finds every tests file in the workspace and watches for more. */
  async discover(): Promise<void> {
    if (!this.watching) {
      this.watching = true;
      const watcher = vscode.workspace.createFileSystemWatcher(TESTS_GLOB);
      watcher.onDidCreate((u) => void this.loadFromDisk(u));
      watcher.onDidChange((u) => void this.loadFromDisk(u));
      watcher.onDidDelete((u) => {
        this.controller.items.delete(u.toString());
        this.diagnostics.delete(u);
        this.files.delete(u.toString());
      });
      this.disposables.push(watcher);
    }
    const uris = await vscode.workspace.findFiles(TESTS_GLOB, '**/node_modules/**');
    await Promise.all(uris.map((u) => this.loadFromDisk(u)));
  }

  private async loadFromDisk(uri: vscode.Uri): Promise<void> {
    const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
    this.load(uri, open ? open.getText() : Buffer.from(await vscode.workspace.fs.readFile(uri)).toString('utf8'));
  }

  private load(testsUri: vscode.Uri, text: string): void {
    const parsed = promptEngine().parseTestFile(text);
    this.files.set(testsUri.toString(), parsed);
    const promptUri = vscode.Uri.file(promptPathFor(testsUri.fsPath));
    const fileItem =
      this.controller.items.get(testsUri.toString()) ??
      this.controller.createTestItem(testsUri.toString(), path.basename(promptUri.fsPath), testsUri);
    fileItem.description = vscode.workspace.asRelativePath(testsUri);
    fileItem.range = new vscode.Range(0, 0, 0, 0);
    this.diagnostics.set(
      testsUri,
      parsed.problems.map((p) => {
        const d = new vscode.Diagnostic(
          new vscode.Range(p.line, 0, p.line, Number.MAX_SAFE_INTEGER),
          p.message,
          vscode.DiagnosticSeverity.Error,
        );
        d.source = 'prompt tests';
        return d;
      }),
    );
    fileItem.error =
      parsed.problems.length > 0
        ? new vscode.MarkdownString(parsed.problems.map((p) => `line ${p.line + 1}: ${p.message}`).join('\n\n'))
        : undefined;
    const children = parsed.cases.map((c) => {
      const item = this.controller.createTestItem(`${testsUri.toString()}#${c.name}`, c.name, testsUri);
      item.range = new vscode.Range(c.line, 0, c.line, 0);
      item.description = `${c.assertions.length} assertion${c.assertions.length === 1 ? '' : 's'}`;
      this.cases.set(item, { testsUri, promptUri, testCase: c });
      return item;
    });
    fileItem.children.replace(children);
    this.controller.items.add(fileItem);
    this.filesChanged.fire();
  }

  /** How many cases the prompt's tests file holds, if it has one that was read. */
  caseCount(promptUri: vscode.Uri): number | undefined {
    return this.files.get(testsUriFor(promptUri).toString())?.cases.length;
  }

  /** Runs every case of a prompt's tests file (the CodeLens and the palette command). */
  async runFor(promptUri?: vscode.Uri): Promise<CaseResult[] | undefined> {
    const uri = promptUri ?? vscode.window.activeTextEditor?.document.uri;
    if (!uri?.path.endsWith('.prompt'))
      throw new BedrockError('PromptInvalid', 'Open a .prompt file to run its tests.');
    const testsUri = testsUriFor(uri);
    if (
      !(await vscode.workspace.fs.stat(testsUri).then(
        () => true,
        () => false,
      ))
    ) {
      const pick = await vscode.window.showInformationMessage(
        `${path.basename(uri.fsPath)} has no tests yet (${path.basename(testsUri.fsPath)}).`,
        'Create Tests',
      );
      if (pick) await vscode.commands.executeCommand(Commands.newPromptTests, uri);
      return undefined;
    }
    return this.run({ ids: [testsUri.toString()] });
  }

  /** Runs cases by id (all when none given), through the same handler as the Test Explorer. */
  async run(opts: { ids?: string[]; modelId?: string } = {}, token?: vscode.CancellationToken): Promise<CaseResult[]> {
    // Once found, the watcher and the open editors keep the items current: no search per run; a file
    // asked for by id that the watcher has not reported yet is read now.
    if (!this.watching) await this.discover();
    const unknownFiles = new Set(
      (opts.ids ?? []).map((id) => id.split('#')[0]).filter((f) => !this.controller.items.get(f)),
    );
    await Promise.all(
      [...unknownFiles].map((f) =>
        this.loadFromDisk(vscode.Uri.parse(f)).catch((err: unknown) =>
          this.logger.warn(`tests file ${f}: ${String(err)}`),
        ),
      ),
    );
    const all: vscode.TestItem[] = [];
    this.controller.items.forEach((f) => {
      all.push(f);
      f.children.forEach((c) => all.push(c));
    });
    const include = opts.ids ? all.filter((i) => opts.ids!.includes(i.id)) : undefined;
    this.modelForNextRun = opts.modelId;
    const cts = new vscode.CancellationTokenSource();
    try {
      return await this.runHandler(new vscode.TestRunRequest(include), token ?? cts.token, opts.modelId !== undefined);
    } finally {
      cts.dispose();
    }
  }

  /**
   * Continuous run: until cancelled, re-runs the requested cases of a tests file when it, its prompt or a
   * partial beside the prompt is saved (several saves within 300 ms make one run).
   */
  async watch(request: vscode.TestRunRequest, token: vscode.CancellationToken): Promise<void> {
    const pending = new Set<string>();
    let timer: NodeJS.Timeout | undefined;
    const affected = (saved: vscode.Uri): vscode.TestItem[] => {
      const files: vscode.TestItem[] = [];
      this.controller.items.forEach((f) => {
        const promptPath = promptPathFor(f.uri!.fsPath);
        const isPartial = isPartialPath(saved.fsPath) && path.dirname(saved.fsPath) === path.dirname(promptPath);
        if (f.uri!.toString() === saved.toString() || promptPath === saved.fsPath || isPartial) files.push(f);
      });
      if (!request.include) return files;
      // Only what the continuous run was started on: a whole file, or some of its cases.
      return files.flatMap((f) =>
        request.include!.includes(f) ? [f] : request.include!.filter((i) => i.parent === f),
      );
    };
    const sub = vscode.workspace.onDidSaveTextDocument((doc) => {
      if (token.isCancellationRequested) return;
      if (this.isTestsFile(doc.uri)) this.load(doc.uri, doc.getText());
      for (const item of affected(doc.uri)) pending.add(item.id);
      if (pending.size === 0) return;
      clearTimeout(timer);
      timer = setTimeout(() => {
        const ids = [...pending];
        pending.clear();
        const items: vscode.TestItem[] = [];
        this.controller.items.forEach((f) => {
          if (ids.includes(f.id)) items.push(f);
          f.children.forEach((c) => ids.includes(c.id) && items.push(c));
        });
        void this.runHandler(new vscode.TestRunRequest(items, request.exclude, request.profile), token);
      }, 300);
    });
    await new Promise<void>((resolve) => token.onCancellationRequested(() => resolve()));
    clearTimeout(timer);
    sub.dispose();
  }

  /** The run profiles' handler: runs the requested cases and resolves to their results (also fired as onDidFinishRun). */
  private async runHandler(
    request: vscode.TestRunRequest,
    token: vscode.CancellationToken,
    otherModel = false,
  ): Promise<CaseResult[]> {
    const leaves: vscode.TestItem[] = [];
    const collect = (item: vscode.TestItem) => {
      if (request.exclude?.includes(item)) return;
      if (this.cases.has(item)) leaves.push(item);
      item.children.forEach(collect);
    };
    if (request.include) request.include.forEach(collect);
    else this.controller.items.forEach(collect);

    let modelOverride: string | undefined;
    if (otherModel) {
      modelOverride = this.modelForNextRun ?? (await pickModel(this.catalogue, 'Run the prompt tests on which model?'));
      this.modelForNextRun = undefined;
      if (!modelOverride) return [];
    }
    const run = this.controller.createTestRun(
      request,
      modelOverride ? `Prompt tests on ${modelOverride}` : 'Prompt tests',
    );
    this.logger.info(`prompt tests: ${leaves.length} case(s)${modelOverride ? ` on ${modelOverride}` : ''}`);
    const results: CaseResult[] = [];
    const record = (
      item: vscode.TestItem,
      state: CaseResult['state'],
      messages: string[],
      extra: Partial<CaseResult> = {},
    ) => {
      const data = this.cases.get(item)!;
      results.push({
        id: item.id,
        file: vscode.workspace.asRelativePath(data.testsUri),
        name: data.testCase.name,
        state,
        messages,
        ...extra,
      });
    };
    try {
      if (!vscode.workspace.isTrusted) {
        const msg = new vscode.TestMessage(
          'Prompt tests cannot run in an untrusted workspace: they send the prompt and its files to AWS. Trust the workspace (Manage Workspace Trust) to run them.',
        );
        for (const item of leaves) {
          run.errored(item, msg);
          record(item, 'errored', [msg.message.toString()]);
        }
        return results;
      }
      leaves.forEach((i) => run.enqueued(i));
      const baselines = await this.baselinesFor(leaves);
      const concurrency = config.testsConcurrency();
      const limiter = new AdaptiveLimiter({ maxConcurrency: concurrency });
      const abort = new AbortController();
      const sub = token.onCancellationRequested(() => abort.abort());
      // Each prompt is compiled once per run, however many of its cases run.
      const compiled = new Map<string, ReturnType<typeof compilePromptFile>>();
      const render = async (doc: vscode.TextDocument, input: Record<string, unknown>) => {
        const key = `${doc.uri.toString()}@${doc.version}`;
        if (!compiled.has(key)) compiled.set(key, compilePromptFile(doc.getText(), doc.uri, retrieverFor(this.host)));
        return (await compiled.get(key)!)(input);
      };
      let finished = 0;
      await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Window, title: 'Prompt tests' },
        async (progress) => {
          await forEachBounded(leaves, concurrency, async (item) => {
            if (abort.signal.aborted) {
              run.skipped(item);
              record(item, 'skipped', []);
              return;
            }
            run.started(item);
            try {
              await this.runCase(item, run, limiter, abort.signal, modelOverride, record, render, baselines);
            } catch (err) {
              // Anything unexpected (the SDK could not load, no region…) fails this case, not the run.
              const e = toBedrockError(err, { operation: `test ${item.label}`, profile: this.session.profile });
              run.errored(item, new vscode.TestMessage(e.message));
              record(item, 'errored', [e.message]);
            }
            progress.report({ message: `${++finished}/${leaves.length}` });
          });
        },
      );
      sub.dispose();
      this.gate(run, baselines, results);
    } finally {
      run.end();
      this.finished.fire(results);
    }
    return results;
  }

  /** The baseline of each workspace folder the cases are in, where one was saved; a broken one is reported once. */
  private async baselinesFor(items: vscode.TestItem[]): Promise<Map<string, FolderBaseline>> {
    const folders = new Map<string, vscode.WorkspaceFolder>();
    for (const item of items) {
      const folder = vscode.workspace.getWorkspaceFolder(this.cases.get(item)!.testsUri);
      if (folder) folders.set(folder.uri.toString(), folder);
    }
    const found = new Map<string, FolderBaseline>();
    for (const [key, folder] of folders) {
      try {
        const where = baselineFileFor(folder);
        const baseline = where && (await readBaseline(where));
        if (where && baseline) found.set(key, { ...where, baseline });
      } catch (err) {
        void vscode.window.showWarningMessage(`The test baseline was not used: ${(err as Error).message}`);
      }
    }
    return found;
  }

  /**
   * The run against each folder's baseline: the comparison goes to the run's output, and a regression
   * beyond bedrockPromptLab.tests.maxRegression is a warning that offers to open the baseline or replace it.
   */
  private gate(run: vscode.TestRun, baselines: Map<string, FolderBaseline>, results: CaseResult[]): void {
    for (const [key, { baseline, shown, file }] of baselines) {
      const folder = vscode.workspace.getWorkspaceFolder(vscode.Uri.parse(key))!;
      const now = results.flatMap((r) => {
        const entry = this.latest.get(key)?.get(this.relativeId(r));
        return entry && r.state !== 'skipped' ? [{ id: entry.id, state: r.state }] : [];
      });
      if (now.length === 0) continue;
      const comparison = compareWithBaseline(baseline, now, { sameCasesOnly: true });
      const problem = regressionProblem(comparison, config.testsMaxRegression(folder.uri));
      const warning = problem && `Prompt tests regressed against the baseline (${shown}): ${problem}.`;
      this.lastGate.set(key, { baseline: shown, comparison, problem, warning });
      run.appendOutput(`${comparisonMarkdown(comparison)}(baseline: ${shown})\n`.replace(/\n/g, '\r\n'));
      if (warning)
        void vscode.window
          .showWarningMessage(warning, 'Open Baseline', 'Save as New Baseline')
          .then(async (pick) => {
            if (pick === 'Open Baseline') await vscode.window.showTextDocument(vscode.Uri.file(file));
            else if (pick === 'Save as New Baseline') await this.saveBaseline();
          })
          .then(undefined, (err: unknown) => void vscode.window.showErrorMessage(String((err as Error).message)));
    }
  }

  /** A case's id as the CLI and the result file name it: `<tests file, relative to its folder>#<name>`. */
  private relativeId(result: Pick<CaseResult, 'id'>): string {
    const [file, ...name] = result.id.split('#');
    return `${vscode.workspace.asRelativePath(vscode.Uri.parse(file), false)}#${name.join('#')}`;
  }

  /**
   * Bedrock: Save Test Results as Baseline. The latest result of each case run in this window is written to
   * its folder's baseline (the format of `prompt-lab test --reporter json`, so CI can use it with
   * `--baseline`); cases of the baseline not run since keep their saved state.
   */
  async saveBaseline(): Promise<string[] | undefined> {
    if (this.latest.size === 0) {
      void vscode.window.showInformationMessage(
        'Run the prompt tests first (the Testing view, or Bedrock: Run Prompt Tests): their results become the baseline.',
      );
      return undefined;
    }
    const saved: string[] = [];
    for (const [key, entries] of this.latest) {
      const folder = vscode.workspace.getWorkspaceFolder(vscode.Uri.parse(key))!;
      const where = baselineFileFor(folder);
      if (!where)
        throw new BedrockError(
          'PromptInvalid',
          'No baseline file is set: give bedrockPromptLab.tests.baseline a path in the workspace, such as .prompt-lab/baseline.json.',
        );
      const cases = [...entries.values()];
      const durationMs = cases.reduce((sum, c) => sum + (c.report.latencyMs ?? 0), 0);
      const merged = await saveBaselineResult(where, testResult(cases, summarize(cases, durationMs), this.version));
      saved.push(where.file);
      void vscode.window.showInformationMessage(
        `Baseline saved in ${where.shown}: ${merged.summary.total} cases, pass rate ${(merged.summary.passRate * 100).toFixed(1)}%. Test runs are compared with it from now on.`,
      );
    }
    return saved;
  }

  private async runCase(
    item: vscode.TestItem,
    run: vscode.TestRun,
    limiter: AdaptiveLimiter,
    signal: AbortSignal,
    modelOverride: string | undefined,
    record: (
      item: vscode.TestItem,
      state: CaseResult['state'],
      messages: string[],
      extra?: Partial<CaseResult>,
    ) => void,
    render: (doc: vscode.TextDocument, input: Record<string, unknown>) => Promise<RenderResult>,
    baselines: Map<string, FolderBaseline>,
  ): Promise<void> {
    const { testsUri, promptUri, testCase } = this.cases.get(item)!;
    const file = this.files.get(testsUri.toString());
    const at = (line: number) => new vscode.Location(testsUri, new vscode.Position(line, 0));
    const folder = vscode.workspace.getWorkspaceFolder(testsUri);
    const id = this.relativeId(item);
    // What a regression adds to the case's messages: the baseline it passed in.
    const regression = (state: CaseReport['state']) => {
      const saved = folder && baselines.get(folder.uri.toString());
      if (!saved || !regressed(saved.baseline, id, state)) return [];
      const m = new vscode.TestMessage(`Regression: this case passed in the baseline (${saved.shown}).`);
      m.location = at(testCase.line);
      return [m];
    };
    const keep = (report: CaseReport) => {
      if (!folder) return;
      const entries = this.latest.get(folder.uri.toString()) ?? new Map<string, CaseEntry>();
      this.latest.set(folder.uri.toString(), entries);
      entries.set(id, {
        id,
        testsFile: vscode.workspace.asRelativePath(testsUri, false),
        promptFile: vscode.workspace.asRelativePath(promptUri, false),
        name: testCase.name,
        line: testCase.line + 1,
        report,
      });
    };
    const errored = (message: string) => {
      const m = new vscode.TestMessage(message);
      m.location = at(testCase.line);
      const extra = regression('errored');
      run.errored(item, [...extra, m]);
      record(item, 'errored', [message], extra.length > 0 ? { regressed: true } : {});
      keep({ state: 'errored', messages: [message], failures: [] });
    };
    let doc: vscode.TextDocument;
    try {
      doc = await vscode.workspace.openTextDocument(promptUri);
    } catch (err) {
      return errored(`Could not open ${path.basename(promptUri.fsPath)}: ${(err as Error).message}`);
    }
    const report = await runTestCase(
      this.host,
      {
        testCase,
        file: { model: file?.model, judge: file?.judge },
        analysis: this.analyses.get(doc),
        render: (input) => render(doc, input),
        promptName: path.basename(promptUri.fsPath),
      },
      { limiter, signal, modelOverride },
    );
    if (report.state === 'skipped') {
      run.skipped(item);
      record(item, 'skipped', []);
      return;
    }
    if (report.state === 'errored') return errored(report.messages[0]);
    keep(report);
    if (report.output !== undefined)
      run.appendOutput(
        `── ${testCase.name} (${report.modelId}, ${Math.round(report.latencyMs ?? 0)} ms)\r\n${report.output.replace(/\r?\n/g, '\r\n')}\r\n`,
        at(testCase.line),
        item,
      );
    if (report.state === 'passed') {
      run.passed(item, report.latencyMs);
      record(item, 'passed', report.messages, { modelId: report.modelId, output: report.output });
      return;
    }
    const messages = report.failures.map((f) => {
      const m =
        f.expected !== undefined && f.actual !== undefined
          ? vscode.TestMessage.diff(f.message, f.expected, f.actual)
          : new vscode.TestMessage(f.message);
      m.location = at(f.assertion.line);
      return m;
    });
    const extra = regression('failed');
    run.failed(item, [...extra, ...messages], report.latencyMs);
    record(item, 'failed', report.messages, {
      modelId: report.modelId,
      output: report.output,
      ...(extra.length > 0 ? { regressed: true } : {}),
    });
  }

  /**
   * Shows a result `prompt-lab test --reporter json` wrote (in CI, say) in the Testing view, as a run of
   * this workspace's cases: each case found by its tests file and name, with its failures at their lines.
   * Nothing is sent. Cases the workspace does not have are named, not dropped silently.
   */
  async openResult(resultUri?: vscode.Uri): Promise<CaseResult[] | undefined> {
    const uri =
      resultUri ??
      (
        await vscode.window.showOpenDialog({
          title: 'Open a prompt-lab test result',
          canSelectMany: false,
          filters: { 'prompt-lab test result (JSON)': ['json'] },
          openLabel: 'Open Result',
        })
      )?.[0];
    if (!uri) return undefined;
    const shown = vscode.workspace.asRelativePath(uri);
    const result = promptEngine().readTestResult(
      Buffer.from(await vscode.workspace.fs.readFile(uri)).toString('utf8'),
      shown,
    );
    await this.discover();
    // The workspace's cases by `<tests file, relative>#<name>`, the id the CLI gives them.
    const byId = new Map<string, vscode.TestItem>();
    const collect = (item: vscode.TestItem) => {
      const data = this.cases.get(item);
      if (data) byId.set(`${vscode.workspace.asRelativePath(data.testsUri, false)}#${data.testCase.name}`, item);
      item.children.forEach(collect);
    };
    this.controller.items.forEach(collect);
    // A result written in a subfolder (or another checkout's root) names files relative to it: match the end.
    const find = (testsFile: string, name: string) =>
      byId.get(`${testsFile}#${name}`) ?? [...byId].find(([id]) => id.endsWith(`/${testsFile}#${name}`))?.[1];
    const matched = result.cases.map((c) => ({ c, item: find(c.testsFile, c.name) }));
    const found = matched.filter((m): m is { c: (typeof result.cases)[number]; item: vscode.TestItem } => !!m.item);
    const run = this.controller.createTestRun(
      new vscode.TestRunRequest(found.map((m) => m.item)),
      `${shown} (prompt-lab ${result.tool.version})`,
    );
    const results: CaseResult[] = [];
    try {
      for (const { c, item } of found) {
        const testsUri = this.cases.get(item)!.testsUri;
        const at = (line: number) => new vscode.Location(testsUri, new vscode.Position(Math.max(0, line - 1), 0));
        if (c.answer !== undefined)
          run.appendOutput(
            `── ${c.name} (${c.modelId ?? 'model'}, ${Math.round(c.latencyMs ?? 0)} ms)\r\n${c.answer.replace(/\r?\n/g, '\r\n')}\r\n`,
            at(c.line),
            item,
          );
        if (c.state === 'passed') run.passed(item, c.latencyMs);
        else if (c.state === 'skipped') run.skipped(item);
        else if (c.state === 'errored') {
          const m = new vscode.TestMessage(c.messages[0] ?? 'The case errored.');
          m.location = at(c.line);
          run.errored(item, m);
        } else
          run.failed(
            item,
            (c.failures.length > 0 ? c.failures : [{ line: c.line, message: c.messages.join('\n') }]).map((f) => {
              const m =
                'expected' in f && f.expected !== undefined && f.actual !== undefined
                  ? vscode.TestMessage.diff(f.message, f.expected, f.actual)
                  : new vscode.TestMessage(f.message);
              m.location = at(f.line);
              return m;
            }),
            c.latencyMs,
          );
        results.push({
          id: item.id,
          file: c.testsFile,
          name: c.name,
          state: c.state,
          modelId: c.modelId,
          output: c.answer,
          messages: c.messages,
        });
      }
    } finally {
      run.end();
    }
    const missing = matched.filter((m) => !m.item).map((m) => m.c.id);
    const s = result.summary;
    const summary = `${shown}: ${s.passed} passed, ${s.failed} failed, ${s.errored} errored${s.skipped ? `, ${s.skipped} skipped` : ''} (pass rate ${(s.passRate * 100).toFixed(1)}%).`;
    if (missing.length > 0)
      void vscode.window.showWarningMessage(
        `${summary} ${missing.length} of its cases are not in this workspace (first: ${missing[0]}): were they renamed, or was the result written for another folder?`,
      );
    else void vscode.window.showInformationMessage(`${summary} The Testing view shows each case.`);
    this.finished.fire(results);
    return results;
  }

  dispose(): void {
    this.disposables.forEach((d) => d.dispose());
    this.controller.dispose();
  }
}
