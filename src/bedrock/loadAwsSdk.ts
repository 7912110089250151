// Loads the AWS SDK bundle on first use, as the prompt and dataset engines are loaded. `require` is
// deliberate: the bundler keeps './awsSdk' external, so the SDK is read from disk only when the first
// client is needed. (In its own file, so that clients.ts, the interfaces, does not depend on awsSdk.ts.)
import type { ClientFactory } from './clients';

export function loadClientFactory(userAgent: string): ClientFactory {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const sdk = require('./awsSdk') as typeof import('./awsSdk');
  return (settings) => sdk.createClients(settings, userAgent);
}
