import vscode = require('vscode');
import { Commands } from './commandIds';
import type { AwsSession } from './awsSession';

/** Shows what authenticates Bedrock calls (a Bedrock API key or the AWS profile) and the region; clicking switches the profile. */
export function createAwsStatusItem(session: AwsSession): vscode.Disposable & { item: vscode.StatusBarItem } {
  const item = vscode.window.createStatusBarItem('bedrockPromptLab.aws', vscode.StatusBarAlignment.Left, 50);
  item.name = 'Bedrock: AWS profile and region';
  item.command = Commands.configureAws;
  const update = () => {
    const s = session.settings;
    const region = session.region ?? "the profile's region";
    const credentials = session.credentials;
    const key = credentials.kind === 'api-key';
    const project = s.project ? ` · $(project) ${s.project}` : '';
    item.text = (key ? `$(key) API key · ${region}` : `$(cloud) ${session.profile} · ${region}`) + project;
    item.tooltip = new vscode.MarkdownString(
      (key
        ? `Bedrock calls use a **Bedrock API key** (${credentials.from === 'signed-in' ? 'signed in: Bedrock: Sign out of the Bedrock API Key to stop' : 'from `AWS_BEARER_TOKEN_BEDROCK`'}); S3 uploads (datasets, batch jobs) use profile **${session.profile}**, in **${region}**`
        : `Bedrock Prompt Lab uses profile **${session.profile}** in **${region}**`) +
        (s.endpoint
          ? ` through endpoint \`${s.endpoint}\``
          : process.env.AWS_ENDPOINT_URL
            ? ` through \`AWS_ENDPOINT_URL\``
            : '') +
        `.\n\n` +
        (s.project
          ? `Converse calls belong to project **${s.project}** (\`bedrockPromptLab.project\`; a prompt's \`bedrock.project\` wins).\n\n`
          : '') +
        `Click to switch the profile, the region or the project.`,
    );
    item.show();
  };
  update();
  const subscriptions = vscode.Disposable.from(item, session.onDidChange(update), session.onDidResolveRegion(update));
  return { item, dispose: () => subscriptions.dispose() };
}
