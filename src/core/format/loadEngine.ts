// Loads the prompt engine on first use. `require` is deliberate: the bundler keeps './promptEngine'
// external, so yaml, handlebars and dotprompt are read from disk only when a prompt is first analyzed.
type Engine = typeof import('./promptEngine');

let engine: Engine | undefined;

export function promptEngine(): Engine {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  engine ??= require('./promptEngine') as Engine;
  return engine;
}
