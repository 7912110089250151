// Loads the dataset engine (csv-parse and the builders) on first use; the bundler keeps
// './datasetEngine' a runtime require of dist/datasetEngine.js.
type Engine = typeof import('./datasetEngine');

let engine: Engine | undefined;

export function datasetEngine(): Engine {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  engine ??= require('./datasetEngine') as Engine;
  return engine;
}
