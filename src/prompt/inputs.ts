// Whether an input (a test case, a batch row) gives the template every value it needs. Pure and light
// (a type-only import of the analysis), so the main bundle can use it without loading the engine.
import { BedrockError } from '../bedrock/errors';
import type { PromptAnalysis } from './analyze';

/** The prompt's first error as "line N: message", if it has one (a prompt with errors is never sent). */
export function firstError(analysis: PromptAnalysis): string | undefined {
  const error = analysis.problems.find((p) => p.severity === 'error');
  return error && `line ${error.range.start.line + 1}: ${error.message}`;
}

/** Throws the "fix the prompt first" error that runs, compares and batch runs share. */
export function requireNoErrors(analysis: PromptAnalysis): void {
  const error = firstError(analysis);
  if (error) throw new BedrockError('PromptInvalid', `Fix the prompt first: ${error}`, ['showLog']);
}

/**
 * The inputs that `input` (given values, a test case, a batch row) leaves without a value although the
 * prompt needs them (`analysis.requiredInputs`: the one rule). Optional inputs are simply absent.
 */
export function missingVariables(analysis: PromptAnalysis, input: Record<string, unknown>): string[] {
  return analysis.requiredInputs.filter((n) => !Object.hasOwn(input, n) || input[n] === undefined);
}

/** Every input name the prompt knows (declared, or read by the template), declared ones first. */
export function inputNames(analysis: PromptAnalysis): string[] {
  return [...new Set([...analysis.declaredInputs.keys(), ...analysis.variables.map((v) => v.name)])];
}

/**
 * Why a prompt cannot be run with this input: its first error, or variables without a value. Said so
 * that the fix is clear; undefined when it can run.
 */
export function inputProblem(analysis: PromptAnalysis, input: Record<string, unknown>): string | undefined {
  const error = firstError(analysis);
  if (error) return `fix the prompt first: ${error}`;
  const missing = missingVariables(analysis, input);
  if (missing.length === 0) return undefined;
  const names = missing.map((n) => `{{${n}}}`).join(', ');
  return `no value for ${names}, and the prompt has no default: give ${missing.length > 1 ? 'them' : 'it'} in the input (keys given: ${Object.keys(input).join(', ') || 'none'}).`;
}
