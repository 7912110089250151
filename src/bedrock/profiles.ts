// Profiles and regions as the AWS CLI sees them, read from the shared config and credentials files.
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export interface ProfileInfo {
  name: string;
  region?: string;
  /** 'sso', 'credential_process', 'role', 'static' or 'config' */
  kind: string;
  source: 'config' | 'credentials' | 'both';
}

/** Section names and their keys from an AWS ini file; `[profile x]` in config, `[x]` in credentials. */
export function parseIni(text: string): Map<string, Record<string, string>> {
  const sections = new Map<string, Record<string, string>>();
  let current: Record<string, string> | undefined;
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.replace(/^\s+|\s+$/g, '');
    if (!line || line.startsWith('#') || line.startsWith(';')) continue;
    const header = /^\[([^\]]+)\]$/.exec(line);
    if (header) {
      current = {};
      sections.set(header[1].trim(), current);
      continue;
    }
    const kv = /^([^=]+?)\s*=\s*(.*)$/.exec(line);
    if (kv && current && !/^\s/.test(raw)) current[kv[1].trim()] = kv[2].trim();
  }
  return sections;
}

function kindOf(keys: Record<string, string>): string {
  if (keys.sso_session || keys.sso_start_url) return 'sso';
  if (keys.credential_process) return 'credential_process';
  if (keys.role_arn) return 'role';
  if (keys.aws_access_key_id) return 'static';
  return 'config';
}

export function profilesFrom(configText: string, credentialsText: string): ProfileInfo[] {
  const out = new Map<string, ProfileInfo>();
  for (const [section, keys] of parseIni(configText)) {
    const name = section === 'default' ? 'default' : /^profile\s+(.+)$/.exec(section)?.[1]?.trim();
    if (!name) continue; // sso-session and services sections
    out.set(name, { name, region: keys.region, kind: kindOf(keys), source: 'config' });
  }
  for (const [name, keys] of parseIni(credentialsText)) {
    const existing = out.get(name);
    if (existing) out.set(name, { ...existing, source: 'both', kind: existing.kind === 'config' ? kindOf(keys) : existing.kind });
    else out.set(name, { name, region: keys.region, kind: kindOf(keys), source: 'credentials' });
  }
  return [...out.values()].sort((a, b) => (a.name === 'default' ? -1 : b.name === 'default' ? 1 : a.name.localeCompare(b.name)));
}

export async function readProfiles(env: NodeJS.ProcessEnv = process.env): Promise<ProfileInfo[]> {
  const home = os.homedir();
  const configFile = env.AWS_CONFIG_FILE ?? path.join(home, '.aws', 'config');
  const credentialsFile = env.AWS_SHARED_CREDENTIALS_FILE ?? path.join(home, '.aws', 'credentials');
  const read = (f: string) => fs.readFile(f, 'utf8').catch(() => '');
  const [configText, credentialsText] = await Promise.all([read(configFile), read(credentialsFile)]);
  return profilesFrom(configText, credentialsText);
}

/** Regions where Amazon Bedrock is offered (runtime), for the region picker. */
export const BEDROCK_REGIONS = [
  'us-east-1', 'us-east-2', 'us-west-2', 'us-gov-west-1', 'ca-central-1', 'sa-east-1',
  'eu-central-1', 'eu-central-2', 'eu-west-1', 'eu-west-2', 'eu-west-3', 'eu-north-1', 'eu-south-1', 'eu-south-2',
  'ap-northeast-1', 'ap-northeast-2', 'ap-northeast-3', 'ap-south-1', 'ap-south-2', 'ap-southeast-1', 'ap-southeast-2',
];
