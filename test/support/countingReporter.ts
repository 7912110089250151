// Mocha's spec reporter plus the closing line CI reads: `N passed, N failed` on a line of its own.
import Mocha from 'mocha';

class CountingReporter extends Mocha.reporters.Spec {
  constructor(runner: Mocha.Runner, options?: Mocha.MochaOptions) {
    super(runner, options);
    runner.once(Mocha.Runner.constants.EVENT_RUN_END, () => {
      const { passes = 0, failures = 0, pending = 0 } = runner.stats ?? {};
      // Printed after the spec summary; pending tests are counted so none can hide.
      console.log(`(on Node ${process.version})`);
      console.log(`${passes} passed, ${failures} failed${pending ? `, ${pending} skipped` : ''}`);
    });
  }
}

export = CountingReporter;
