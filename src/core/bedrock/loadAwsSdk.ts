// Loads the AWS SDK bundle on first use, as the prompt and dataset engines are loaded. `require` is
// deliberate: the bundler keeps './awsSdk' external, so the SDK is read from disk only when the first
// client is needed. (In its own file, so that clients.ts, the interfaces, does not depend on awsSdk.ts.)
import type { ClientFactory } from './clients';
import type { ParsedIni } from './profiles';

function sdk(): typeof import('./awsSdk') {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require('./awsSdk') as typeof import('./awsSdk');
}

export function loadClientFactory(userAgent: string): ClientFactory {
  const loaded = sdk();
  return (settings) => loaded.createClients(settings, userAgent);
}

/** The shared config and credentials files, parsed by the SDK's loader. */
export function loadSharedIni(): Promise<{ configFile: ParsedIni; credentialsFile: ParsedIni }> {
  return sdk().readSharedIni();
}

/** The SDK's own reading of an error it threw: throttling (name, 429, retry trait), a server error (5xx), or neither. */
export function classifySdkError(err: unknown): 'throttling' | 'server' | undefined {
  return sdk().classifyError(err);
}
