// What selects an AWS session: the user's profile, region and endpoint override. Empty values mean
// "use the AWS defaults" (AWS_PROFILE, AWS_REGION, the shared config files, AWS_ENDPOINT_URL*).

export interface AwsSettings {
  profile?: string;
  region?: string;
  endpoint?: string;
}

export function normalizeSettings(s: AwsSettings): AwsSettings {
  const clean = (v: string | undefined) => (v && v.trim().length > 0 ? v.trim() : undefined);
  return { profile: clean(s.profile), region: clean(s.region), endpoint: clean(s.endpoint) };
}

/** Two settings with the same key share clients; any change rebuilds them. */
export function sessionKey(s: AwsSettings): string {
  const n = normalizeSettings(s);
  return JSON.stringify([n.profile ?? '', n.region ?? '', n.endpoint ?? '']);
}

/** The profile the SDK will use: the setting, else AWS_PROFILE, else "default". */
export function effectiveProfile(s: AwsSettings, env: NodeJS.ProcessEnv = process.env): string {
  return normalizeSettings(s).profile ?? env.AWS_PROFILE ?? 'default';
}
