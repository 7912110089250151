import vscode = require('vscode');
import type { BedrockClients, ClientFactory } from '../../core/bedrock/clients';
import { loadClientFactory } from '../../core/bedrock/loadAwsSdk';
import {
  credentialSource,
  effectiveProfile,
  knownRegion,
  normalizeSettings,
  sessionKey,
  type AwsSettings,
} from '../../core/bedrock/settings';
import type { Logger } from '../../core/shared/logger';
import { config } from './config';

/** Where the editor keeps a Bedrock API key: VS Code's SecretStorage (never settings, files or logs). */
export const API_KEY_SECRET = 'bedrockPromptLab.bedrockApiKey';

/**
 * The current AWS session: profile + region + endpoint, and a Bedrock API key when the user signed in
 * with one. Clients are created on first use (which is when the SDK is loaded) and reused until one of
 * those changes; then they are disposed and listeners hear about it.
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
  private apiKey?: string;
  private secrets?: vscode.SecretStorage;

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
    return normalizeSettings({ ...config.aws(), apiKey: this.apiKey });
  }

  /** What authenticates Bedrock calls now: a Bedrock API key (signed in, or AWS_BEARER_TOKEN_BEDROCK) or the profile. */
  get credentials(): ReturnType<typeof credentialSource> {
    return credentialSource(this.settings);
  }

  /** Reads the signed-in API key from SecretStorage, now and whenever it changes. */
  useSecrets(secrets: vscode.SecretStorage): vscode.Disposable {
    this.secrets = secrets;
    const load = async () => {
      const key = (await secrets.get(API_KEY_SECRET))?.trim() || undefined;
      if (key === this.apiKey) return;
      this.apiKey = key;
      this.reset();
      this.changed.fire(this.settings);
    };
    void load();
    return secrets.onDidChange((e) => e.key === API_KEY_SECRET && void load());
  }

  /** Keeps a Bedrock API key for Bedrock calls (SecretStorage); resolves once the session uses it. */
  async signInWithApiKey(key: string): Promise<void> {
    if (!this.secrets) throw new Error('No secret storage.');
    await this.secrets.store(API_KEY_SECRET, key.trim());
    this.apiKey = key.trim();
    this.reset();
    this.changed.fire(this.settings);
  }

  async signOutOfApiKey(): Promise<void> {
    await this.secrets?.delete(API_KEY_SECRET);
    this.apiKey = undefined;
    this.reset();
    this.changed.fire(this.settings);
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
    const credentials = this.credentials;
    this.logger.info(
      `AWS session: ${credentials.kind === 'api-key' ? `Bedrock API key (${credentials.from === 'signed-in' ? 'signed in' : 'AWS_BEARER_TOKEN_BEDROCK'}) for Bedrock, ` : ''}profile=${this.profile} region=${settings.region ?? '(default)'} endpoint=${settings.endpoint ?? '(default)'}`,
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
