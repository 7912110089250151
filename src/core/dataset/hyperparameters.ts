// Hyperparameters per model family: names, ranges and defaults (Titan from the AWS user guide's
// hyperparameter tables, the others as the console shows them). Values go to Bedrock as strings.

export interface HyperParameterSpec {
  name: string;
  min: number;
  max: number;
  default: number;
  integer: boolean;
}

const TABLE: [RegExp, HyperParameterSpec[]][] = [
  [
    /^amazon\.titan-text-premier/,
    [
      hp('epochCount', 1, 5, 2),
      hp('batchSize', 1, 1, 1),
      hp('learningRate', 1e-7, 1e-5, 1e-6, false),
      hp('learningRateWarmupSteps', 0, 20, 5),
    ],
  ],
  [
    /^amazon\.titan-text-(express|lite)/,
    [
      hp('epochCount', 1, 10, 5),
      hp('batchSize', 1, 64, 1),
      hp('learningRate', 0, 1, 1e-5, false),
      hp('learningRateWarmupSteps', 0, 250, 5),
    ],
  ],
  [
    /^anthropic\.claude-3-haiku/,
    [
      hp('epochCount', 1, 10, 2),
      hp('batchSize', 4, 256, 32),
      hp('learningRateMultiplier', 0.1, 2, 1, false),
      hp('earlyStoppingThreshold', 0, 0.1, 0.001, false),
      hp('earlyStoppingPatience', 1, 10, 2),
    ],
  ],
  [
    /^cohere\.command/,
    [
      hp('epochCount', 1, 100, 1),
      hp('batchSize', 8, 8, 8),
      hp('learningRate', 5e-6, 0.1, 1e-5, false),
      hp('evalPercentage', 5, 50, 20),
    ],
  ],
  [/^meta\.llama/, [hp('epochCount', 1, 10, 5), hp('batchSize', 1, 1, 1), hp('learningRate', 5e-6, 0.1, 1e-4, false)]],
  [
    /^amazon\.nova/,
    [hp('epochCount', 1, 5, 2), hp('learningRate', 1e-6, 1e-4, 1e-5, false), hp('learningRateWarmupSteps', 0, 100, 10)],
  ],
  [
    /^amazon\.titan-(image|embed-image)/,
    [hp('epochCount', 1, 100, 10), hp('batchSize', 8, 192, 8), hp('learningRate', 1e-7, 1, 1e-5, false)],
  ],
];

function hp(name: string, min: number, max: number, def: number, integer = true): HyperParameterSpec {
  return { name, min, max, default: def, integer };
}

export function hyperParametersFor(modelId: string): HyperParameterSpec[] {
  return TABLE.find(([re]) => re.test(modelId))?.[1] ?? [];
}

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
