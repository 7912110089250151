// Customization hyperparameters: defaults and the checks of given values, over the model registry's
// per-family table (src/core/models/registry.ts). Values go to Bedrock as strings.
import { hyperParametersFor } from '../models/registry';
import type { RftHyperParameters } from '../bedrock/clients';

export function defaultHyperParameters(modelId: string): Record<string, string> {
  return Object.fromEntries(hyperParametersFor(modelId).map((s) => [s.name, String(s.default)]));
}

/** Problems with the given values: unknown names, non-numbers, out of range. */
export function checkHyperParameters(modelId: string, values: Record<string, string>): string[] {
  const specs = hyperParametersFor(modelId);
  if (specs.length === 0) return [];
  const problems: string[] = [];
  for (const [name, raw] of Object.entries(values)) {
    const spec = specs.find((s) => s.name === name);
    if (!spec) {
      problems.push(`${name} is not a hyperparameter of ${modelId} (it takes ${specs.map((s) => s.name).join(', ')}).`);
      continue;
    }
    const v = Number(raw);
    if (raw.trim() === '' || Number.isNaN(v)) problems.push(`${name} must be a number; got "${raw}".`);
    else if (spec.integer && !Number.isInteger(v)) problems.push(`${name} must be a whole number; got ${raw}.`);
    else if (v < spec.min || v > spec.max)
      problems.push(`${name} must be between ${spec.min} and ${spec.max}; got ${raw}.`);
  }
  return problems;
}

const RFT_WHOLE_NUMBERS = [
  'epochCount',
  'batchSize',
  'maxPromptLength',
  'trainingSamplePerPrompt',
  'inferenceMaxTokens',
  'evalInterval',
] as const;
const RFT_EFFORTS = ['low', 'medium', 'high'] as const;

/**
 * Reinforcement fine-tuning's hyperparameters from `name=value` pairs (spaces or commas between them).
 * Only their kinds are checked here: the ranges are the service's (not published per model), so a value
 * out of range comes back as its ValidationException. Empty text means the service's defaults.
 */
export function parseRftHyperParameters(text: string): { values: RftHyperParameters; problems: string[] } {
  const values: RftHyperParameters = {};
  const problems: string[] = [];
  const names = [...RFT_WHOLE_NUMBERS, 'learningRate', 'reasoningEffort'];
  for (const pair of text.split(/[\s,]+/).filter(Boolean)) {
    const [name, raw = ''] = pair.split('=', 2);
    if (!names.includes(name)) {
      problems.push(`${name} is not a reinforcement fine-tuning hyperparameter (they are ${names.join(', ')}).`);
    } else if (name === 'reasoningEffort') {
      if ((RFT_EFFORTS as readonly string[]).includes(raw))
        values.reasoningEffort = raw as (typeof RFT_EFFORTS)[number];
      else problems.push(`reasoningEffort must be ${RFT_EFFORTS.join(', ')}; got "${raw}".`);
    } else if (name === 'learningRate') {
      const v = Number(raw);
      if (raw !== '' && v > 0 && v < 1) values.learningRate = v;
      else problems.push(`learningRate must be a number between 0 and 1; got "${raw}".`);
    } else {
      const v = Number(raw);
      if (raw !== '' && Number.isInteger(v) && v > 0) values[name as (typeof RFT_WHOLE_NUMBERS)[number]] = v;
      else problems.push(`${name} must be a whole number above 0; got "${raw}".`);
    }
  }
  return { values, problems };
}
