// Handlebars, with one repair to its lexer. Every long comment (`{{!-- … --}}`) makes the lexer put its
// opening back (`unput`) by prepending it to the whole remaining input and trimming the whole consumed
// text: two copies of the template per comment, so 20,000 comments (320 KB) took 22 s and a few hundred
// thousand exhausted the heap, on the extension host's thread. The repair takes both strings as slices of
// the original input (no copies); the rest of `unput` is the original's. One difference: the consumed
// text (`matched`, shown before a syntax error's caret) is cut by the whole token, where the original
// cuts one character. Everything that parses a template imports Handlebars from here.
import Handlebars from 'handlebars';

interface Location {
  first_line: number;
  last_line: number;
  first_column: number;
  last_column: number;
  range?: [number, number];
}
interface JisonLexer {
  _input: string;
  matched: string;
  match: string;
  yytext: string;
  yyleng: number;
  yylineno: number;
  offset: number;
  yylloc: Location;
  options: { ranges?: boolean };
  setInput(input: string, yy?: unknown): JisonLexer;
  unput(ch: string): JisonLexer;
  __source?: string;
}

const lexer = (Handlebars as unknown as { Parser: { lexer: JisonLexer } }).Parser.lexer;
const originalSetInput = lexer.setInput;
const originalUnput = lexer.unput;
lexer.setInput = function (this: JisonLexer, input: string, yy?: unknown) {
  this.__source = input;
  return originalSetInput.call(this, input, yy);
};
lexer.unput = function (this: JisonLexer, ch: string) {
  const source = this.__source;
  const pos = source === undefined ? -1 : source.length - this._input.length;
  const len = ch.length;
  if (source === undefined || pos < len || !source.startsWith(ch, pos - len)) return originalUnput.call(this, ch);
  const lines = ch.split(/(?:\r\n?|\n)/g);
  this._input = source.slice(pos - len);
  this.yytext = this.yytext.substr(0, this.yytext.length - len - 1);
  this.offset -= len;
  const oldLines = this.match.split(/(?:\r\n?|\n)/g);
  this.match = this.match.substr(0, this.match.length - 1);
  this.matched = source.slice(0, pos - len);
  if (lines.length - 1) this.yylineno -= lines.length - 1;
  const r = this.yylloc.range;
  this.yylloc = {
    first_line: this.yylloc.first_line,
    last_line: this.yylineno + 1,
    first_column: this.yylloc.first_column,
    last_column: lines
      ? (lines.length === oldLines.length ? this.yylloc.first_column : 0) +
        oldLines[oldLines.length - lines.length].length -
        lines[0].length
      : this.yylloc.first_column - len,
  };
  if (this.options.ranges && r) this.yylloc.range = [r[0], r[0] + this.yyleng - len];
  return this;
};

export default Handlebars;
