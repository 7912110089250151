// Parsing a template with Handlebars, fast while the user types (the analysis needs the tags and their
// places, not Handlebars' whitespace control, so it parses without that pass), and errors in plain words at the place
// they are: an unclosed block at its opening tag, a stray or mismatched closing tag at itself.
import Handlebars from './handlebars';

// Templates are parsed in pieces that start at some `{{role …}}` lines, each piece cached by its text: a
// conversation in a .prompt grows turn by turn, and an edit then re-parses one turn, not the whole file.
// When a piece does not parse on its own (a block or comment spanning a role line, or a real syntax
// error) the whole template is parsed instead, so errors and their positions are exactly Handlebars'.
const pieceCache = new Map<string, hbs.AST.Program>();
let cachedChars = 0;
const MAX_CACHED_CHARS = 2_000_000;
const ROLE_LINE = /^\{\{~?\s*role\s/gm;

/** Forgets the parsed pieces (the benchmark measures cold parses with it). */
export function clearTemplateCache(): void {
  pieceCache.clear();
  cachedChars = 0;
}

function parsePiece(text: string): hbs.AST.Program {
  const hit = pieceCache.get(text);
  if (hit) {
    // Most recently used last.
    pieceCache.delete(text);
    pieceCache.set(text, hit);
    return hit;
  }
  // A flat copy: the AST's strings are slices of its input, and a slice of the whole document would
  // keep every past version of a long file alive in the cache.
  const own = Buffer.from(text, 'utf8').toString('utf8');
  const ast = Handlebars.parseWithoutProcessing(own);
  pieceCache.set(own, ast);
  cachedChars += own.length;
  for (const [key] of pieceCache) {
    if (cachedChars <= MAX_CACHED_CHARS) break;
    pieceCache.delete(key);
    cachedChars -= key.length;
  }
  return ast;
}

/** FNV-1a over the 80 characters from `at`. */
function pieceHash(text: string, at: number): number {
  let h = 0x811c9dc5;
  for (let i = at, end = Math.min(text.length, at + 80); i < end; i++)
    h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

/** The template as parsed pieces with the line each starts on, or undefined when a piece does not parse alone. */
export function parseInPieces(body: string): { ast: hbs.AST.Program; line: number }[] | undefined {
  // Not every role line starts a piece: one in 16 does, chosen by a hash of the text that follows it, so
  // pieces hold several turns (fewer, larger parses) and where they start does not move when text
  // elsewhere changes (an edit re-parses its own piece only).
  const starts = [0];
  for (const m of body.matchAll(ROLE_LINE))
    if (m.index > 0 && pieceHash(body, m.index) % 16 === 0) starts.push(m.index);
  const pieces: { ast: hbs.AST.Program; line: number }[] = [];
  let line = 0;
  for (let i = 0; i < starts.length; i++) {
    const text = body.slice(starts[i], starts[i + 1]);
    try {
      pieces.push({ ast: parsePiece(text), line });
    } catch {
      return undefined;
    }
    for (let k = text.indexOf('\n'); k >= 0; k = text.indexOf('\n', k + 1)) line++;
  }
  return pieces;
}

export interface TemplateSyntaxError {
  message: string;
  /** Offsets in the template body. */
  start: number;
  end: number;
}

/**
 * Why a template does not parse, said the way a person fixes it. Blocks are matched by a scan of the
 * mustaches (comments and `\{{` escapes skipped); when that finds nothing, Handlebars' own message is
 * made readable and placed where its parser stopped.
 */
export function templateSyntaxError(body: string, err: unknown): TemplateSyntaxError {
  const blocks = blockStructureError(body);
  if (blocks) return blocks;
  const e = err as {
    message?: string;
    hash?: { loc?: { first_line: number; first_column: number; last_line: number; last_column: number } };
  };
  const starts = [0];
  for (let i = 0; i < body.length; i++) if (body.charCodeAt(i) === 10) starts.push(i + 1);
  const offset = (line: number, col: number) =>
    Math.min(body.length, (starts[Math.max(0, Math.min(line - 1, starts.length - 1))] ?? 0) + col);
  const loc = e.hash?.loc;
  const lineMatch = /line (\d+)/.exec(e.message ?? '');
  const start = loc ? offset(loc.first_line, loc.first_column) : lineMatch ? offset(Number(lineMatch[1]), 0) : 0;
  const end = loc ? Math.max(start + 1, offset(loc.last_line, loc.last_column)) : start + 1;
  return { message: plainParserMessage(e.message ?? String(err), body.slice(start, end + 20)), start, end };
}

interface OpenBlock {
  name: string;
  tag: string;
  start: number;
  end: number;
}

function blockStructureError(body: string): TemplateSyntaxError | undefined {
  const stack: OpenBlock[] = [];
  let i = body.indexOf('{{');
  while (i >= 0) {
    // `\{{` is a literal (Handlebars' escape); `\\{{` is a backslash, then a real mustache.
    if (body[i - 1] === '\\' && body[i - 2] !== '\\') {
      i = body.indexOf('{{', i + 2);
      continue;
    }
    let close: number;
    if (body.startsWith('{{!--', i) || body.startsWith('{{~!--', i)) {
      close = body.indexOf('--', i + 5);
      close = close < 0 ? -1 : body.indexOf('}}', close);
    } else close = body.indexOf('}}', i + 2);
    if (close < 0)
      return {
        message: `\`${body.slice(i, i + 20).split('\n')[0]}\` is never closed: end it with \`}}\`.`,
        start: i,
        end: i + 2,
      };
    const end = close + 2;
    const inner = body
      .slice(i + 2, close)
      .replace(/^~?\{?\s*/, '')
      .replace(/\s*\}?~?$/, '');
    const tag = body.slice(i, end);
    const open = /^(#>|#\*|#|\^)\s*([^\s}~()]+)/.exec(inner);
    const shut = /^\/\s*([^\s}~]+)/.exec(inner);
    if (open && !inner.startsWith('!')) {
      stack.push({ name: open[2], tag: tag.length > 40 ? `${tag.slice(0, 37)}…}}` : tag, start: i, end });
    } else if (shut) {
      const name = shut[1];
      const top = stack.pop();
      if (!top)
        return {
          message: `\`${tag}\` closes a block that was never opened: remove it, or add \`{{#${name} …}}\` before it.`,
          start: i,
          end,
        };
      if (top.name !== name) {
        return {
          message: `\`${top.tag}\` is closed by \`${tag}\`: close it with \`{{/${top.name}}}\` first.`,
          start: i,
          end,
        };
      }
    }
    i = body.indexOf('{{', end);
  }
  const unclosed = stack.pop();
  if (unclosed)
    return {
      message: `\`${unclosed.tag}\` is never closed: add \`{{/${unclosed.name}}}\`.`,
      start: unclosed.start,
      end: unclosed.end,
    };
  return undefined;
}

/** Handlebars' "Expecting 'ID', got 'EOF'" as words. */
function plainParserMessage(message: string, near: string): string {
  const lines = message.split('\n');
  const expecting = lines.find((l) => l.startsWith('Expecting'));
  const got = /got '([A-Z_]+)'/.exec(expecting ?? '')?.[1];
  const snippet = near.split('\n')[0].trim();
  if (/^Lexical error/.test(message))
    return `\`${snippet.slice(0, 30)}\` cannot be read as a Handlebars tag: check its braces and quotes, or write \`\\{{\` for a literal \`{{\`.`;
  if (got === 'EOF') return 'The template ends in the middle of a `{{…}}` tag: finish it or remove it.';
  if (expecting)
    return `\`${snippet.slice(0, 30)}\` is not a valid Handlebars tag here: check the braces and the helper's arguments.`;
  const head = lines[0].replace(/^Parse error on line \d+:?/, '').trim();
  return head || message.split('\n')[0];
}

/** How deep blocks may nest: Handlebars' parser slows down sharply past a few hundred levels. */
export const MAX_BLOCK_DEPTH = 64;
/** How deep subexpressions may nest: `(json (json …))` doubles its output at each level. */
export const MAX_SUBEXPRESSION_DEPTH = 16;
/** How many tags a template may hold: Handlebars compiles each into code, 400,000 exhausted the heap and 50,000 took 4 s and 700 MB. */
export const MAX_TEMPLATE_TAGS = 10_000;

export interface TemplateBoundProblem {
  /** Offset in the template of the tag where a bound is passed. */
  start: number;
  message: string;
  code: 'template-depth' | 'template-tags';
}

/**
 * The first place where the template passes a bound (blocks or subexpressions nested too deep, too many
 * tags), found in one linear pass before Handlebars is asked to parse, compile or render it (each would
 * freeze the editor, or exhaust memory, on such input). Escaped tags (`\{{`) and comments are text.
 */
export function templateBounds(body: string): TemplateBoundProblem | undefined {
  let depth = 0;
  let tags = 0;
  for (let i = body.indexOf('{{'); i >= 0; i = body.indexOf('{{', i)) {
    // `\{{` is an escaped tag, `\\{{` a backslash and a tag (Handlebars looks at two characters only).
    if (i > 0 && body.charCodeAt(i - 1) === 92 && !(i > 1 && body.charCodeAt(i - 2) === 92)) {
      i += 2;
      continue;
    }
    const open = body.charCodeAt(i + 2) === 126 /* ~ */ ? i + 3 : i + 2;
    const c = body[open];
    if (c === '!') {
      const long = body.startsWith('--', open + 1);
      const endRe = long ? /--~?\}\}/g : /\}\}/g;
      endRe.lastIndex = open;
      const end = endRe.exec(body);
      if (!end) return undefined; // Handlebars reports the unclosed comment
      i = end.index + end[0].length;
      continue;
    }
    if (++tags > MAX_TEMPLATE_TAGS)
      return {
        start: i,
        code: 'template-tags',
        message: `The template holds more than ${MAX_TEMPLATE_TAGS.toLocaleString('en-US')} tags: move data into input values or files.`,
      };
    if (c === '#' || c === '^') {
      const isElse = c === '^' && /^\{\{~?\^\s*~?\}\}/.test(body.slice(i, i + 8));
      if (!isElse && ++depth > MAX_BLOCK_DEPTH)
        return {
          start: i,
          code: 'template-depth',
          message: `Blocks nest more than ${MAX_BLOCK_DEPTH} levels deep here: flatten the template (a helper or a partial can hold part of it).`,
        };
    } else if (c === '/') depth = Math.max(0, depth - 1);
    // The tag's own text: subexpressions nest in parentheses; string literals may hold any of these.
    let parens = 0;
    let quote = '';
    let j = open;
    for (; j < body.length; j++) {
      const ch = body[j];
      if (quote) {
        if (ch === quote) quote = '';
      } else if (ch === '"' || ch === "'") quote = ch;
      else if (ch === '(') {
        if (++parens > MAX_SUBEXPRESSION_DEPTH)
          return {
            start: i,
            code: 'template-depth',
            message: `Subexpressions nest more than ${MAX_SUBEXPRESSION_DEPTH} levels deep here: compute the value before the prompt, or split the expression.`,
          };
      } else if (ch === ')') parens = Math.max(0, parens - 1);
      else if (ch === '}' && body[j + 1] === '}') break;
    }
    i = j;
  }
  return undefined;
}

/** Frontmatter above this is not analyzed (YAML with tens of thousands of keys takes seconds). */
export const MAX_FRONTMATTER_CHARS = 64 * 1024;
/** Templates above this are not analyzed as you type (a run still checks them). */
export const MAX_TEMPLATE_CHARS = 8 * 1024 * 1024;
