// The extension's side of the use cases' Host port (src/app/host.ts).
import vscode = require('vscode');
import type { Host } from '../../app/host';
import type { Logger } from '../../core/shared/logger';
import type { AwsSession } from './awsSession';
import { config } from './config';
import { costOf, estimateRunCost } from './pricing';

export function vsCodeHost(session: AwsSession, logger: Logger): Host {
  return {
    clients: () => session.clients(),
    costOf,
    estimateRun: estimateRunCost,
    displayPath: (fsPath) => vscode.workspace.asRelativePath(vscode.Uri.file(fsPath)),
    stallTimeoutMs: (resource) => config.stallTimeoutMs(resource ? vscode.Uri.parse(resource) : undefined),
    log: logger,
    profile: () => session.profile,
  };
}
