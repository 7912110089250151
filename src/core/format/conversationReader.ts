// The one READER of the conversation in a .prompt file (`conversation.ts` is the one writer). It reads
// the template as Handlebars does (its own parser), never by searching the text: an answer that quotes
// `{{role "model"}}` or `{{!-- bedrock: stopped` holds escaped text, which is text here too.
import Handlebars from './handlebars';
import { PARTIAL_ANSWER, REASONING_COMMENT_PREFIX, RUN_COMMENT_PREFIX, unescapeMarkers } from './conversation';
import { LineIndex, splitPrompt } from './document';

export type TurnRole = 'user' | 'model' | 'system';

export interface ReadTurn {
  /** `dynamic` when the role is not a literal (`{{role speaker}}`). The text before any role tag is a user turn. */
  role: TurnRole | 'dynamic';
  /** Offset in the file of the turn's role tag (of the template's start for the untagged first turn). */
  start: number;
  /** Literal text of the turn, as the renderer sends it (escapes undone; variables and helpers left out). */
  text: string;
  /** Whether the turn holds only what a run writes: text, comments and tool blocks (no variables, helpers, partials). */
  literalOnly: boolean;
  toolUses: { id: string; name: string; input: string }[];
  toolResults: { id: string; filled: boolean }[];
  /** Comments a run wrote (metrics, partial markers; reasoning not included), with their 1-based line. */
  runComments: { text: string; line: number }[];
  /** Whether the last thing in the turn, blanks aside, is a comment a run wrote (its metrics). */
  endsWithRunComment: boolean;
}

export interface Conversation {
  turns: ReadTurn[];
}

const cache: { text: string; conversation: Conversation | undefined }[] = [];

/** The turns of a prompt file; undefined when its template does not parse (the diagnostics say why). */
export function readConversation(fileText: string): Conversation | undefined {
  const hit = cache.find((c) => c.text === fileText);
  if (hit) return hit.conversation;
  const conversation = read(fileText);
  cache.unshift({ text: fileText, conversation });
  cache.length = Math.min(cache.length, 4);
  return conversation;
}

function read(fileText: string): Conversation | undefined {
  const source = splitPrompt(fileText);
  let program: hbs.AST.Program;
  try {
    program = Handlebars.parseWithoutProcessing(source.body);
  } catch {
    return undefined;
  }
  const lines = new LineIndex(source.body);
  const offsetOf = (loc: hbs.AST.SourceLocation) =>
    source.bodyStart + lines.offset({ line: loc.start.line - 1, character: loc.start.column });
  const fileLines = new LineIndex(fileText);
  const fileLine = (loc: hbs.AST.SourceLocation) => fileLines.position(offsetOf(loc)).line + 1;
  const turns: ReadTurn[] = [];
  let turn = newTurn('user', source.bodyStart);
  turns.push(turn);
  for (const node of program.body) {
    switch (node.type) {
      case 'ContentStatement': {
        const value = unescapeMarkers((node as hbs.AST.ContentStatement).value);
        turn.text += value;
        if (value.trim()) turn.endsWithRunComment = false;
        break;
      }
      case 'CommentStatement': {
        const text = (node as hbs.AST.CommentStatement).value.trim();
        if (text.startsWith(RUN_COMMENT_PREFIX)) {
          turn.runComments.push({ text, line: fileLine(node.loc) });
          turn.endsWithRunComment = true;
        } else if (text && !text.startsWith(REASONING_COMMENT_PREFIX)) turn.endsWithRunComment = false;
        break;
      }
      case 'MustacheStatement': {
        const m = node as hbs.AST.MustacheStatement;
        if (pathName(m.path) === 'role') {
          const arg = m.params[0];
          const role =
            m.params.length === 1 && arg.type === 'StringLiteral' ? (arg as hbs.AST.StringLiteral).value : undefined;
          turn = newTurn(role === 'user' || role === 'model' || role === 'system' ? role : 'dynamic', offsetOf(m.loc));
          turns.push(turn);
        } else turn.literalOnly = false;
        turn.endsWithRunComment = false;
        break;
      }
      case 'BlockStatement': {
        const b = node as hbs.AST.BlockStatement;
        const name = pathName(b.path);
        const hash = Object.fromEntries(
          (b.hash?.pairs ?? []).map((p) => [
            p.key,
            p.value.type === 'StringLiteral' ? (p.value as hbs.AST.StringLiteral).value : undefined,
          ]),
        );
        const inner = b.program.body;
        const literalBody = inner.every((s) => s.type === 'ContentStatement' || s.type === 'CommentStatement');
        const body = inner
          .filter((s) => s.type === 'ContentStatement')
          .map((s) => unescapeMarkers((s as hbs.AST.ContentStatement).value))
          .join('');
        if (name === 'toolUse' && literalBody)
          turn.toolUses.push({ id: hash.id ?? '', name: hash.name ?? '', input: body });
        else if (name === 'toolResult')
          turn.toolResults.push({ id: hash.id ?? '', filled: !literalBody || body.trim() !== '' });
        else turn.literalOnly = false;
        if (name !== 'toolResult' && !literalBody) turn.literalOnly = false;
        turn.endsWithRunComment = false;
        break;
      }
      default:
        turn.literalOnly = false;
        turn.endsWithRunComment = false;
    }
  }
  return { turns };
}

