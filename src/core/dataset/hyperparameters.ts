// Customization hyperparameters: defaults and the checks of given values, over the model registry's
// per-family table (src/core/models/registry.ts). Values go to Bedrock as strings.
import { hyperParametersFor } from '../models/registry';

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
