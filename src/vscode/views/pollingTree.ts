import vscode = require('vscode');
import { toBedrockError } from '../../core/bedrock/errors';
import type { AwsSession } from '../host/awsSession';
import type { Logger } from '../../core/shared/logger';

/**
 * A flat tree of jobs listed from the account: one list call at a time, the list cleared when the AWS
 * session changes, polled every few seconds while a job runs, and a hook when a job stops running.
 */
export abstract class PollingJobsTree<T> implements vscode.TreeDataProvider<T>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<T | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private items: T[] | undefined;
  private timer?: NodeJS.Timeout;
  private loading?: Promise<T[]>;
  readonly view: vscode.TreeView<T>;
  private readonly sub: vscode.Disposable;

  constructor(
    viewId: string,
    protected readonly session: AwsSession,
    protected readonly logger: Logger,
    /** What the list is, for messages: "customization jobs". */
    private readonly what: string,
    private readonly pollMs: number,
  ) {
    this.sub = session.onDidChange(() => {
      this.items = undefined;
      this.changed.fire(undefined);
    });
    this.view = vscode.window.createTreeView(viewId, { treeDataProvider: this });
  }

  protected abstract list(): Promise<T[]>;
  protected abstract keyOf(item: T): string;
  protected abstract isRunning(item: T): boolean;
  /** A job that was running when last listed is not any more. */
  protected abstract finished(item: T): void;
  abstract getTreeItem(item: T): vscode.TreeItem;

  get current(): T[] {
    return this.items ?? [];
  }

  /** Lists the jobs again; resolves to the new list (empty on failure, with the reason in the view). */
  refresh(): Promise<T[]> {
    this.loading ??= this.list()
      .then(
        (items) => {
          const wasRunning = new Set((this.items ?? []).filter((i) => this.isRunning(i)).map((i) => this.keyOf(i)));
          this.items = items;
          for (const i of items) if (wasRunning.has(this.keyOf(i)) && !this.isRunning(i)) this.finished(i);
          this.view.message = undefined;
          return items;
        },
        (err: unknown) => {
          const e = toBedrockError(err, { operation: `list ${this.what}`, profile: this.session.profile });
          this.logger.warn(`${e.code}: ${e.message}`);
          this.view.message = e.message;
          this.items = [];
          return [];
        },
      )
      .finally(() => {
        this.loading = undefined;
        this.changed.fire(undefined);
        clearTimeout(this.timer);
        if (this.current.some((i) => this.isRunning(i)))
          this.timer = setTimeout(() => void this.refresh(), this.pollMs);
      });
    return this.loading;
  }

  getChildren(node?: T): T[] {
    if (node) return [];
    if (this.items === undefined) {
      void this.refresh();
      return [];
    }
    return this.items;
  }

  dispose(): void {
    clearTimeout(this.timer);
    this.sub.dispose();
    this.view.dispose();
    this.changed.dispose();
  }
}
