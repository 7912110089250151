// Runs inside the VS Code extension host: the integration tests of this folder.
import { runSuite } from '../support/runSuite';

/** `BPL_TEST_GREP=<text> npm run test:integration` runs only the tests whose title holds the text. */
export function run(): Promise<void> {
  return runSuite(__dirname, 'integration');
}
