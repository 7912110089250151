// Records as read from the workspace, and their JSONL line in each Bedrock format, with the checks
// each format's rules make. Every problem names the source file and line.
import { estimateTokens } from './formats';
import { type DatasetFormat, type ModelRules } from '../models/registry';

export interface Turn {
  role: 'user' | 'assistant';
  text: string;
}

export interface SourceRef {
  path: string;
  line: number;
}

export type SourceRecord =
  | ({
      kind: 'conversation';
      system?: string;
      turns: Turn[];
      /** A reinforcement fine-tuning row's reference answer as written (an object stays an object). */
      reference?: unknown;
    } & SourceRef)
  | ({ kind: 'text'; text: string } & SourceRef)
  | ({ kind: 'image'; imageRef: string; caption: string } & SourceRef);

export interface RecordProblem extends SourceRef {
  message: string;
}

export interface FormattedRecord {
  line: string;
  tokens: number;
}

function problem(r: SourceRef, message: string): RecordProblem {
  return { path: r.path, line: r.line, message };
}

/** Checks a record against the model's rules and formats it, or says why it cannot be used. */
export function formatRecord(r: SourceRecord, rules: ModelRules): FormattedRecord | RecordProblem {
  const format: DatasetFormat = rules.format;
  if (format === 'cpt-input') {
    if (r.kind !== 'text')
      return problem(
        r,
        'Continued pre-training takes plain text; this is a labelled example. Use fine-tuning for examples.',
      );
    if (r.text.trim() === '') return problem(r, 'Empty text.');
    const tokens = estimateTokens(r.text);
    if (rules.maxTokensPerRecord && tokens > rules.maxTokensPerRecord)
      return problem(
        r,
        `About ${tokens} tokens; ${rules.family} takes at most ${rules.maxTokensPerRecord} per record.`,
      );
    return { line: JSON.stringify({ input: r.text }), tokens };
  }
  if (format === 'image-caption') {
    if (r.kind !== 'image')
      return problem(r, `${rules.family} is customized with images and captions ("image-ref" and "caption").`);
    if (!/^s3:\/\/[a-z0-9.-]{3,63}\/\S+\.(png|jpe?g)$/i.test(r.imageRef))
      return problem(r, `"${r.imageRef}" must be an s3:// URI of a PNG or JPEG image.`);
    const len = r.caption.length;
    if (rules.captionChars && (len < rules.captionChars.min || len > rules.captionChars.max))
      return problem(
        r,
        `The caption has ${len} characters; ${rules.family} takes ${rules.captionChars.min}–${rules.captionChars.max}.`,
      );
    return { line: JSON.stringify({ 'image-ref': r.imageRef, caption: r.caption }), tokens: estimateTokens(r.caption) };
  }
  if (r.kind !== 'conversation')
    return problem(
      r,
      `${rules.family} is fine-tuned with examples (a prompt and its answer); this is plain text. Use continued pre-training for plain text.`,
    );
  const turns = r.turns.filter((t) => t.text.trim() !== '');
  const answerOptional = format === 'distillation-prompts';
  if (turns.length < (answerOptional ? 1 : 2))
    return problem(
      r,
      answerOptional ? 'A prompt needs a user turn.' : 'An example needs a user turn and the answer to it.',
    );
  if (turns[0].role !== 'user') return problem(r, 'The conversation must start with a user turn.');
  if (!answerOptional && turns[turns.length - 1].role !== 'assistant')
    return problem(r, 'The conversation must end with the answer (a model turn).');
  if (rules.singleTurn && turns.length > 2)
    return problem(
      r,
      `${rules.family} takes one prompt (and at most its answer) per record; this conversation has ${turns.length} turns.`,
    );
  for (let i = 1; i < turns.length; i++)
    if (turns[i].role === turns[i - 1].role) return problem(r, 'User and model turns must alternate.');
  const all = [r.system ?? '', ...turns.map((t) => t.text)].join('\n');
  for (const f of rules.forbidden ?? []) {
    if (all.includes(f))
      return problem(
        r,
        `Contains "${f}", which ${rules.family} does not allow in training text (it reads it as a role marker). Rephrase it.`,
      );
  }
  const tokens = estimateTokens(all);
  if (rules.maxTokensPerRecord && tokens > rules.maxTokensPerRecord)
    return problem(r, `About ${tokens} tokens; ${rules.family} takes at most ${rules.maxTokensPerRecord} per example.`);
  if (format === 'prompt-completion') {
    if (turns.length > 2)
      return problem(
        r,
        `${rules.family} takes single-turn prompt/completion pairs; this conversation has ${turns.length} turns. Pick a conversational model (Claude 3 Haiku, Nova, Llama 3.2+) for multi-turn data.`,
      );
    const prompt = r.system ? `${r.system}\n\n${turns[0].text}` : turns[0].text;
    const completion = turns[1].text;
    if (rules.maxInputTokens && estimateTokens(prompt) > rules.maxInputTokens)
      return problem(
        r,
        `The prompt is about ${estimateTokens(prompt)} tokens; ${rules.family} takes at most ${rules.maxInputTokens}.`,
      );
    if (rules.maxOutputTokens && estimateTokens(completion) > rules.maxOutputTokens)
      return problem(
        r,
        `The completion is about ${estimateTokens(completion)} tokens; ${rules.family} takes at most ${rules.maxOutputTokens}.`,
      );
    return { line: JSON.stringify({ prompt, completion }), tokens };
  }
  if (format === 'claude-messages') {
    const out: Record<string, unknown> = {};
    if (r.system) out.system = r.system;
    out.messages = turns.map((t) => ({ role: t.role, content: t.text }));
    return { line: JSON.stringify(out), tokens };
  }
  if (format === 'rft-chat') {
    // The last model turn is the reference the grader scores against; the turns before it are the prompt.
    const messages = [
      ...(r.system ? [{ role: 'system', content: r.system }] : []),
      ...turns.slice(0, -1).map((t) => ({ role: t.role, content: t.text })),
    ];
    return {
      line: JSON.stringify({ messages, reference_answer: r.reference ?? turns[turns.length - 1].text }),
      tokens,
    };
  }
  const out: Record<string, unknown> = { schemaVersion: 'bedrock-conversation-2024' };
  if (r.system) out.system = [{ text: r.system }];
  out.messages = turns.map((t) => ({ role: t.role, content: [{ text: t.text }] }));
  return { line: JSON.stringify(out), tokens };
}

