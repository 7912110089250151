// The CLI's side of the use cases' Host port (src/app/host.ts): clients from flags and the environment
// (the SDK's own chain: AWS_PROFILE, SSO, AWS_REGION, AWS_ENDPOINT_URL*), prices from the repo's table,
// and a log on stderr that only --verbose shows.
import type { Host } from '../app/host';
import type { BedrockClients } from '../core/bedrock/clients';
import { loadClientFactory } from '../core/bedrock/loadAwsSdk';
import { estimateCost } from '../core/bedrock/pricing';
import { PRICES } from '../core/bedrock/priceTable';
import { normalizeSettings, type AwsSettings } from '../core/bedrock/settings';
import { redact, type Logger } from '../core/shared/logger';

export interface NodeHostOptions extends AwsSettings {
  verbose?: boolean;
  stallTimeoutSeconds?: number;
  userAgent: string;
}

function stderrLogger(verbose: boolean): Logger {
  const line = (level: string, message: string | Error, args: unknown[]) => {
    const text = [message instanceof Error ? message.message : message, ...args.map(String)].join(' ');
    process.stderr.write(`[${level}] ${redact(text)}\n`);
  };
  const quiet = () => undefined;
  return {
    trace: verbose ? (m, ...a) => line('trace', m, a) : quiet,
    debug: verbose ? (m, ...a) => line('debug', m, a) : quiet,
    info: verbose ? (m, ...a) => line('info', m, a) : quiet,
    warn: (m, ...a) => line('warn', m, a),
    error: verbose ? (m, ...a) => line('error', m, a) : quiet,
  };
}

export function nodeHost(opts: NodeHostOptions): Host & { dispose(): void } {
  let clients: BedrockClients | undefined;
  const settings = normalizeSettings({ profile: opts.profile, region: opts.region, endpoint: opts.endpoint });
  return {
    clients: () => (clients ??= loadClientFactory(opts.userAgent)(settings)),
    costOf: (modelId, usage) => estimateCost(modelId, usage, PRICES),
    stallTimeoutMs: () => Math.max(1, opts.stallTimeoutSeconds ?? 60) * 1000,
    log: stderrLogger(opts.verbose === true),
    profile: () => settings.profile ?? process.env.AWS_PROFILE,
    dispose: () => clients?.dispose(),
  };
}
