// The test result `prompt-lab test --reporter json` writes (docs/test-result.schema.json, version 1), read
// back: as a baseline (`--baseline`) and in the editor's Testing view ("Open Test Result"). The published
// schema is the one check, so what CI wrote and what is read agree.
import schema from '../../../docs/test-result.schema.json';
import { BedrockError } from '../shared/bedrockError';
import { validatorFor } from './assertions';

export type CaseState = 'passed' | 'failed' | 'errored' | 'skipped';

export interface ResultFailure {
  kind: string;
  /** From 1. */
  line: number;
  message: string;
  expected?: string;
  actual?: string;
}

export interface ResultCase {
  id: string;
  testsFile: string;
  promptFile: string;
  name: string;
  /** The case's line in its tests file, from 1. */
  line: number;
  state: CaseState;
  modelId?: string;
  messages: string[];
  failures: ResultFailure[];
  errorCode?: string;
  answer?: string;
  costUsd?: number;
  latencyMs?: number;
}

export interface TestResult {
  version: 1;
  tool: { name: 'prompt-lab'; version: string };
  summary: {
    total: number;
    passed: number;
    failed: number;
    errored: number;
    skipped: number;
    passRate: number;
    costUsd: number;
    durationMs: number;
  };
  cases: ResultCase[];
}

/** Parses and checks a result file's text; the error names the file and what is wrong with it. */
export function readTestResult(text: string, name: string): TestResult {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    throw new BedrockError(
      'PromptInvalid',
      `${name} is not JSON (${(err as Error).message}): give a result of \`prompt-lab test --reporter json\`.`,
    );
  }
  const validate = validatorFor(schema);
  if (!validate(parsed)) {
    const first = validate.errors?.[0];
    const where = first?.instancePath ? `${first.instancePath} ` : '';
    throw new BedrockError(
      'PromptInvalid',
      `${name} is not a prompt-lab test result (version 1): ${where}${first?.message ?? 'it does not match docs/test-result.schema.json'}. Give a result of \`prompt-lab test --reporter json\`.`,
    );
  }
  return parsed as TestResult;
}
