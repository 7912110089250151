import vscode = require('vscode');
import { BedrockError } from '../../core/shared/bedrockError';

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
