// Where a prompt's test cases live: `<name>.tests.yaml` (or `.tests.yml`) beside `<name>.prompt`. The one
// mapping between the two, for the Test Explorer, New Prompt Tests, Run With Inputs From… and the engine.
// Pure and import-free, so the main bundle can use it.

const TESTS_FILE = /\.tests\.ya?ml$/;

export function isTestsFilePath(p: string): boolean {
  return TESTS_FILE.test(p);
}

export function promptPathFor(testsPath: string): string {
  return testsPath.replace(TESTS_FILE, '.prompt');
}

/** `<name>.tests.yaml`, or the `.tests.yml` beside the prompt when only that one exists. */
export function testsPathFor(promptPath: string, exists?: (p: string) => boolean): string {
  const yaml = promptPath.replace(/\.prompt$/, '.tests.yaml');
  const yml = promptPath.replace(/\.prompt$/, '.tests.yml');
  return exists && !exists(yaml) && exists(yml) ? yml : yaml;
}
