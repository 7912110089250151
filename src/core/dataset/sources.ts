// Workspace files → records: .prompt files with recorded model turns, paired input/output files,
// JSONL/JSON/CSV rows with chosen fields, and (for continued pre-training) text and Markdown chunked on
// paragraph boundaries. Files are read one at a time, so memory follows the largest file, not the set.
import { fileErrorMessage, stripBom } from '../io/readText';
import { isRowsFile, rowsOfText } from '../io/rows';
import { CUSTOMIZATION_KINDS, type Customization } from '../models/registry';
import type { RecordProblem, SourceRecord, Turn } from './records';
import { chunkText } from './records';
import { isPartialPath } from '../format/document';

export interface DatasetFile {
  /** Workspace-relative path, as reports show it. */
  path: string;
  read(): Promise<string>;
  /**
   * The file on disk, when `read` is readTextFile of it: the build then reads it on its scan thread
   * (see scanThread.ts) instead of calling `read`.
   */
  fsPath?: string;
}

export interface FieldMap {
  prompt?: string;
  completion?: string;
  system?: string;
  text?: string;
  image?: string;
  caption?: string;
}

export interface SourceOptions {
  customization: Customization;
  /** Renders a .prompt file to its system text and turns (the prompt engine, injected). */
  renderPrompt?: (text: string, path: string) => Promise<{ system?: string; turns: Turn[] }>;
  /** Why .prompt files are skipped when `renderPrompt` is not given (an untrusted workspace). */
  promptsSkipped?: string;
  /** Suffixes that pair files: `x.input.txt` + `x.output.txt` by default. */
  pairing?: { input: string; output: string };
  fields?: FieldMap;
  /** Chunk size for continued pre-training text. */
  maxChunkChars: number;
}

const PROMPT_FIELDS = ['prompt', 'input', 'question', 'instruction', 'query'];
const COMPLETION_FIELDS = ['completion', 'output', 'answer', 'response', 'target'];
const TEXT_FIELDS = ['text', 'input', 'content', 'body'];

export type SourceItem = SourceRecord | ({ problem: true } & RecordProblem) | { skipped: string; reason: string };

export async function* recordsFrom(files: DatasetFile[], opts: SourceOptions): AsyncGenerator<SourceItem> {
  const pairing = opts.pairing ?? { input: '.input.txt', output: '.output.txt' };
  const byPath = new Map(files.map((f) => [f.path, f]));
  const wanted = files.filter(
    (f) => !(f.path.endsWith(pairing.output) && byPath.has(f.path.slice(0, -pairing.output.length) + pairing.input)),
  ); // outputs are read with their inputs
  // Reads run a few files ahead of the processing: many small files are bound by I/O latency, and a
  // bounded window keeps memory bounded too.
  const AHEAD = 8;
  const pending = new Map<number, Promise<string>>();
  const prefetch = (i: number) => {
    if (i < wanted.length && !pending.has(i)) {
      const p = wanted[i].read();
      p.catch(() => undefined); // observed below; this only avoids an unhandled rejection while it waits
      pending.set(i, p);
    }
  };
  for (let index = 0; index < wanted.length; index++) {
    for (let k = index; k <= index + AHEAD; k++) prefetch(k);
    const file = wanted[index];
    const p = file.path;
    let text: string;
    try {
      text = await pending.get(index)!;
      pending.delete(index);
    } catch (err) {
      pending.delete(index);
      yield {
        problem: true,
        path: p,
        line: (err as { line?: number }).line ?? 1,
        message: `${p} ${fileErrorMessage(err)}`,
      };
      continue;
    }
    text = stripBom(text);
    if (text.slice(0, 8192).includes('\u0000')) {
      yield { skipped: p, reason: 'binary file' };
      continue;
    }
    if (p.endsWith(pairing.input)) {
      const partner = byPath.get(p.slice(0, -pairing.input.length) + pairing.output);
      if (!partner) {
        yield {
          problem: true,
          path: p,
          line: 1,
          message: `No matching ${pairing.output} file for this ${pairing.input} file.`,
        };
        continue;
      }
      let output: string;
      try {
        output = await partner.read();
      } catch (err) {
        yield {
          problem: true,
          path: partner.path,
          line: (err as { line?: number }).line ?? 1,
          message: `${partner.path} (the pair of ${p}) ${fileErrorMessage(err)}`,
        };
        continue;
      }
      yield {
        kind: 'conversation',
        path: p,
        line: 1,
        turns: [
          { role: 'user', text: text.trim() },
          { role: 'assistant', text: output.trim() },
        ],
      };
      continue;
    }
    const lower = p.toLowerCase();
    if (lower.endsWith('.prompt')) {
      if (isPartialPath(p)) {
        yield { skipped: p, reason: 'partial' };
        continue;
      }
      yield* fromPrompt(p, text, opts);
    } else if (isRowsFile(lower)) {
      try {
        for await (const row of rowsOfText(text, p))
          yield row.problem
            ? { problem: true, path: p, line: row.line, message: row.reason ?? row.problem }
            : fromRow(row.input, p, row.line, opts);
      } catch (err) {
        // The whole file is unreadable (a JSON syntax error, a bad CSV header or quoting).
        yield {
          problem: true,
          path: p,
          line: Number((err as { lines?: number }).lines ?? 1),
          message: (err as Error).message,
        };
      }
    } else if (opts.customization === 'CONTINUED_PRE_TRAINING' && /\.(txt|md|markdown|rst|text)$/.test(lower)) {
      for (const c of chunkText(text, opts.maxChunkChars)) yield { kind: 'text', path: p, line: c.line, text: c.text };
    } else {
      yield {
        skipped: p,
        reason:
          opts.customization === 'CONTINUED_PRE_TRAINING'
            ? 'not text, Markdown, JSONL, JSON or CSV'
            : 'not a .prompt, paired, JSONL, JSON or CSV file',
      };
    }
  }
}