function newTurn(role: ReadTurn['role'], start: number): ReadTurn {
  return {
    role,
    start,
    text: '',
    literalOnly: true,
    toolUses: [],
    toolResults: [],
    runComments: [],
    endsWithRunComment: false,
  };
}

function pathName(path: hbs.AST.Expression): string | undefined {
  return path.type === 'PathExpression' ? (path as hbs.AST.PathExpression).original : undefined;
}

/**
 * Where the file ends with an answer a run appended and nothing since (its metrics comment, then the
 * empty next user turn, or tool results not filled in): the offset of that answer's `{{role "model"}}`.
 * Run again replaces the answer from there; undefined when the user has written on (Run then continues).
 */
export function appendedAnswerStart(fileText: string): number | undefined {
  const turns = readConversation(fileText)?.turns ?? [];
  const next = turns.at(-1);
  const answer = turns.at(-2);
  if (turns.length < 3 || !next || !answer) return undefined;
  const nextIsEmpty =
    next.role === 'user' &&
    next.literalOnly &&
    next.text.trim() === '' &&
    next.toolUses.length === 0 &&
    next.runComments.length === 0 &&
    next.toolResults.every((r) => !r.filled);
  const answerIsRuns = answer.role === 'model' && answer.literalOnly && answer.endsWithRunComment;
  return nextIsEmpty && answerIsRuns ? answer.start : undefined;
}

/**
 * The prompt a run, a comparison, a test or a batch sends: the file without an answer a run appended
 * and nothing was written after (that answer is what Run again replaces; it is not part of the prompt).
 */
export function promptTextForRun(fileText: string): string {
  const start = appendedAnswerStart(fileText);
  return start === undefined ? fileText : fileText.slice(0, start);
}

/** Whether the file's last user turn holds tool results (filled in or still to fill): Continue is not the next step then. */
export function waitsForToolResults(fileText: string): boolean {
  const lastUser = lastOf(readConversation(fileText)?.turns ?? [], 'user');
  return (lastUser?.toolResults.length ?? 0) > 0;
}

/** The 1-based line of the first partial (stopped or failed) answer's marker, if the file holds one. */
export function partialAnswerLine(fileText: string): number | undefined {
  for (const t of readConversation(fileText)?.turns ?? [])
    for (const c of t.runComments) if (PARTIAL_ANSWER.test(c.text)) return c.line;
  return undefined;
}

/** The text of the file's last model turn (its tool calls and comments left out). */
export function lastAnswerText(fileText: string): string {
  const last = lastOf(readConversation(fileText)?.turns ?? [], 'model');
  return last ? `${last.text.trim()}\n` : '';
}

function lastOf(turns: ReadTurn[], role: TurnRole): ReadTurn | undefined {
  for (let i = turns.length - 1; i >= 0; i--) if (turns[i].role === role) return turns[i];
  return undefined;
}
