// Profiles and regions as the AWS CLI sees them. The shared config and credentials files are read by the
// SDK's own loader (`loadSharedConfigFiles`, in the SDK bundle), so the picker lists exactly the profiles
// the credential chain will find: `[profile x]` in config, `[x]` in credentials, AWS_CONFIG_FILE and
// AWS_SHARED_CREDENTIALS_FILE honoured, comments and sub-sections parsed the SDK's way.
import { loadSharedIni } from './loadAwsSdk';

/** A parsed ini file as the SDK returns it: profile name → keys (sso-session sections are `sso-session.name`). */
export type ParsedIni = Record<string, Record<string, string | undefined>>;

export interface ProfileInfo {
  name: string;
  region?: string;
  /** 'sso', 'credential_process', 'role', 'static' or 'config' */
  kind: string;
  source: 'config' | 'credentials' | 'both';
}

function kindOf(keys: Record<string, string | undefined>): string {
  if (keys.sso_session || keys.sso_start_url) return 'sso';
  if (keys.credential_process) return 'credential_process';
  if (keys.role_arn) return 'role';
  if (keys.aws_access_key_id) return 'static';
  return 'config';
}

export function profilesFrom(configFile: ParsedIni, credentialsFile: ParsedIni): ProfileInfo[] {
  const out = new Map<string, ProfileInfo>();
  // The SDK keeps sso-session and services sections under a dotted name: they are not profiles.
  const profiles = (file: ParsedIni) => Object.entries(file).filter(([name]) => !name.includes('.'));
  for (const [name, keys] of profiles(configFile))
    out.set(name, { name, region: keys.region, kind: kindOf(keys), source: 'config' });
  for (const [name, keys] of profiles(credentialsFile)) {
    const existing = out.get(name);
    if (existing)
      out.set(name, { ...existing, source: 'both', kind: existing.kind === 'config' ? kindOf(keys) : existing.kind });
    else out.set(name, { name, region: keys.region, kind: kindOf(keys), source: 'credentials' });
  }
  return [...out.values()].sort((a, b) =>
    a.name === 'default' ? -1 : b.name === 'default' ? 1 : a.name.localeCompare(b.name),
  );
}

/** The profiles of the user's AWS files (read fresh each time: the user may just have run `aws configure`). */
export async function readProfiles(): Promise<ProfileInfo[]> {
  const { configFile, credentialsFile } = await loadSharedIni();
  return profilesFrom(configFile, credentialsFile);
}

/** Regions where Amazon Bedrock is offered (runtime), for the region picker. */
export const BEDROCK_REGIONS = [
  'us-east-1',
  'us-east-2',
  'us-west-2',
  'us-gov-west-1',
  'ca-central-1',
  'sa-east-1',
  'eu-central-1',
  'eu-central-2',
  'eu-west-1',
  'eu-west-2',
  'eu-west-3',
  'eu-north-1',
  'eu-south-1',
  'eu-south-2',
  'ap-northeast-1',
  'ap-northeast-2',
  'ap-northeast-3',
  'ap-south-1',
  'ap-south-2',
  'ap-southeast-1',
  'ap-southeast-2',
];
