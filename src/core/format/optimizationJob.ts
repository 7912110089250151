// Advanced Prompt Optimization jobs (issue 23, part 3): the input file built from prompts and their test
// cases, checked against the service's limits, and the results file read back.
//
// Input (JSONL, one template a line) [docs: advanced-prompt-optimization-input; the samples' prepared
// files]: `version` "bedrock-2026-05-14", `templateId`, `promptTemplate` with `{{variables}}`, one
// evaluation method (steering criteria, a custom LLM judge, a Lambda, or none for the default judge),
// `evaluationSamples: [{inputVariables: [{name: value, …}], referenceResponse}]`, and
// `optimizationConfig.shortenPrompt` [docs, medium: the page names the field, not its parent].
// Results [docs: advanced-prompt-optimization-results; the samples' live results files]:
// `{output}/{job id}/advanced_prompt_optimization_results.jsonl`, a line per template: `promptTemplateId`
// and `promptOptimizationResults: [{modelId, status, optimizedPromptTemplate, originalPromptMetrics,
// optimizedPromptMetrics (averageScore, averageInputTokens, averageOutputTokens, averageTtftInSec),
// dataset: [{inputVariables, referenceResponse, originalPromptDetails, optimizedPromptDetails}]}]`.
// Everything read from the results is data: own fields of the expected types only.
import type { PromptAnalysis } from './analyze';
import { plainTemplate } from './plainTemplate';
import type { PromptTestFile } from './testCases';

export const OPTIMIZATION_INPUT_VERSION = 'bedrock-2026-05-14';
export const OPTIMIZATION_RESULTS_FILE = 'advanced_prompt_optimization_results.jsonl';
export const OPTIMIZATION_LIMITS = { templates: 10, samples: 100, models: 5 } as const;

export type EvaluationMethod =
  | { kind: 'default' }
  | { kind: 'steering'; criteria: string[] }
  | { kind: 'judge'; prompt: string; modelId: string }
  | { kind: 'lambda'; arn: string };

export interface OptimizationTemplate {
  templateId: string;
  promptFile: string;
  line: Record<string, unknown>;
  samples: number;
  notes: string[];
}

/** A template id from the prompt's file name: letters, digits, `_` and `-` (unique within a job). */
export function templateIdFor(promptFile: string): string {
  return (
    promptFile
      .replace(/\.prompt$/, '')
      .replace(/[^A-Za-z0-9_-]/g, '_')
      .slice(0, 64) || 'prompt'
  );
}

/** A case's value as the service takes it: text (anything else as its JSON). */
const asText = (v: unknown) => (typeof v === 'string' ? v : JSON.stringify(v));

/**
 * One prompt and its tests as an input line: its plain template, a sample per case that has a reference
 * answer (`reference:`), its inputs' defaults filled in, and the evaluation method. Problems are returned
 * (each with the fix), never thrown, so every prompt's are said at once.
 */
export function optimizationTemplate(
  promptFile: string,
  promptText: string,
  analysis: PromptAnalysis,
  tests: PromptTestFile,
  method: EvaluationMethod,
  shorten: boolean,
): { template?: OptimizationTemplate; problems: string[] } {
  const plain = plainTemplate(promptText, analysis);
  if (!plain.text) return { problems: plain.refused.map((r) => `${promptFile}: ${r}.`) };
  const defaults = (analysis.frontmatter.input as { default?: Record<string, unknown> } | undefined)?.default ?? {};
  const notes = [...plain.notes];
  const samples: Record<string, unknown>[] = [];
  const noReference: string[] = [];
  for (const c of tests.cases) {
    const reference = c.assertions.find((a) => a.kind === 'reference');
    if (!reference) {
      noReference.push(c.name);
      continue;
    }
    const values: Record<string, string> = {};
    for (const name of plain.variables) {
      const value = Object.hasOwn(c.input, name)
        ? c.input[name]
        : Object.hasOwn(defaults, name)
          ? defaults[name]
          : undefined;
      if (value !== undefined) values[name] = asText(value);
    }
    samples.push({ inputVariables: [values], referenceResponse: reference.value });
  }
  if (noReference.length)
    notes.push(
      `${noReference.length} case(s) have no reference answer and are not samples: ${noReference.slice(0, 5).join(', ')}${noReference.length > 5 ? ', …' : ''}.`,
    );
  if (samples.length === 0)
    return {
      problems: [
        `${promptFile}: no case has a reference answer. Add \`- reference: <the answer you expect>\` to the cases the optimizer should learn from.`,
      ],
    };
  const evaluation =
    method.kind === 'steering'
      ? { steeringCriteria: method.criteria }
      : method.kind === 'judge'
        ? { customLLMJConfig: { customLLMJPrompt: method.prompt, customLLMJModelId: method.modelId } }
        : method.kind === 'lambda'
          ? { evaluationMetricLambdaArn: method.arn }
          : {};
  const templateId = templateIdFor(promptFile);
  return {
    template: {
      templateId,
      promptFile,
      samples: samples.length,
      notes,
      line: {
        version: OPTIMIZATION_INPUT_VERSION,
        templateId,
        promptTemplate: plain.text,
        ...evaluation,
        evaluationSamples: samples,
        ...(shorten ? { optimizationConfig: { shortenPrompt: true } } : {}),
      },
    },
    problems: [],
  };
}

