import type { Retrieval } from '../../core/format/knowledgeBase';
import { createHash } from 'node:crypto';
import vscode = require('vscode');
import type { ConverseRequest } from '../../core/format/render';
import type { RunResult } from '../../app/runPrompt';
import { config } from './config';

/**
 * Every run is recorded as one JSON file. By default the records live in the extension's workspace
 * storage, out of the way of git; `bedrockPromptLab.history.location: workspace` keeps them in
 * `.bedrock/runs/` for teams that want them versioned.
 */
export class RunHistory implements vscode.Disposable {
  private readonly recorded = new vscode.EventEmitter<vscode.Uri>();
  /** A record was written (after its rename: a listener that reads the folder finds it). */
  readonly onDidRecord = this.recorded.event;

  constructor(private readonly context: vscode.ExtensionContext) {}

  dispose(): void {
    this.recorded.dispose();
  }

  folder(): vscode.Uri {
    const where = config.historyLocation();
    const ws = vscode.workspace.workspaceFolders?.[0]?.uri;
    if (where === 'workspace' && ws) return vscode.Uri.joinPath(ws, '.bedrock', 'runs');
    return vscode.Uri.joinPath(this.context.storageUri ?? this.context.globalStorageUri, 'runs');
  }

  async record(promptUri: vscode.Uri, request: ConverseRequest, result: RunResult): Promise<vscode.Uri> {
    const folder = this.folder();
    await vscode.workspace.fs.createDirectory(folder);
    const time = new Date();
    const name = `${time.toISOString().replace(/[:.]/g, '-')}-${
      promptUri.path
        .split('/')
        .pop()
        ?.replace(/\.prompt$/, '') ?? 'prompt'
    }.json`;
    const record = {
      time: time.toISOString(),
      prompt: vscode.workspace.asRelativePath(promptUri),
      modelId: result.modelId,
      status: result.status,
      request: JSON.parse(JSON.stringify(request, bytesReplacer)),
      response: {
        text: result.text,
        reasoning: result.reasoning,
        toolCalls: result.toolCalls,
        stopReason: result.stopReason,
        citations: result.citations,
        guardrail: result.guardrail,
      },
      retrieval: result.retrieval,
      agent: result.agent,
      routedTo: result.routedTo,
      serviceTier: result.serviceTier,
      usage: result.usage,
      metrics: result.metrics,
      costUsd: result.costUsd,
      costSource: result.costSource,
      error: result.error,
    };
    const target = vscode.Uri.joinPath(folder, name);
    const tmp = vscode.Uri.joinPath(folder, `.${name}.tmp`);
    // Written to a temporary name, then renamed: a record is never half-written.
    await vscode.workspace.fs.writeFile(tmp, Buffer.from(JSON.stringify(record, null, 2)));
    await vscode.workspace.fs.rename(tmp, target, { overwrite: true });
    this.recorded.fire(target);
    return target;
  }

  /** The runs of one prompt, newest first, read from their records. */
  async runsOf(promptUri: vscode.Uri): Promise<RunRecord[]> {
    const prompt = vscode.workspace.asRelativePath(promptUri);
    const base =
      promptUri.path
        .split('/')
        .pop()
        ?.replace(/\.prompt$/, '') ?? '';
    const records: RunRecord[] = [];
    for (const entry of await this.list()) {
      if (!entry.name.endsWith(`-${base}.json`)) continue;
      const record = await readRecord(entry.uri);
      if (record?.prompt === prompt) records.push(record);
    }
    return records;
  }

  async list(): Promise<{ uri: vscode.Uri; name: string }[]> {
    const folder = this.folder();
    try {
      // No runs yet: the folder does not exist (reading it would log an error in VS Code's own log).
      await vscode.workspace.fs.stat(folder);
      const entries = await vscode.workspace.fs.readDirectory(folder);
      return entries
        .filter(([n, t]) => t === vscode.FileType.File && n.endsWith('.json') && !n.startsWith('.'))
        .map(([n]) => ({ uri: vscode.Uri.joinPath(folder, n), name: n }))
        .sort((a, b) => b.name.localeCompare(a.name));
    } catch {
      return [];
    }
  }
}

/** Media bytes are recorded as their size and hash, not the bytes. */
function bytesReplacer(_key: string, value: unknown): unknown {
  if (
    value instanceof Uint8Array ||
    (value && typeof value === 'object' && (value as { type?: string }).type === 'Buffer')
  ) {
    const bytes = value instanceof Uint8Array ? value : Uint8Array.from((value as { data: number[] }).data);
    return { bytes: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex') };
  }
  return value;
}

/** One recorded run, as the Run History view shows it. */
export interface RunRecord {
  uri: vscode.Uri;
  time: string;
  prompt: string;
  modelId: string;
  status: string;
  text: string;
  latencyMs?: number;
  outputTokens?: number;
  costUsd?: number;
  error?: { code: string; message: string };
  /** What the run retrieved (`bedrock.knowledgeBase`), when it is whole. */
  retrieval?: Retrieval;
}

export async function readRecord(uri: vscode.Uri): Promise<RunRecord | undefined> {
  try {
    const r = JSON.parse(Buffer.from(await vscode.workspace.fs.readFile(uri)).toString('utf8')) as Record<string, any>;
    return {
      uri,
      time: String(r.time ?? ''),
      prompt: String(r.prompt ?? ''),
      modelId: String(r.modelId ?? ''),
      status: String(r.status ?? ''),
      text: typeof r.response?.text === 'string' ? r.response.text : '',
      latencyMs: typeof r.metrics?.latencyMs === 'number' ? r.metrics.latencyMs : undefined,
      outputTokens: typeof r.usage?.outputTokens === 'number' ? r.usage.outputTokens : undefined,
      costUsd: typeof r.costUsd === 'number' ? r.costUsd : undefined,
      error: r.error,
      // A record is a file in the workspace: its retrieval is taken only in the shape the lab writes.
      retrieval:
        typeof r.retrieval?.knowledgeBaseId === 'string' && Array.isArray(r.retrieval.passages)
          ? (r.retrieval as Retrieval)
          : undefined,
    };
  } catch {
    return undefined; // a record being written, or not ours
  }
}
