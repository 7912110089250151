import vscode = require('vscode');
import { BedrockError } from '../../core/shared/bedrockError';

/** Refuses what would send workspace data to AWS from a workspace the user has not trusted. */
export function requireTrust(what: string): void {
  if (!vscode.workspace.isTrusted)
    throw new BedrockError(
      'Untrusted',
      `${what} is not allowed in an untrusted workspace: it sends workspace data to AWS. Trust the workspace first (Manage Workspace Trust).`,
    );
}
