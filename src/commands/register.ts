import * as vscode from 'vscode';
import type { AwsSession } from '../host/awsSession';
import type { CatalogueService } from '../host/catalogueService';
import { registerCommand } from '../host/commands';
import type { OutputLogger } from '../host/logger';
import { configureAws, selectProfile, selectRegion } from './awsSelection';
import { Commands } from './ids';
import { newPrompt } from './newPrompt';
import { openRunHistory, runCommand, stopCommand } from './run';
import type { RunController } from '../run/runController';
import type { RunHistory } from '../run/history';

export interface CoreDeps {
  session: AwsSession;
  catalogue: CatalogueService;
  logger: OutputLogger;
}

/** Running prompts, stopping them, and the run history. */
export function runCommands(runs: RunController, history: RunHistory, logger: OutputLogger): vscode.Disposable[] {
  return [
    registerCommand(Commands.run, (arg?: Parameters<typeof runCommand>[1]) => runCommand(runs, arg), logger),
    registerCommand(Commands.stop, (uri?: vscode.Uri) => stopCommand(runs, uri), logger),
    registerCommand(Commands.openRunHistory, () => openRunHistory(history), logger),
  ];
}

/** The commands about the AWS session and the catalogue. */
export function awsSelectionCommands({ session, catalogue, logger }: CoreDeps): vscode.Disposable[] {
  return [
    registerCommand(Commands.selectProfile, () => selectProfile(session), logger),
    registerCommand(Commands.selectRegion, () => selectRegion(session), logger),
    registerCommand(Commands.configureAws, () => configureAws(session), logger),
    registerCommand(Commands.showLog, () => logger.show(), logger),
    registerCommand(Commands.newPrompt, (arg?: Parameters<typeof newPrompt>[1]) => newPrompt(catalogue, arg), logger),
    registerCommand(
      Commands.refreshModels,
      async () => {
        const state = await catalogue.refresh();
        if (state.kind === 'failed') throw state.error;
        return state.kind === 'ready' ? state.catalogue : undefined;
      },
      logger,
    ),
  ];
}
