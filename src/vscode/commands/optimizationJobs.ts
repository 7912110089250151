// Advanced Prompt Optimization jobs in the editor: Start Advanced Prompt Optimization Job… (a prompt and
// its tests file, the target models, the evaluation method, shortening, the S3 location), the Prompt
// Optimization Jobs view that follows it, and Bring Results Back, which writes each model's variant beside
// the prompt and opens the evaluation report. The same use cases as `prompt-lab optimize-job`
// (app/optimizationJobs.ts).
import vscode = require('vscode');
import path from 'node:path';
import {
  collectOptimizationJob,
  planOptimizationJob,
  rememberedOptimizationJobs,
  startOptimizationJob,
  type CollectedOptimization,
  type OptimizationPrompt,
  type StartedOptimizationJob,
} from '../../app/optimizationJobs';
import { toBedrockError } from '../../core/bedrock/errors';
import { s3UriProblem } from '../../core/bedrock/s3Uri';
import type { OptimizationJob } from '../../core/bedrock/clients';
import { promptEngine } from '../../core/format/loadEngine';
import type { EvaluationMethod } from '../../core/format/optimizationJob';
import { OPTIMIZATION_LIMITS } from '../../core/format/optimizationJob';
import { testsPathFor } from '../../core/format/testFiles';
import { diskAnalysisContext } from '../../core/io/promptFiles';
import { BedrockError } from '../../core/shared/bedrockError';
import { formatUsd } from '../../core/shared/money';
import type { Services } from '../services';
import { config } from '../host/config';
import { ask } from '../host/inputBox';
import { pickModel, pickModels } from '../host/modelPicker';
import { promptUriFor } from '../host/promptFiles';
import { savedTextOf } from '../host/proposals';
import { requireTrust } from '../host/trust';
import { openEvaluation } from '../webview/evaluationPanel';

export type OptimizationJobServices = Pick<
  Services,
  'host' | 'analyses' | 'catalogue' | 'session' | 'logger' | 'optimizationJobs' | 'extensionUri'
>;

export interface StartOptimizationJobOptions {
  uri?: string;
  models?: string[];
  method?: EvaluationMethod['kind'];
  criteria?: string[];
  judgeModel?: string;
  judgePrompt?: string;
  lambda?: string;
  shorten?: boolean;
  s3Uri?: string;
  jobName?: string;
}

async function chooseMethod(
  s: OptimizationJobServices,
  opts: StartOptimizationJobOptions,
  prompt: OptimizationPrompt,
): Promise<EvaluationMethod | undefined> {
  const kind =
    opts.method ??
    (
      await vscode.window.showQuickPick(
        [
          {
            label: 'Default judge',
            detail: "Bedrock's judge: accuracy, completeness and expression against each reference answer",
            method: 'default' as const,
          },
          {
            label: 'Steering criteria',
            detail: "Criteria the answers must meet (the tests file's rubrics, or your own)",
            method: 'steering' as const,
          },
          { label: 'Custom judge', detail: 'Your instructions to a judge model you choose', method: 'judge' as const },
          { label: 'Lambda function', detail: 'Your own scoring function', method: 'lambda' as const },
        ],
        { title: 'How should the optimizer score the answers? (one method a template)' },
      )
    )?.method;
  if (!kind) return undefined;
  if (kind === 'steering') {
    const rubrics = [
      ...new Set(
        prompt.tests.cases.flatMap((c) => c.assertions.filter((a) => a.kind === 'rubric').map((a) => String(a.value))),
      ),
    ];
    const criteria =
      opts.criteria ??
      (rubrics.length
        ? rubrics
        : (
            await ask(undefined, {
              title: 'Steering criteria, separated by ";"',
              placeHolder: 'Professional tone; One paragraph',
            })
          )
            ?.split(';')
            .map((c) => c.trim())
            .filter(Boolean));
    return criteria && { kind, criteria };
  }
  if (kind === 'judge') {
    const modelId = opts.judgeModel ?? prompt.tests.judge ?? (await pickModel(s.catalogue, 'The judge model'));
    const instructions =
      opts.judgePrompt ?? (await ask(undefined, { title: "The judge's instructions (how to score an answer)" }));
    return modelId && instructions ? { kind, modelId, prompt: instructions } : undefined;
  }
  if (kind === 'lambda') {
    const arn =
      opts.lambda ??
      (await ask(undefined, {
        title: 'The evaluation Lambda function',
        placeHolder: 'arn:aws:lambda:<region>:<account>:function:<name>',
        validateInput: (v) => (/^arn:aws[a-z-]*:lambda:/.test(v.trim()) ? undefined : 'A Lambda function ARN.'),
      }));
    return arn ? { kind, arn: arn.trim() } : undefined;
  }
  return { kind: 'default' };
}

