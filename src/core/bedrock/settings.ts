// What selects an AWS session: the user's profile, region and endpoint override. Empty values mean
// "use the AWS defaults" (AWS_PROFILE, AWS_REGION, the shared config files, AWS_ENDPOINT_URL*).

export interface AwsSettings {
  profile?: string;
  region?: string;
  endpoint?: string;
  /** How long a ConverseStream call waits for the stream to start (connection and first byte), in ms. */
  firstByteTimeoutMs?: number;
  /** How long a Converse call waits for its whole answer, in ms. */
  converseTimeoutMs?: number;
}

export function normalizeSettings(s: AwsSettings): AwsSettings {
  const clean = (v: string | undefined) => (v && v.trim().length > 0 ? v.trim() : undefined);
  const ms = (v: number | undefined) => (typeof v === 'number' && Number.isFinite(v) && v > 0 ? v : undefined);
  const out: AwsSettings = { profile: clean(s.profile), region: clean(s.region), endpoint: clean(s.endpoint) };
  if (ms(s.firstByteTimeoutMs)) out.firstByteTimeoutMs = ms(s.firstByteTimeoutMs);
  if (ms(s.converseTimeoutMs)) out.converseTimeoutMs = ms(s.converseTimeoutMs);
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
