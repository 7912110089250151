// What selects an AWS session: the user's profile, region and endpoint override (and a Bedrock API key
// signed in with). Empty values mean "use the AWS defaults" (AWS_PROFILE, AWS_REGION, the shared config
// files, AWS_ENDPOINT_URL*, AWS_BEARER_TOKEN_BEDROCK).
import { createHash } from 'node:crypto';

export interface AwsSettings {
  profile?: string;
  region?: string;
  endpoint?: string;
  /** How long a ConverseStream call waits for the stream to start (connection and first byte), in ms. */
  firstByteTimeoutMs?: number;
  /** How long a Converse call waits for its whole answer, in ms. */
  converseTimeoutMs?: number;
  /**
   * A Bedrock API key (the editor's, from SecretStorage): sent as a bearer token to Bedrock and Bedrock
   * Runtime only. Never logged or written; AWS_BEARER_TOKEN_BEDROCK is read by the SDK itself.
   */
  apiKey?: string;
  /** The Bedrock project Converse calls belong to (`projectIdentifier`) when the prompt names none. */
  project?: string;
}

/** The name of the error S3 gives when only a Bedrock API key is there to sign with (errors.ts words it). */
export const API_KEY_NOT_FOR_S3 = 'ApiKeyNotForS3';

/** The variable the AWS SDK reads a Bedrock API key from. */
export const API_KEY_ENV = 'AWS_BEARER_TOKEN_BEDROCK';

/** What authenticates Bedrock calls: a Bedrock API key (given, or in the environment), or the profile's credentials. */
export function credentialSource(
  s: AwsSettings,
  env: NodeJS.ProcessEnv = process.env,
): { kind: 'api-key'; from: 'signed-in' | 'environment' } | { kind: 'profile'; profile: string } {
  if (normalizeSettings(s).apiKey) return { kind: 'api-key', from: 'signed-in' };
  if (env[API_KEY_ENV]?.trim()) return { kind: 'api-key', from: 'environment' };
  return { kind: 'profile', profile: effectiveProfile(s, env) };
}

export function normalizeSettings(s: AwsSettings): AwsSettings {
  const clean = (v: string | undefined) => (v && v.trim().length > 0 ? v.trim() : undefined);
  const ms = (v: number | undefined) => (typeof v === 'number' && Number.isFinite(v) && v > 0 ? v : undefined);
  const out: AwsSettings = { profile: clean(s.profile), region: clean(s.region), endpoint: clean(s.endpoint) };
  if (ms(s.firstByteTimeoutMs)) out.firstByteTimeoutMs = ms(s.firstByteTimeoutMs);
  if (ms(s.converseTimeoutMs)) out.converseTimeoutMs = ms(s.converseTimeoutMs);
  if (clean(s.apiKey)) out.apiKey = clean(s.apiKey);
  if (clean(s.project)) out.project = clean(s.project);
  return out;
}

/** Two settings with the same key share clients; any change rebuilds them. */
export function sessionKey(s: AwsSettings): string {
  const n = normalizeSettings(s);
  return JSON.stringify([
    n.profile ?? '',
    n.region ?? '',
    n.endpoint ?? '',
    n.firstByteTimeoutMs ?? 0,
    n.converseTimeoutMs ?? 0,
    // Which key, not the key: the session key is a plain string that could end up in a message.
    n.apiKey ? createHash('sha256').update(n.apiKey).digest('hex').slice(0, 16) : '',
    n.project ?? '',
  ]);
}

/** The profile the SDK will use: the setting, else AWS_PROFILE, else "default". */
export function effectiveProfile(s: AwsSettings, env: NodeJS.ProcessEnv = process.env): string {
  return normalizeSettings(s).profile ?? env.AWS_PROFILE ?? 'default';
}

/**
 * The Region requests go to, as the SDK decides it (the one rule: every view, message and lookup reads it
 * through here). `resolved` is what the SDK's own chain answered (the setting, AWS_REGION, then the
 * profile's \`region\` in the shared config file); before it has answered, the setting and AWS_REGION are
 * all that is known without reading the files. The JavaScript SDK does not read AWS_DEFAULT_REGION.
 */
export function knownRegion(
  s: AwsSettings,
  resolved?: string,
  env: NodeJS.ProcessEnv = process.env,
): string | undefined {
  return normalizeSettings(s).region ?? (env.AWS_REGION || undefined) ?? resolved;
}
