import vscode = require('vscode');
import { BedrockError, toBedrockError, type ErrorAction } from '../bedrock/errors';
import { Commands, type CommandId } from '../commands/ids';
import type { Logger } from '../shared/logger';

const ACTION_LABELS: Record<ErrorAction, string> = {
  openSettings: 'Open Settings',
  selectProfile: 'Choose Profile',
  selectRegion: 'Choose Region',
  retry: 'Retry',
  showLog: 'Show Log',
  openModelAccess: 'Open Model Access',
  useInferenceProfile: 'Use Inference Profile',
};

/** The last error messages shown to the user, newest last (the extension's API exposes them to tests). */
export const shownErrors: { code: string; message: string }[] = [];

/** Shows one error message with its actions and runs the action the user picks. */
export async function showError(error: BedrockError, logger: Logger, retry?: () => unknown): Promise<void> {
  shownErrors.push({ code: error.code, message: error.message });
  if (shownErrors.length > 20) shownErrors.shift();
  const actions = error.actions.filter((a) => a !== 'retry' || retry);
  const picked = await vscode.window.showErrorMessage(error.message, ...actions.map((a) => ACTION_LABELS[a]));
  const action = actions.find((a) => ACTION_LABELS[a] === picked);
  switch (action) {
    case 'retry':
      await retry?.();
      break;
    case 'openSettings':
      await vscode.commands.executeCommand('workbench.action.openSettings', 'bedrockPromptLab');
      break;
    case 'selectProfile':
      await vscode.commands.executeCommand(Commands.selectProfile);
      break;
    case 'selectRegion':
      await vscode.commands.executeCommand(Commands.selectRegion);
      break;
    case 'showLog':
      await vscode.commands.executeCommand(Commands.showLog);
      break;
    case 'openModelAccess':
      await vscode.env.openExternal(vscode.Uri.parse('https://console.aws.amazon.com/bedrock/home#/modelaccess'));
      break;
    default:
      logger.debug(`error dismissed: ${error.code}`);
  }
}

/**
 * Registers a command through the one wrapper: it logs the call, and turns any failure into one clear
 * message with actions (a cancellation is not an error). The handler's result is returned to callers
 * of executeCommand, so other commands and tests can build on it.
 */
export function registerCommand<A extends unknown[], R>(
  id: CommandId,
  handler: (...args: A) => Promise<R> | R,
  logger: Logger,
): vscode.Disposable {
  const wrapped = async (...args: A): Promise<R | undefined> => {
    logger.debug(`command ${id}`);
    try {
      return await handler(...args);
    } catch (err) {
      const error = toBedrockError(err, { operation: id });
      if (error.cancelled) return undefined;
      logger.error(`${id} failed: ${error.code}: ${error.message}`, error.cause);
      void showError(error, logger, () => vscode.commands.executeCommand(id, ...args));
      return undefined;
    }
  };
  return vscode.commands.registerCommand(id, wrapped);
}
