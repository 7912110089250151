import vscode = require('vscode');
import { BEDROCK_REGIONS, readProfiles } from '../../core/bedrock/profiles';
import type { AwsSession } from '../host/awsSession';
import { config } from '../host/config';

/** Lists the profiles from the user's AWS config files and sets the one picked. */
export async function selectProfile(session: AwsSession): Promise<string | undefined> {
  const profiles = await readProfiles();
  const current = session.profile;
  const items: (vscode.QuickPickItem & { value?: string })[] = [
    { label: '$(refresh) Use the AWS default', description: 'AWS_PROFILE or "default"', value: '' },
    ...profiles.map((p) => ({
      label: p.name,
      description: [p.kind, p.region].filter(Boolean).join(' · '),
      detail: p.name === current ? 'current' : undefined,
      value: p.name,
    })),
  ];
  const pick = await vscode.window.showQuickPick(items, {
    title: 'AWS profile for Bedrock',
    placeHolder:
      profiles.length === 0
        ? 'No profiles in ~/.aws/config or ~/.aws/credentials; run `aws configure` to add one'
        : `Current: ${current}`,
  });
  if (!pick || pick.value === undefined) return undefined;
  await config.update('profile', pick.value || undefined);
  return pick.value;
}

/** The status bar's click: switch the profile or the region. */
export async function configureAws(session: AwsSession): Promise<string | undefined> {
  const pick = await vscode.window.showQuickPick(
    [
      { label: '$(account) Switch AWS profile', description: `now ${session.profile}`, id: 'profile' },
      {
        label: '$(globe) Switch region',
        description: `now ${session.region ?? "the profile's region"}`,
        id: 'region',
      },
    ],
    { title: 'Bedrock: AWS profile and region' },
  );
  if (!pick) return undefined;
  return pick.id === 'profile' ? selectProfile(session) : selectRegion(session);
}

export async function selectRegion(session: AwsSession): Promise<string | undefined> {
  const current = session.region ?? '';
  const items = [
    { label: '$(refresh) Use the AWS default', description: "AWS_REGION or the profile's region", value: '' },
    ...BEDROCK_REGIONS.map((r) => ({ label: r, description: r === current ? 'current' : undefined, value: r })),
  ];
  const pick = await vscode.window.showQuickPick(items, {
    title: 'AWS region for Bedrock',
    placeHolder: current ? `Current: ${current}` : 'Pick a region',
  });
  if (!pick) return undefined;
  await config.update('region', pick.value || undefined);
  return pick.value;
}
