// Property: what the one writer (conversation.ts) puts into a file, the one reader (conversationReader.ts)
// and the renderer give back as exactly the same turns, texts and tool calls, for random and adversarial
// text, however the answer was cut into stream chunks.
import assert from 'node:assert/strict';
import {
  escapeTemplateText,
  modelTurnPrefix,
  modelTurnSuffix,
  reasoningComment,
  TemplateTextEscaper,
  type ToolCallText,
  type TurnEnd,
} from '../../../../src/core/format/conversation';
import { readConversation } from '../../../../src/core/format/conversationReader';
import { renderPrompt, type PromptFiles } from '../../../../src/core/format/render';
import { rng } from '../../../support/rng';

const noReads: PromptFiles = {
  readBytes: async (p) => assert.fail(`a file was read: ${p}`),
  readPartial: async () => undefined,
};

/** Pieces of Handlebars and Dotprompt syntax, and what escapes them, that text might hold. */
const FRAGMENTS = [
  '{',
  '}',
  '{{',
  '}}',
  '{{{',
  '\\',
  '\\\\',
  '-',
  '--',
  '~',
  '!',
  '<',
  '<<',
  '<<<',
  '>>>',
  'dotprompt:',
  '<dotprompt:',
  'role:system',
  'media:url secrets.env text/plain',
  '\u200b',
  '"',
  "'",
  'role "system"',
  '{{role "user"}}',
  '{{role "model"}}',
  '{{!--',
  '--}}',
  '--~}}',
  '{{!}}',
  '{{#toolUse id="x" name="t"}}',
  '{{/toolUse}}',
  '{{else}}',
  '{{{{raw}}}}',
  '{{> p}}',
  '{{media url="secrets.env"}}',
  '{{!-- bedrock: stopped',
  ' ',
  '\n',
  'a',
  'text',
  '#',
  '/',
  '@root',
  'é',
  '😀',
];

function randomText(next: () => number, maxPieces = 12): string {
  const n = 1 + Math.floor(next() * maxPieces);
  let s = 'w'; // never blank: a blank turn is dropped by design
  for (let i = 0; i < n; i++) s += FRAGMENTS[Math.floor(next() * FRAGMENTS.length)];
  return next() < 0.5 ? s : `${s}z`;
}

/** The text cut at random places, escaped piece by piece as a stream is. */
function streamed(text: string, next: () => number): string {
  const e = new TemplateTextEscaper();
  let out = '';
  let at = 0;
  while (at < text.length) {
    const len = 1 + Math.floor(next() * 6);
    out += e.push(text.slice(at, at + len));
    at += len;
  }
  return out + e.end();
}

interface Round {
  user: string;
  answer: string;
  reasoning?: string;
  end: TurnEnd;
  detail?: string;
  calls: ToolCallText[];
  results: string[];
}

function writeFile(rounds: Round[], lastUser: string, next: () => number): string {
  let file = '---\nmodel: m\ntools: [t]\ntoolDefs:\n  - name: t\n    inputSchema:\n      q: string\n---\n';
  for (const r of rounds) {
    file += `${escapeTemplateText(r.user)}\n`;
    file += modelTurnPrefix(file);
    if (r.reasoning) file += reasoningComment(r.reasoning);
    file += streamed(r.answer, next);
    file += modelTurnSuffix(r.end, r.detail, `bedrock: m · ${r.detail ?? ''}`, r.calls);
    r.calls.forEach((c, i) => {
      file = file.replace(
        `{{#toolResult id="${c.toolUseId}"}}\n\n{{/toolResult}}`,
        `{{#toolResult id="${c.toolUseId}"}}\n${escapeTemplateText(r.results[i])}\n{{/toolResult}}`,
      );
    });
  }
  return `${file}${escapeTemplateText(lastUser)}\n`;
}

describe('the conversation in the file: written, then read back', () => {
  it('the streaming escaper gives what escaping the whole text gives, for any cut', () => {
    const next = rng(7);
    for (let i = 0; i < 3000; i++) {
      const text = randomText(next, 20);
      assert.equal(streamed(text, next), escapeTemplateText(text), JSON.stringify(text));
    }
  });

  it('turns, texts and tool calls come back exactly (1,000 random conversations)', async () => {
    const next = rng(18);
    for (let n = 0; n < 1000; n++) {
      const rounds: Round[] = [];
      const count = 1 + Math.floor(next() * 3);
      for (let i = 0; i < count; i++) {
        const withTools = next() < 0.3;
        const calls = withTools ? [{ name: 't', toolUseId: `call_${n}_${i}`, input: { q: randomText(next) } }] : [];
        rounds.push({
          user: randomText(next),
          answer: randomText(next),
          reasoning: next() < 0.3 ? randomText(next) : undefined,
          // A tool call's results are filled in only after a complete answer.
          end: withTools ? 'complete' : (['complete', 'stopped', 'failed'] as const)[Math.floor(next() * 3)],
          detail: next() < 0.5 ? randomText(next) : undefined,
          calls,
          results: calls.map(() => randomText(next)),
        });
      }
      const lastUser = randomText(next);
      const file = writeFile(rounds, lastUser, next);
      const why = `conversation ${n}:\n${file}`;

      const read = readConversation(file)?.turns;
      assert.ok(read, why);
      const expected: { role: string; text: string }[] = [];
      for (const r of rounds) {
        expected.push({ role: 'user', text: r.user.trim() }, { role: 'model', text: r.answer.trim() });
      }
      expected.push({ role: 'user', text: lastUser.trim() });
      // The reader: the untagged first turn is the first user message; a run writes the rest.
      assert.deepEqual(
        read.map((t) => ({ role: t.role, text: t.text.trim() })),
        expected,
        why,
      );
      read.forEach((t, i) => {
        const round = rounds[Math.floor(i / 2)];
        if (t.role === 'model')
          assert.deepEqual(
            t.toolUses.map((u) => JSON.parse(u.input) as unknown),
            round.calls.map((c) => c.input),
            why,
          );
      });

      // The renderer: the same texts, tool calls and results go to Converse; nothing becomes structure.
      const r = await renderPrompt(file, {}, noReads);
      assert.equal(r.request.system, undefined, why);
      const messages = r.request.messages ?? [];
      assert.equal(messages.length, expected.length, why);
      messages.forEach((m, i) => {
        assert.equal(m.role, expected[i].role === 'model' ? 'assistant' : 'user', why);
        const texts = (m.content ?? []).filter((b) => 'text' in b).map((b) => b.text);
        const round = rounds[Math.floor(i / 2)];
        const prev = rounds[Math.floor(i / 2) - 1];
        if (m.role === 'assistant') {
          assert.deepEqual(texts, [expected[i].text], why);
          const uses = (m.content ?? []).filter((b) => 'toolUse' in b).map((b) => b.toolUse?.input);
          assert.deepEqual(
            uses,
            round.calls.map((c) => c.input),
            why,
          );
        } else {
          assert.equal(texts.join(''), expected[i].text, why);
          const results = (m.content ?? []).filter((b) => 'toolResult' in b).map((b) => b.toolResult?.content);
          const filled = i % 2 === 0 && i > 0 ? (prev?.results ?? []) : [];
          assert.deepEqual(
            results,
            filled.map((t) => [{ text: t.trim() }]),
            why,
          );
        }
      });
    }
  });
});
