import vscode = require('vscode');
import type { BedrockClients, ClientFactory } from '../../core/bedrock/clients';
import { loadClientFactory } from '../../core/bedrock/loadAwsSdk';
import {
  effectiveProfile,
  knownRegion,
  normalizeSettings,
  sessionKey,
  type AwsSettings,
} from '../../core/bedrock/settings';
import type { Logger } from '../../core/shared/logger';
import { config } from './config';

/**
 * The current AWS session: profile + region + endpoint. Clients are created on first use (which is
 * when the SDK is loaded) and reused until one of those settings changes; then they are disposed and
 * listeners hear about it.
 */
export class AwsSession implements vscode.Disposable {
  private clientsCache?: { key: string; clients: BedrockClients };
  /** The Region the SDK's chain resolved for the current clients (the profile's, when nothing else sets one). */
  private resolvedRegion?: string;
  private factory?: ClientFactory;
  private readonly changed = new vscode.EventEmitter<AwsSettings>();
  readonly onDidChange = this.changed.event;
  private readonly regionResolved = new vscode.EventEmitter<string>();
  /** The SDK resolved the Region of the current clients (nothing else changed: no refetch needed). */
  readonly onDidResolveRegion = this.regionResolved.event;
  private readonly subscription: vscode.Disposable;

  constructor(
    private readonly logger: Logger,
    private readonly userAgent: string,
    factory?: ClientFactory,
  ) {
    this.factory = factory;
    this.subscription = vscode.workspace.onDidChangeConfiguration((e) => {
      if (!config.affectsAws(e)) return;
      this.reset();
      this.changed.fire(this.settings);
    });
  }

  get settings(): AwsSettings {
    return normalizeSettings(config.aws());
  }

  get profile(): string {
    return effectiveProfile(this.settings);
  }

  /** The Region in use (knownRegion): undefined until the SDK has resolved a profile's own Region. */
  get region(): string | undefined {
    return knownRegion(this.settings, this.resolvedRegion);
  }

  clients(): BedrockClients {
    const settings = this.settings;
    const key = sessionKey(settings);
    if (this.clientsCache?.key === key) return this.clientsCache.clients;
    this.reset();
    this.factory ??= loadClientFactory(this.userAgent);
    this.logger.info(
      `AWS session: profile=${this.profile} region=${settings.region ?? '(default)'} endpoint=${settings.endpoint ?? '(default)'}`,
    );
    const clients = this.factory(settings);
    this.clientsCache = { key, clients };
    // What the SDK's chain picks (the profile's region when nothing else sets one): views show it once known.
    Promise.resolve()
      .then(() => clients.control.region())
      .then(
        (region) => {
          if (this.clientsCache?.clients !== clients || !region || region === this.resolvedRegion) return;
          this.resolvedRegion = region;
          this.regionResolved.fire(region);
        },
        (err: unknown) => this.logger.debug(`the SDK resolved no region: ${String(err)}`),
      );
    return clients;
  }

  private reset(): void {
    this.clientsCache?.clients.dispose();
    this.clientsCache = undefined;
    this.resolvedRegion = undefined;
  }

  dispose(): void {
    this.reset();
    this.subscription.dispose();
    this.changed.dispose();
    this.regionResolved.dispose();
  }
}