async function* fromPrompt(path: string, text: string, opts: SourceOptions): AsyncGenerator<SourceItem> {
  if (!opts.renderPrompt) {
    yield { skipped: path, reason: opts.promptsSkipped ?? '.prompt files need the prompt engine' };
    return;
  }
  try {
    const { system, turns } = await opts.renderPrompt(text, path);
    if (CUSTOMIZATION_KINDS[opts.customization].answers === 'optional') {
      // Distillation: the prompt as it stands is what the teacher answers.
      yield { kind: 'conversation', path, line: 1, system, turns };
      return;
    }
    // A trailing user turn without an answer is the next message to come, not part of the example.
    while (turns.length > 0 && turns[turns.length - 1].role === 'user') turns.pop();
    if (!turns.some((t) => t.role === 'assistant')) {
      yield {
        problem: true,
        path,
        line: 1,
        message: 'No model turns: run the prompt (or write `{{role "model"}}` answers) so it holds an example.',
      };
      return;
    }
    yield { kind: 'conversation', path, line: 1, system, turns };
  } catch (err) {
    yield { problem: true, path, line: Number((err as { line?: number }).line ?? 1), message: (err as Error).message };
  }
}

function pick(row: Record<string, unknown>, explicit: string | undefined, candidates: string[]): string | undefined {
  const key = explicit ?? candidates.find((c) => typeof row[c] === 'string');
  const v = key ? row[key] : undefined;
  return typeof v === 'string' ? v : undefined;
}

function fromRow(row: unknown, path: string, line: number, opts: SourceOptions): SourceItem {
  if (!row || typeof row !== 'object' || Array.isArray(row))
    return { problem: true, path, line, message: 'Each row must be an object with named fields.' };
  const r = row as Record<string, unknown>;
  const f = opts.fields ?? {};
  if (Array.isArray(r.messages)) {
    const turns: Turn[] = [];
    let system =
      typeof r.system === 'string'
        ? r.system
        : Array.isArray(r.system)
          ? (r.system as { text?: string }[]).map((s) => s.text ?? '').join('\n')
          : undefined;
    for (const m of r.messages as { role?: string; content?: unknown }[]) {
      const text =
        typeof m.content === 'string'
          ? m.content
          : Array.isArray(m.content)
            ? (m.content as { text?: string }[]).map((c) => c.text ?? '').join('')
            : '';
      // OpenAI chat-completion records (reinforcement fine-tuning's format) carry the system turn inline.
      if (m.role === 'system' && turns.length === 0) system = system ? `${system}\n${text}` : text;
      else if (m.role === 'user' || m.role === 'assistant') turns.push({ role: m.role, text });
      else
        return {
          problem: true,
          path,
          line,
          message: `Unknown role "${String(m.role)}": use user or assistant (and system first).`,
        };
    }
    // A reinforcement fine-tuning record's reference answer is the answer to its last prompt.
    const reference = r.reference_answer;
    if (reference === undefined || reference === null) return { kind: 'conversation', path, line, system, turns };
    turns.push({ role: 'assistant', text: typeof reference === 'string' ? reference : JSON.stringify(reference) });
    return { kind: 'conversation', path, line, system, turns, reference };
  }
  const image = pick(r, f.image, ['image-ref', 'image_ref', 'image']);
  const caption = pick(r, f.caption, ['caption']);
  if (image !== undefined && caption !== undefined) return { kind: 'image', path, line, imageRef: image, caption };
  if (opts.customization === 'CONTINUED_PRE_TRAINING') {
    const text = pick(r, f.text, TEXT_FIELDS);
    if (text === undefined)
      return {
        problem: true,
        path,
        line,
        message: `No text field: name it with fields.text (found: ${Object.keys(r).join(', ')}).`,
      };
    return { kind: 'text', path, line, text };
  }
  const prompt = pick(r, f.prompt, PROMPT_FIELDS);
  const completion = pick(r, f.completion, COMPLETION_FIELDS);
  const answerOptional = CUSTOMIZATION_KINDS[opts.customization].answers === 'optional';
  if (prompt !== undefined && completion === undefined && answerOptional)
    return {
      kind: 'conversation',
      path,
      line,
      system: pick(r, f.system, ['system']),
      turns: [{ role: 'user', text: prompt }],
    };
  if (prompt === undefined || completion === undefined) {
    return {
      problem: true,
      path,
      line,
      message: `Needs a prompt and a completion field (e.g. "prompt" and "completion"; found: ${Object.keys(r).join(', ')}). Name them with fields.prompt / fields.completion.`,
    };
  }
  const system = pick(r, f.system, ['system']);
  return {
    kind: 'conversation',
    path,
    line,
    system,
    turns: [
      { role: 'user', text: prompt },
      { role: 'assistant', text: completion },
    ],
  };
}
