import vscode = require('vscode');
import { Commands } from './commandIds';
import type { AwsSession } from './awsSession';

/** Shows the AWS profile and region in use; clicking switches the profile. */
export function createAwsStatusItem(session: AwsSession): vscode.Disposable {
  const item = vscode.window.createStatusBarItem('bedrockPromptLab.aws', vscode.StatusBarAlignment.Left, 50);
  item.name = 'Bedrock: AWS profile and region';
  item.command = Commands.configureAws;
  const update = () => {
    const s = session.settings;
    const region = session.region ?? "the profile's region";
    item.text = `$(cloud) ${session.profile} · ${region}`;
    item.tooltip = new vscode.MarkdownString(
      `Bedrock Prompt Lab uses profile **${session.profile}** in **${region}**` +
        (s.endpoint
          ? ` through endpoint \`${s.endpoint}\``
          : process.env.AWS_ENDPOINT_URL
            ? ` through \`AWS_ENDPOINT_URL\``
            : '') +
        `.\n\nClick to switch the profile or the region.`,
    );
    item.show();
  };
  update();
  return vscode.Disposable.from(item, session.onDidChange(update), session.onDidResolveRegion(update));
}
