import vscode = require('vscode');
import { fetchCatalogue } from '../../core/bedrock/listCatalogue';
import { type Catalogue } from '../../core/models/catalogue';
import { BedrockError } from '../../core/shared/bedrockError';
import { toBedrockError } from '../../core/bedrock/errors';
import { sessionKey } from '../../core/bedrock/settings';
import type { Logger } from '../../core/shared/logger';
import type { AwsSession } from './awsSession';

export type CatalogueState =
  | { kind: 'empty' }
  | { kind: 'loading'; previous?: Catalogue }
  | { kind: 'ready'; catalogue: Catalogue; fromCache: boolean; refreshing: boolean }
  | { kind: 'failed'; error: BedrockError; previous?: Catalogue };

const CACHE_KEY = 'catalogueCache.v1';

/**
 * Owns the account's catalogue for the current session. The last catalogue per session is kept in
 * globalState so the explorer and the language features have it instantly on the next start, while a
 * refresh runs in the background. Concurrent refreshes share one request.
 */
export class CatalogueService implements vscode.Disposable {
  private stateValue: CatalogueState = { kind: 'empty' };
  private inFlight?: Promise<CatalogueState>;
  private readonly changed = new vscode.EventEmitter<CatalogueState>();
  readonly onDidChange = this.changed.event;
  private readonly subscription: vscode.Disposable;

  constructor(
    private readonly session: AwsSession,
    private readonly memento: vscode.Memento,
    private readonly logger: Logger,
  ) {
    this.subscription = session.onDidChange(() => {
      this.inFlight = undefined;
      this.set({ kind: 'empty' });
    });
  }

  get state(): CatalogueState {
    return this.stateValue;
  }

  /** The catalogue if one is known (fresh or cached), without touching the network. */
  get current(): Catalogue | undefined {
    const s = this.stateValue;
    return s.kind === 'ready' ? s.catalogue : s.kind === 'empty' ? undefined : s.previous;
  }

  /** Shows the cached catalogue at once (if any) and refreshes in the background. */
  ensureLoaded(): void {
    if (this.stateValue.kind !== 'empty') return;
    const cached = this.readCache();
    if (cached) this.set({ kind: 'ready', catalogue: cached, fromCache: true, refreshing: true });
    void this.refresh();
  }

  refresh(): Promise<CatalogueState> {
    if (this.inFlight) return this.inFlight;
    const previous = this.current;
    if (this.stateValue.kind === 'ready') this.set({ ...this.stateValue, refreshing: true });
    else this.set({ kind: 'loading', previous });
    const key = sessionKey(this.session.settings);
    const run = this.load(previous, key).then((state) => {
      // A settings change while loading makes this answer stale: drop it.
      if (sessionKey(this.session.settings) !== key) return this.stateValue;
      if (this.inFlight === run) this.inFlight = undefined;
      this.set(state);
      return state;
    });
    this.inFlight = run;
    return run;
  }

  /** `key` is the session the load started for: the cache entry must be that session's, even if the settings changed meanwhile. */
  private async load(previous: Catalogue | undefined, key: string): Promise<CatalogueState> {
    const started = Date.now();
    try {
      const catalogue = await fetchCatalogue(this.session.clients().control, { profile: this.session.profile });
      const fm = catalogue.foundationModels;
      this.logger.info(
        `Catalogue for ${catalogue.region}: ${fm.items.length} foundation models, ${catalogue.inferenceProfiles.items.length} profiles in ${Date.now() - started} ms`,
      );
      for (const s of [fm, catalogue.inferenceProfiles, catalogue.customModels, catalogue.provisionedThroughputs]) {
        if (s.error) this.logger.warn(`${s.error.code}: ${s.error.message}`, s.error.cause);
      }
      // Every call failing the same way (no credentials, no network) is one failure, not an empty tree.
      const sections = [fm, catalogue.inferenceProfiles, catalogue.customModels, catalogue.provisionedThroughputs];
      if (sections.every((s) => s.error)) return { kind: 'failed', error: fm.error!, previous };
      await this.writeCache(catalogue, key);
      return { kind: 'ready', catalogue, fromCache: false, refreshing: false };
    } catch (err) {
      const error = toBedrockError(err, {
        operation: 'list models',
        profile: this.session.profile,
        region: this.session.region,
      });
      this.logger.error(`${error.code}: ${error.message}`, error.cause);
      return { kind: 'failed', error, previous };
    }
  }

  private readCache(): Catalogue | undefined {
    const all = this.memento.get<Record<string, Catalogue>>(CACHE_KEY) ?? {};
    const cached = all[sessionKey(this.session.settings)];
    // A list cached by a version without prompt routers, guardrails, deployments or imported models.
    return (
      cached && {
        ...cached,
        promptRouters: cached.promptRouters ?? { items: [] },
        guardrails: cached.guardrails ?? { items: [] },
        deployments: cached.deployments ?? { items: [] },
        importedModels: cached.importedModels ?? { items: [] },
      }
    );
  }

  private async writeCache(catalogue: Catalogue, key: string): Promise<void> {
    const all = this.memento.get<Record<string, Catalogue>>(CACHE_KEY) ?? {};
    // Errors are not cached: a cached tree shows what was listed, and a refresh shows what fails now.
    const strip = <T>(s: { items: T[] }) => ({ items: s.items });
    all[key] = {
      ...catalogue,
      foundationModels: strip(catalogue.foundationModels),
      inferenceProfiles: strip(catalogue.inferenceProfiles),
      customModels: strip(catalogue.customModels),
      provisionedThroughputs: strip(catalogue.provisionedThroughputs),
      promptRouters: strip(catalogue.promptRouters),
      guardrails: strip(catalogue.guardrails),
      deployments: strip(catalogue.deployments),
      importedModels: strip(catalogue.importedModels),
    };
    await this.memento.update(CACHE_KEY, all);
  }

  private set(state: CatalogueState): void {
    this.stateValue = state;
    this.changed.fire(state);
  }

  dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
  }
}