/** What the service would refuse, before anything is uploaded: each problem with the limit and the fix. */
export function optimizationLimitProblems(
  templates: readonly OptimizationTemplate[],
  models: readonly string[],
): string[] {
  const out: string[] = [];
  const L = OPTIMIZATION_LIMITS;
  if (templates.length === 0) out.push('Nothing to optimize: give at least one prompt with test cases.');
  if (templates.length > L.templates)
    out.push(`A job takes at most ${L.templates} prompt templates (${templates.length} given): start several jobs.`);
  for (const t of templates)
    if (t.samples > L.samples)
      out.push(
        `${t.promptFile} has ${t.samples} samples; a template takes at most ${L.samples}: keep the most telling cases.`,
      );
  if (models.length === 0) out.push('Choose at least one target model.');
  if (models.length > L.models) out.push(`A job optimizes for at most ${L.models} models (${models.length} given).`);
  if (new Set(models).size !== models.length) out.push('A target model is named twice.');
  const ids = templates.map((t) => t.templateId);
  const twice = ids.find((id, i) => ids.indexOf(id) !== i);
  if (twice) out.push(`Two prompts have the template id ${twice}: rename one of the files.`);
  return out;
}

// ---- Results ----

export interface OptimizationMetrics {
  averageScore?: number;
  averageInputTokens?: number;
  averageOutputTokens?: number;
  averageTtftInSec?: number;
}

export interface OptimizationSample {
  inputVariables: Record<string, string>;
  referenceResponse?: string;
  original: { response?: string; score?: number; inputTokens?: number; outputTokens?: number; ttftInSec?: number };
  optimized: { response?: string; score?: number; inputTokens?: number; outputTokens?: number; ttftInSec?: number };
}

export interface OptimizationModelResult {
  modelId: string;
  status: string;
  optimizedTemplate?: string;
  original: OptimizationMetrics;
  optimized: OptimizationMetrics;
  samples: OptimizationSample[];
}

export interface OptimizationResult {
  templateId: string;
  results: OptimizationModelResult[];
}

const obj = (v: unknown): Record<string, unknown> =>
  v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
const num = (o: Record<string, unknown>, k: string) =>
  Object.hasOwn(o, k) && typeof o[k] === 'number' && Number.isFinite(o[k]) ? (o[k] as number) : undefined;
const str = (o: Record<string, unknown>, k: string) =>
  Object.hasOwn(o, k) && typeof o[k] === 'string' ? (o[k] as string) : undefined;
const arr = (o: Record<string, unknown>, k: string) =>
  Object.hasOwn(o, k) && Array.isArray(o[k]) ? (o[k] as unknown[]) : [];

function metrics(v: unknown): OptimizationMetrics {
  const o = obj(v);
  return {
    averageScore: num(o, 'averageScore'),
    averageInputTokens: num(o, 'averageInputTokens'),
    averageOutputTokens: num(o, 'averageOutputTokens'),
    averageTtftInSec: num(o, 'averageTtftInSec'),
  };
}

function details(v: unknown, side: 'original' | 'optimized'): OptimizationSample['original'] {
  const o = obj(v);
  const m = obj(o[`${side}PromptMetrics`]);
  return {
    response: str(o, `${side}PromptModelResponse`),
    score: num(m, 'score'),
    inputTokens: num(m, 'inputTokens'),
    outputTokens: num(m, 'outputTokens'),
    ttftInSec: num(m, 'ttftInSec'),
  };
}

/** The results file, read as data; a line that is not JSON is named in `problems`, the rest still read. */
export function readOptimizationResults(text: string): { results: OptimizationResult[]; problems: string[] } {
  const results: OptimizationResult[] = [];
  const problems: string[] = [];
  for (const [i, line] of text.split('\n').entries()) {
    if (!line.trim()) continue;
    let parsed: unknown;
    try {
      parsed = JSON.parse(line);
    } catch {
      problems.push(`line ${i + 1} of the results is not JSON`);
      continue;
    }
    const o = obj(parsed);
    const templateId = str(o, 'promptTemplateId') ?? str(o, 'templateId');
    if (!templateId) {
      problems.push(`line ${i + 1} of the results names no promptTemplateId`);
      continue;
    }
    results.push({
      templateId,
      results: arr(o, 'promptOptimizationResults').map((r) => {
        const m = obj(r);
        return {
          modelId: str(m, 'modelId') ?? '(unknown model)',
          status: str(m, 'status') ?? 'UNKNOWN',
          optimizedTemplate: str(m, 'optimizedPromptTemplate'),
          original: metrics(m.originalPromptMetrics),
          optimized: metrics(m.optimizedPromptMetrics),
          samples: arr(m, 'dataset').map((d) => {
            const s = obj(d);
            const vars: Record<string, string> = {};
            for (const v of arr(s, 'inputVariables'))
              for (const [k, value] of Object.entries(obj(v))) if (typeof value === 'string') vars[k] = value;
            return {
              inputVariables: vars,
              referenceResponse: str(s, 'referenceResponse'),
              original: details(s.originalPromptDetails, 'original'),
              optimized: details(s.optimizedPromptDetails, 'optimized'),
            };
          }),
        };
      }),
    });
  }
  return { results, problems };
}

/** A short name for a model in a file name: `amazon.nova-pro-v1:0` → `nova-pro`. */
export function modelSlug(modelId: string): string {
  const base = modelId.split('/').pop() ?? modelId;
  return (
    base
      .replace(/^(us|eu|apac|global|us-gov|jp|au|ca)\./, '')
      .replace(/^[a-z0-9-]+\./, '')
      .replace(/-\d{8}.*$/, '')
      .replace(/-v\d+(?::\d+)?(?::\w+)?$/, '')
      .replace(/[^A-Za-z0-9-]/g, '-') || 'model'
  );
}

/** `reply-drafter.prompt` optimized for a model: `reply-drafter.nova-pro.prompt`. */
export function variantFileName(promptFile: string, modelId: string): string {
  return promptFile.replace(/\.prompt$/, `.${modelSlug(modelId)}.prompt`);
}
