import vscode = require('vscode');
import { BedrockError, type ErrorAction } from '../../core/shared/bedrockError';
import { toBedrockError } from '../../core/bedrock/errors';
import { Commands, type CommandId } from './commandIds';
import type { Logger } from '../../core/shared/logger';

const ACTION_LABELS: Record<ErrorAction, string> = {
  openSettings: 'Open Settings',
  selectProfile: 'Choose Profile',
  selectRegion: 'Choose Region',
  retry: 'Retry',
  showLog: 'Show Log',
  openModelAccess: 'Open Model Catalog',
  useInferenceProfile: 'Use Inference Profile',
};

/** The last errors shown to the user, newest last (the extension's API exposes them to tests). */
export const shownErrors: { code: string; message: string; error: BedrockError }[] = [];

type ActionHandler = (error: BedrockError) => unknown;

/**
 * What each action button does: one table, filled here for the actions that need nothing else and at the
 * composition root for those that need the extension's services (switching a prompt to its inference
 * profile). An action without a handler is never offered, so no button does nothing.
 */
const actionHandlers = new Map<ErrorAction, ActionHandler>([
  ['openSettings', () => vscode.commands.executeCommand('workbench.action.openSettings', 'bedrockPromptLab')],
  ['selectProfile', () => vscode.commands.executeCommand(Commands.selectProfile)],
  ['selectRegion', () => vscode.commands.executeCommand(Commands.selectRegion)],
  ['showLog', () => vscode.commands.executeCommand(Commands.showLog)],
  [
    'openModelAccess',
    () => vscode.env.openExternal(vscode.Uri.parse('https://console.aws.amazon.com/bedrock/home#/model-catalog')),
  ],
]);

export function registerErrorAction(action: ErrorAction, handler: ActionHandler): vscode.Disposable {
  actionHandlers.set(action, handler);
  return new vscode.Disposable(() => actionHandlers.delete(action));
}

/** Runs an error's action as its button would. */
export async function runErrorAction(action: ErrorAction, error: BedrockError, retry?: () => unknown): Promise<void> {
  if (action === 'retry') await retry?.();
  else await actionHandlers.get(action)?.(error);
}

/** Shows one error message with its actions and runs the action the user picks. */
export async function showError(error: BedrockError, logger: Logger, retry?: () => unknown): Promise<void> {
  shownErrors.push({ code: error.code, message: error.message, error });
  if (shownErrors.length > 20) shownErrors.shift();
  const actions = error.actions.filter((a) => (a === 'retry' ? retry !== undefined : actionHandlers.has(a)));
  const picked = await vscode.window.showErrorMessage(error.message, ...actions.map((a) => ACTION_LABELS[a]));
  const action = actions.find((a) => ACTION_LABELS[a] === picked);
  if (action) await runErrorAction(action, error, retry);
  else logger.debug(`error dismissed: ${error.code}`);
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