/**
 * Splits text into chunks of at most `maxChars` on paragraph boundaries (then sentences, then hard).
 * Paragraphs are joined with one blank line. A chunk whose paragraphs already stand in the text that way
 * is a slice of it: continued pre-training reads hundreds of megabytes through here.
 */
export function chunkText(text: string, maxChars: number): { text: string; line: number }[] {
  const chunks: { text: string; line: number }[] = [];
  let pieces: string[] = [];
  let length = 0; // of the pieces joined
  // The chunk's span in `text` while its pieces are consecutive there, joined by exactly "\n\n"; else -1.
  let from = -1;
  let to = -1;
  let currentLine = 1;
  let line = 1;
  const flush = () => {
    const joined = from >= 0 ? text.slice(from, to) : pieces.join('\n\n');
    const trimmed = joined.trim();
    if (trimmed) chunks.push({ text: trimmed, line: currentLine });
    pieces = [];
    length = 0;
  };
  const add = (piece: string, at: number, paraLine: number) => {
    if (pieces.length > 0 && length + 2 + piece.length > maxChars) flush();
    if (pieces.length === 0) {
      currentLine = paraLine;
      from = at;
      to = at < 0 ? -1 : at + piece.length;
    } else if (from >= 0 && at === to + 2 && text.charCodeAt(to) === 10 && text.charCodeAt(to + 1) === 10) {
      to = at + piece.length;
    } else from = -1;
    length += (pieces.length > 0 ? 2 : 0) + piece.length;
    pieces.push(piece);
  };
  const separator = /\n[ \t]*\n/g;
  let at = 0;
  for (;;) {
    const m = separator.exec(text);
    const end = m ? m.index : text.length;
    const para = text.slice(at, end);
    const paraLine = line;
    for (let i = para.indexOf('\n'); i >= 0; i = para.indexOf('\n', i + 1)) line++;
    if (para.trim()) {
      if (para.length <= maxChars) add(para, at, paraLine);
      else for (const piece of splitLong(para, maxChars)) add(piece, -1, paraLine);
    }
    if (!m) break;
    line += 2;
    at = m.index + m[0].length;
  }
  if (pieces.length > 0) flush();
  return chunks;
}

function splitLong(para: string, maxChars: number): string[] {
  const out: string[] = [];
  let cur = '';
  for (const sentence of para.match(/[^.!?\n]+[.!?]*\s*|\n/g) ?? [para]) {
    if (cur.length + sentence.length > maxChars && cur) {
      out.push(cur.trim());
      cur = '';
    }
    if (sentence.length > maxChars) {
      for (let i = 0; i < sentence.length; i += maxChars) out.push(sentence.slice(i, i + maxChars).trim());
    } else cur += sentence;
  }
  if (cur.trim()) out.push(cur.trim());
  return out.filter(Boolean);
}

/** A rendered prompt (Converse request shape) as an example: system text and the text of each turn. */
export function conversationFromRequest(request: {
  system?: { text?: string }[];
  messages?: { role?: string; content?: { text?: string }[] }[];
}): { system?: string; turns: Turn[] } {
  const system =
    (request.system ?? [])
      .map((s) => s.text ?? '')
      .filter(Boolean)
      .join('\n') || undefined;
  const turns: Turn[] = (request.messages ?? []).map((m) => ({
    role: m.role === 'assistant' ? 'assistant' : 'user',
    text: (m.content ?? []).map((c) => c.text ?? '').join(''),
  }));
  return { system, turns };
}
