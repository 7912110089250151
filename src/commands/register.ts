import type * as vscode from 'vscode';
import type { AwsSession } from '../host/awsSession';
import type { CatalogueService } from '../host/catalogueService';
import { registerCommand } from '../host/commands';
import type { OutputLogger } from '../host/logger';
import { selectProfile, selectRegion } from './awsSelection';
import { Commands } from './ids';
import { newPrompt } from './newPrompt';

export interface CoreDeps {
  session: AwsSession;
  catalogue: CatalogueService;
  logger: OutputLogger;
}

/** The commands about the AWS session and the catalogue. */
export function awsSelectionCommands({ session, catalogue, logger }: CoreDeps): vscode.Disposable[] {
  return [
    registerCommand(Commands.selectProfile, () => selectProfile(session), logger),
    registerCommand(Commands.selectRegion, () => selectRegion(session), logger),
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