export async function startOptimizationJobCommand(
  s: OptimizationJobServices,
  opts: StartOptimizationJobOptions = {},
): Promise<StartedOptimizationJob | undefined> {
  const promptUri = await promptUriFor(
    opts.uri ? vscode.Uri.parse(opts.uri) : undefined,
    'Optimize with a Bedrock job',
  );
  if (!promptUri) return undefined;
  requireTrust('Starting a prompt optimization job');
  const folder = vscode.workspace.getWorkspaceFolder(promptUri);
  if (!folder)
    throw new BedrockError('Validation', 'Open the prompt from a workspace folder: the job is remembered there.');
  const doc = await vscode.workspace.openTextDocument(promptUri);
  if (doc.isDirty)
    throw new BedrockError(
      'Validation',
      `${vscode.workspace.asRelativePath(promptUri)} has unsaved changes: save it first.`,
    );
  const testsUri = promptUri.with({ path: testsPathFor(promptUri.path) });
  const testsText = await savedTextOf(testsUri);
  if (testsText === undefined)
    throw new BedrockError(
      'Validation',
      `${vscode.workspace.asRelativePath(testsUri)} does not exist: a job learns from the prompt's test cases (their \`reference:\` answers).`,
    );
  const relative = (uri: vscode.Uri) => path.relative(folder.uri.fsPath, uri.fsPath).split(path.sep).join('/');
  const prompt: OptimizationPrompt = {
    file: relative(promptUri),
    text: doc.getText(),
    analysis: s.analyses.get(doc),
    tests: promptEngine().parseTestFile(testsText),
    testsFile: relative(testsUri),
  };
  const models =
    opts.models ??
    (await pickModels(s.catalogue, `Optimize for which models? (at most ${OPTIMIZATION_LIMITS.models})`));
  if (!models?.length) return undefined;
  const method = await chooseMethod(s, opts, prompt);
  if (!method) return undefined;
  const shorten =
    opts.shorten ??
    (
      await vscode.window.showQuickPick(
        [
          { label: 'Optimize for quality', shorten: false },
          {
            label: 'Also shorten the prompt',
            detail: 'Only a shorter prompt that scores at least as well is returned',
            shorten: true,
          },
        ],
        { title: 'Shorten the prompt?' },
      )
    )?.shorten;
  if (shorten === undefined) return undefined;
  const plan = planOptimizationJob([prompt], { models, method, shorten });
  for (const note of plan.notes) s.logger.info(`optimization job: ${note}`);
  if (plan.problems.length) throw new BedrockError('Validation', `The job cannot start: ${plan.problems.join(' ')}`);
  const s3Uri = await ask(opts.s3Uri ?? config.batchS3Uri(), {
    title: "S3 location for the job's input and output",
    placeHolder: 's3://bucket/prefix/',
    validateInput: (v) => s3UriProblem(v),
  });
  if (!s3Uri) return undefined;
  const started = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `Starting an optimization job for ${prompt.file}` },
    async () => {
      try {
        return await startOptimizationJob(s.host, plan, [prompt], {
          s3Uri,
          root: folder.uri.fsPath,
          method,
          jobName: opts.jobName,
        });
      } catch (err) {
        throw toBedrockError(err, { operation: 'start the optimization job', profile: s.session.profile });
      }
    },
  );
  void s.optimizationJobs.refresh();
  void vscode.window.showInformationMessage(
    `Started ${started.jobName}: ${plan.templates[0].samples} sample(s) for ${models.join(', ')}. Jobs take 15 minutes or more; the Prompt Optimization Jobs view follows it.${plan.notes.length ? ` ${plan.notes.join(' ')}` : ''}`,
  );
  return started;
}

