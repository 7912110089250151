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

/** The status bar's click: switch the profile or the region, or sign in or out with a Bedrock API key. */
export async function configureAws(session: AwsSession): Promise<string | undefined> {
  const signedIn = session.credentials.kind === 'api-key' && session.credentials.from === 'signed-in';
  const pick = await vscode.window.showQuickPick(
    [
      { label: '$(account) Switch AWS profile', description: `now ${session.profile}`, id: 'profile' },
      {
        label: '$(globe) Switch region',
        description: `now ${session.region ?? "the profile's region"}`,
        id: 'region',
      },
      signedIn
        ? {
            label: '$(key) Sign out of the Bedrock API key',
            description: 'use the profile for Bedrock too',
            id: 'signOut',
          }
        : { label: '$(key) Sign in with a Bedrock API key…', description: 'for Bedrock calls', id: 'signIn' },
      {
        label: '$(project) Choose project…',
        description: `now ${session.settings.project ?? 'the default project'}`,
        id: 'project',
      },
    ],
    { title: 'Bedrock: AWS profile and region' },
  );
  if (!pick) return undefined;
  if (pick.id === 'signIn') return (await signInWithApiKey(session)) ? 'api-key' : undefined;
  if (pick.id === 'signOut') return (await signOutOfApiKey(session), 'profile');
  if (pick.id === 'project') return chooseProject(session);
  return pick.id === 'profile' ? selectProfile(session) : selectRegion(session);
}

/**
 * "Bedrock: Sign in with a Bedrock API Key": the key is kept in VS Code's SecretStorage and sent to
 * Bedrock and Bedrock Runtime only; S3 (datasets, batch jobs) keeps using the profile's credentials.
 * Resolves to whether a key was stored.
 */
export async function signInWithApiKey(session: AwsSession): Promise<boolean> {
  const key = await vscode.window.showInputBox({
    title: 'Sign in with a Bedrock API Key',
    prompt:
      "Paste a key from the Amazon Bedrock console (API keys). It is kept in VS Code's secret storage, never in settings, files or logs.",
    password: true,
    ignoreFocusOut: true,
    validateInput: (v) =>
      /\s/.test(v.trim()) || v.trim().length < 20
        ? 'That is not a Bedrock API key: paste the whole key the console showed (it starts with ABSK, or bedrock-api-key- for a short-term key).'
        : undefined,
  });
  if (!key) return false;
  await session.signInWithApiKey(key);
  void vscode.window.showInformationMessage(
    `Signed in with a Bedrock API key: Bedrock calls use it. Uploads to S3 (datasets, batch jobs) still use profile "${session.profile}".`,
  );
  return true;
}

export async function signOutOfApiKey(session: AwsSession): Promise<void> {
  await session.signOutOfApiKey();
  void vscode.window.showInformationMessage(
    `Signed out of the Bedrock API key: Bedrock calls use profile "${session.profile}" again.`,
  );
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

/**
 * "Bedrock: Choose Project…": the account's active projects (ListProjects) and the default one; the pick
 * is this workspace's `bedrockPromptLab.project`, which Converse calls send as `projectIdentifier`.
 */
export async function chooseProject(session: AwsSession): Promise<string | undefined> {
  const current = session.settings.project;
  const projects = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Window, title: 'Listing Bedrock projects…' },
    () => session.clients().control.listProjects(),
  );
  const items: (vscode.QuickPickItem & { value: string })[] = [
    { label: '$(home) Default project', description: "the account's default", value: '' },
    ...projects
      .filter((p) => p.id !== 'default')
      .map((p) => ({
        label: p.name ?? p.id ?? '',
        description: p.id,
        detail: `data retention: ${p.dataRetention?.mode ?? 'inherit'}${p.id === current || p.arn === current ? ' · current' : ''}`,
        value: p.id ?? '',
      })),
  ];
  const pick = await vscode.window.showQuickPick(items, {
    title: 'Bedrock project for this workspace',
    placeHolder: `Current: ${current ?? 'the default project'} · a prompt's bedrock.project wins`,
  });
  if (!pick) return undefined;
  await config.updateProject(pick.value || undefined);
  return pick.value;
}
