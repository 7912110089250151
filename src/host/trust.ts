import vscode = require('vscode');
import { BedrockError } from '../bedrock/errors';

/** Refuses what would send workspace data to AWS from a workspace the user has not trusted. */
export function requireTrust(what: string): void {
  if (!vscode.workspace.isTrusted) throw new BedrockError('Untrusted', `${what} is not allowed in an untrusted workspace: it sends workspace data to AWS. Trust the workspace first (Manage Workspace Trust).`);
}

/** An input box that turns Escape into a (silent) cancellation; a value given by the caller is used as is. */
export async function ask(value: string | undefined, options: vscode.InputBoxOptions): Promise<string> {
  if (value !== undefined) return value;
  const v = await vscode.window.showInputBox({ ignoreFocusOut: true, ...options });
  if (v === undefined) throw new BedrockError('Cancelled', 'Cancelled.');
  return v;
}

/** Input box options for a value the user completes (an `s3://` or ARN prefix): the cursor after it, nothing selected. */
export function completing(value: string, options: vscode.InputBoxOptions): vscode.InputBoxOptions {
  return { ...options, value, valueSelection: [value.length, value.length] };
}