/** The workspace folder that remembers a job (it was started from there). */
async function folderOf(jobArn: string): Promise<string | undefined> {
  for (const f of vscode.workspace.workspaceFolders ?? [])
    if ((await rememberedOptimizationJobs(f.uri.fsPath)).some((j) => j.jobArn === jobArn)) return f.uri.fsPath;
  return undefined;
}

export async function collectOptimizationJobCommand(
  s: OptimizationJobServices,
  job?: Pick<OptimizationJob, 'jobArn'>,
): Promise<CollectedOptimization | undefined> {
  requireTrust('Bringing optimization results back');
  const jobArn =
    job?.jobArn ??
    (
      await vscode.window.showQuickPick(
        (
          await Promise.all(
            (vscode.workspace.workspaceFolders ?? []).map((f) => rememberedOptimizationJobs(f.uri.fsPath)),
          )
        )
          .flat()
          .map((j) => ({ label: j.jobName, description: j.prompts.map((p) => p.file).join(', '), jobArn: j.jobArn })),
        { title: 'Bring back the results of which job?' },
      )
    )?.jobArn;
  if (!jobArn) return undefined;
  const root = await folderOf(jobArn);
  if (!root)
    throw new BedrockError(
      'NotFound',
      'This job was not started from a folder of this workspace, so its prompts are unknown: open that folder, or read its results in S3.',
    );
  const collected = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: 'Bringing the optimization results back' },
    async () => {
      try {
        return await collectOptimizationJob(s.host, jobArn, {
          root,
          analyze: (file, text) => promptEngine().analyzePrompt(text, diskAnalysisContext(file, root)),
        });
      } catch (err) {
        throw toBedrockError(err, { operation: 'bring the optimization results back', profile: s.session.profile });
      }
    },
  );
  const score = (n: number | undefined) => (n === undefined ? '?' : n.toFixed(2));
  for (const v of collected.variants) {
    s.logger.info(
      `optimization job ${collected.job.jobName}: ${v.promptFile} on ${v.modelId}: ${v.status}${v.file ? `, score ${score(v.before.averageScore)} → ${score(v.after.averageScore)}, ${v.before.costPerCallUsd !== undefined ? formatUsd(v.before.costPerCallUsd) : '?'} → ${v.after.costPerCallUsd !== undefined ? formatUsd(v.after.costPerCallUsd) : '?'} a call, ${v.file}` : ''}`,
    );
    for (const w of v.warnings) s.logger.warn(`${v.file}: ${w}`);
  }
  const written = collected.variants.filter((v) => v.file);
  const failed = collected.variants.filter((v) => !v.file);
  if (collected.evaluations[0]) await openEvaluation(s, path.join(root, collected.evaluations[0]));
  const warned = written.some((v) => v.warnings.length);
  void vscode.window.showInformationMessage(
    `${collected.job.jobName}: ${written.map((v) => `${v.file} (score ${score(v.before.averageScore)} → ${score(v.after.averageScore)})`).join(', ') || 'no variant'} written.${failed.length ? ` No optimized prompt for ${failed.map((v) => v.modelId).join(', ')} (${failed[0].status}).` : ''}${warned ? ' Some variants read their inputs differently: see the log.' : ''}`,
  );
  return collected;
}

export async function stopOptimizationJobCommand(
  s: OptimizationJobServices,
  job: Pick<OptimizationJob, 'jobArn' | 'jobName'>,
): Promise<void> {
  await s.host.clients().optimizationJobs.stopJob(job.jobArn);
  void s.optimizationJobs.refresh();
  void vscode.window.showInformationMessage(`Stopping ${job.jobName}.`);
}
