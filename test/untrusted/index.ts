// Runs inside a VS Code whose workspace is not trusted (restricted mode): nothing may reach AWS.
import { runSuite } from '../support/runSuite';

export function run(): Promise<void> {
  return runSuite(__dirname, 'untrusted-workspace');
}
