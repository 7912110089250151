import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { AdaptiveLimiter, retryFor } from '../../../../src/core/bedrock/adaptiveLimiter';
import {
  outputLinesFromJob,
  recordIdFor,
  rowOfRecordId,
  toBatchRecord,
} from '../../../../src/core/batch/batchInference';
import { elementLines, readRows, rowsOfText, surveyRows, type BatchRow } from '../../../../src/core/io/rows';
import { partialPathFor, runBatch, type BatchOutputLine } from '../../../../src/core/batch/runBatch';

const tmp = () => mkdtempSync(path.join(os.tmpdir(), 'bpl-batch-'));
const readJsonl = (file: string) =>
  readFileSync(file, 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as BatchOutputLine);
/** UTF-16LE bytes as UTF-16BE. */
function swap16(b: Buffer): Buffer {
  const out = Buffer.from(b);
  for (let i = 0; i + 1 < out.length; i += 2) [out[i], out[i + 1]] = [out[i + 1], out[i]];
  return out;
}

const rowsOf = (n: number): BatchRow[] =>
  Array.from({ length: n }, (_, i) => ({ index: i, line: i + 1, input: { q: `question ${i}` } }));
const noSleep = async () => undefined;
const answer = (row: BatchRow): BatchOutputLine => ({
  row: row.index,
  input: row.input,
  modelId: 'm',
  output: `answer ${row.index}`,
});

describe('batch runs', () => {
  it('reads JSONL and CSV rows, and reports a bad line as a row with a problem', async () => {
    const dir = tmp();
    writeFileSync(path.join(dir, 'in.jsonl'), '{"q":"a"}\n\nnot json\n[1]\n{"q":"d"}\n');
    const rows = await readRows(path.join(dir, 'in.jsonl'));
    assert.equal(rows.length, 4);
    assert.deepEqual(rows[0].input, { q: 'a' });
    assert.match(rows[1].problem ?? '', /line 3 is not valid JSON/);
    assert.match(rows[2].problem ?? '', /line 4 is not a JSON object/);
    writeFileSync(path.join(dir, 'in.csv'), '\ufeffq,lang\n"hello, world",en\n"two\nlines",fr\n');
    const csv = await readRows(path.join(dir, 'in.csv'));
    assert.deepEqual(
      csv.map((r) => r.input),
      [
        { q: 'hello, world', lang: 'en' },
        { q: 'two\nlines', lang: 'fr' },
      ],
    );
  });

  it('decodes UTF-16 files, and names the line of bytes that are not UTF-8 instead of sending U+FFFD', async () => {
    const dir = tmp();
    const jsonl = '{"q":"héllo"}\n{"q":"日本"}\n';
    writeFileSync(
      path.join(dir, 'le.jsonl'),
      Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(jsonl, 'utf16le')]),
    );
    writeFileSync(
      path.join(dir, 'be.csv'),
      Buffer.concat([Buffer.from([0xfe, 0xff]), swap16(Buffer.from('q\nhéllo\n', 'utf16le'))]),
    );
    assert.deepEqual(
      (await readRows(path.join(dir, 'le.jsonl'))).map((r) => r.input),
      [{ q: 'héllo' }, { q: '日本' }],
    );
    assert.deepEqual(
      (await readRows(path.join(dir, 'be.csv'))).map((r) => r.input),
      [{ q: 'héllo' }],
    );
    writeFileSync(
      path.join(dir, 'bad.jsonl'),
      Buffer.concat([Buffer.from('{"q":"a"}\n{"q":"b"}\n{"q":"'), Buffer.from([0xc3, 0x28]), Buffer.from('"}\n')]),
    );
    await assert.rejects(readRows(path.join(dir, 'bad.jsonl')), /line 3 has bytes that are not UTF-8/);
  });

  it('a byte order mark, a bad header, extra cells and multi-line rows are said, with the right line', async () => {
    const dir = tmp();
    writeFileSync(path.join(dir, 'bom.jsonl'), '\ufeff{"q":"first"}\n{"q":"second"}\n');
    assert.deepEqual(
      (await readRows(path.join(dir, 'bom.jsonl'))).map((r) => [r.input, r.problem]),
      [
        [{ q: 'first' }, undefined],
        [{ q: 'second' }, undefined],
      ],
    );
    writeFileSync(path.join(dir, 'bom.json'), '\ufeff[{"q":"a"}]');
    assert.deepEqual((await readRows(path.join(dir, 'bom.json')))[0].input, { q: 'a' });
    writeFileSync(path.join(dir, 'dup.csv'), 'q,lang,q\n1,2,3\n');
    await assert.rejects(readRows(path.join(dir, 'dup.csv')), /names "q" twice \(columns 1 and 3\)/);
    writeFileSync(path.join(dir, 'proto.csv'), 'q,__proto__\n1,2\n');
    await assert.rejects(readRows(path.join(dir, 'proto.csv')), /"__proto__" \(column 2\) is refused/);
    assert.equal(({} as Record<string, unknown>).q, undefined);
    writeFileSync(path.join(dir, 'wide.csv'), 'q,lang\n"multi\nline\nrow",en\nhello, world,en\nok,fr\n');
    const rows = await readRows(path.join(dir, 'wide.csv'));
    assert.equal(rows[0].line, 2, 'a multi-line row is reported at its first line');
    assert.match(rows[1].problem ?? '', /^line 5 has 3 cells but the header has 2: quote a cell/);
    assert.deepEqual(rows[2], { index: 2, line: 6, input: { q: 'ok', lang: 'fr' } });
  });

  it('datasets and batch runs read rows the same way: text gives what the file gives, JSON rows at their lines', async () => {
    const dir = tmp();
    const files: Record<string, string> = {
      'a.jsonl': '{"q":"a"}\n\nnot json\n{"q":"d"}\n',
      'b.csv': 'q,lang\n"multi\nline",en\nhello, world,en\nok,fr\n',
      'c.json': '[\n  {"q": "one"},\n  {\n    "q": "two, with [brackets] and \\"quotes\\""\n  },\n  3\n]',
    };
    for (const [name, text] of Object.entries(files)) {
      writeFileSync(path.join(dir, name), text);
      const fromFile = await readRows(path.join(dir, name));
      const fromText: BatchRow[] = [];
      for await (const r of rowsOfText(text, name)) fromText.push(r);
      assert.deepEqual(fromText, fromFile, name);
    }
    const json = await readRows(path.join(dir, 'c.json'));
    assert.deepEqual(
      json.map((r) => r.line),
      [2, 3, 6],
    );
    assert.match(json[2].problem ?? '', /line 6 is not a JSON object/);
    assert.equal(json[2].reason, 'Not a JSON object');
    assert.deepEqual(elementLines('[{"a":[1,2]},{"b":{"c":"]"}}, "x"]', 3), [1, 1, 1]);
    const single: BatchRow[] = [];
    for await (const r of rowsOfText('{"q":"alone"}', 'one.json')) single.push(r);
    assert.deepEqual(
      single.map((r) => r.input),
      [{ q: 'alone' }],
    );
  });

  it('streams the rows: only a bounded window is read ahead of the calls, and the output is still in order', async () => {
    const dir = tmp();
    const output = path.join(dir, 'stream.jsonl');
    let pulled = 0;
    let mostAhead = 0;
    let finished = 0;
    async function* rows(): AsyncGenerator<BatchRow> {
      for (let i = 0; i < 500; i++) {
        pulled++;
        mostAhead = Math.max(mostAhead, pulled - finished);
        yield { index: i, line: i + 1, input: { q: `question ${i}` } };
      }
    }
    const result = await runBatch({
      rows: rows,
      total: 500,
      modelId: 'm',
      outputPath: output,
      concurrency: 4,
      invoke: async (row) => {
        await new Promise((r) => setTimeout(r, (row.index * 7) % 5));
        finished++;
        return answer(row);
      },
    });
    assert.equal(result.complete, true);
    assert.ok(mostAhead <= 4 * 2 + 1, `read ${mostAhead} rows ahead of the answers`);
    assert.deepEqual(
      readJsonl(output).map((l) => l.row),
      Array.from({ length: 500 }, (_, i) => i),
    );
    // surveyRows keeps a bounded sample and the keys, not the rows.
    writeFileSync(
      path.join(dir, 'many.jsonl'),
      Array.from({ length: 5000 }, (_, i) =>
        JSON.stringify({ q: `row ${i}`, ...(i === 4000 ? { late: 1 } : {}) }),
      ).join('\n'),
    );
    const survey = await surveyRows(path.join(dir, 'many.jsonl'));
    assert.equal(survey.count, 5000);
    assert.equal(survey.sample.length, 50);
    assert.ok(
      survey.sample.some((r) => r.index > 2500),
      'the sample spreads over the file',
    );
    assert.deepEqual([...survey.keys].sort(), ['late', 'q']);
  });

  it('writes every row in input order, with bounded concurrency, and leaves no partial file', async () => {
    const dir = tmp();
    const output = path.join(dir, 'out.jsonl');
    let inFlight = 0;
    let most = 0;
    const result = await runBatch({
      rows: rowsOf(50),
      modelId: 'm',
      outputPath: output,
      concurrency: 4,
      invoke: async (row) => {
        most = Math.max(most, ++inFlight);
        await new Promise((r) => setTimeout(r, (row.index * 7) % 5));
        inFlight--;
        return answer(row);
      },
    });
    assert.equal(result.complete, true);
    assert.ok(most <= 4 && most >= 2, `in flight at most ${most}`);
    const lines = readJsonl(output);
    assert.deepEqual(
      lines.map((l) => l.row),
      Array.from({ length: 50 }, (_, i) => i),
    );
    assert.equal(lines[7].output, 'answer 7');
    assert.equal(existsSync(partialPathFor(output)), false);
  });

  it('survives a throttling storm: backs off, lowers concurrency, and still answers every row', async () => {
    const dir = tmp();
    let calls = 0;
    const limiter = new AdaptiveLimiter({ maxConcurrency: 8, sleep: noSleep, random: () => 0.5 });
    const result = await runBatch({
      rows: rowsOf(40),
      modelId: 'm',
      outputPath: path.join(dir, 'out.jsonl'),
      concurrency: 8,
      limiter,
      // The first 30 calls are throttled.
      invoke: async (row) =>
        ++calls <= 30
          ? { row: row.index, input: row.input, modelId: 'm', error: { code: 'Throttled', message: 'slow down' } }
          : answer(row),
    });
    assert.equal(result.complete, true);
    assert.equal(result.failed, 0);
    assert.equal(readJsonl(path.join(dir, 'out.jsonl')).filter((l) => l.output).length, 40);
    assert.equal(result.stats.throttled, 30);
    assert.equal(result.stats.lowestConcurrency, 1);
  });

  it('keeps a throttled row as an error after the retries run out', async () => {
    const dir = tmp();
    const result = await runBatch({
      rows: rowsOf(2),
      modelId: 'm',
      outputPath: path.join(dir, 'out.jsonl'),
      concurrency: 2,
      limiter: new AdaptiveLimiter({ maxConcurrency: 2, maxRetries: 2, sleep: noSleep }),
      invoke: async (row) =>
        row.index === 1
          ? { row: 1, input: row.input, modelId: 'm', error: { code: 'Throttled', message: 'slow down' } }
          : answer(row),
    });
    assert.equal(result.complete, true);
    assert.equal(result.failed, 1);
    assert.equal(readJsonl(path.join(dir, 'out.jsonl'))[1].error?.code, 'Throttled');
  });

  it('resumes after a cancel: finished rows are not sent again, throttled ones are', async () => {
    const dir = tmp();
    const output = path.join(dir, 'out.jsonl');
    const abort = new AbortController();
    const first = await runBatch({
      rows: rowsOf(20),
      modelId: 'm',
      outputPath: output,
      concurrency: 1,
      signal: abort.signal,
      limiter: new AdaptiveLimiter({ maxConcurrency: 1, maxRetries: 0, sleep: noSleep }),
      invoke: async (row) => {
        if (row.index === 9) abort.abort();
        if (row.index === 3)
          return { row: 3, input: row.input, modelId: 'm', error: { code: 'Throttled', message: 'x' } };
        return answer(row);
      },
    });
    assert.equal(first.complete, false);
    assert.equal(first.cancelled, true);
    assert.equal(existsSync(output), false, 'no output file until every row is done');
    assert.ok(existsSync(partialPathFor(output)));
    const sent: number[] = [];
    const second = await runBatch({
      rows: rowsOf(20),
      modelId: 'm',
      outputPath: output,
      concurrency: 2,
      invoke: async (row) => (sent.push(row.index), answer(row)),
    });
    assert.equal(second.complete, true);
    assert.equal(second.resumed, 9, 'rows 0-9 (row 9 answered as the cancel came) minus the throttled row 3');
    assert.deepEqual(
      sent.sort((a, b) => a - b),
      [3, ...Array.from({ length: 10 }, (_, i) => i + 10)],
    );
    assert.equal(readJsonl(output).length, 20);
  });

  it('does not resume lines of another model or changed input', async () => {
    const dir = tmp();
    const output = path.join(dir, 'out.jsonl');
    writeFileSync(
      partialPathFor(output),
      [
        JSON.stringify({ row: 0, input: { q: 'question 0' }, modelId: 'other', output: 'x' }),
        JSON.stringify({ row: 1, input: { q: 'changed' }, modelId: 'm', output: 'x' }),
        JSON.stringify({ row: 2, input: { q: 'question 2' }, modelId: 'm', output: 'kept' }),
      ].join('\n') + '\n{"row": 3, "inp',
    );
    const sent: number[] = [];
    const result = await runBatch({
      rows: rowsOf(4),
      modelId: 'm',
      outputPath: output,
      concurrency: 1,
      invoke: async (row) => (sent.push(row.index), answer(row)),
    });
    assert.deepEqual(sent, [0, 1, 3]);
    assert.equal(result.resumed, 1);
    assert.equal(readJsonl(output)[2].output, 'kept');
  });

  it('stops on an error every row would share (no credentials) and keeps the partial file', async () => {
    const dir = tmp();
    const output = path.join(dir, 'out.jsonl');
    let calls = 0;
    const result = await runBatch({
      rows: rowsOf(100),
      modelId: 'm',
      outputPath: output,
      concurrency: 2,
      invoke: async (row) =>
        ++calls > 5
          ? {
              row: row.index,
              input: row.input,
              modelId: 'm',
              error: { code: 'NoCredentials', message: 'No AWS credentials found' },
            }
          : answer(row),
    });
    assert.equal(result.complete, false);
    assert.equal(result.fatal?.code, 'NoCredentials');
    assert.ok(calls < 10, `stopped after ${calls} calls`);
    assert.equal(
      readJsonl(partialPathFor(output)).every((l) => !l.error),
      true,
    );
  });

  it('an endpoint where nothing answers (or that never answers) stops the run instead of failing every row', async () => {
    for (const code of ['EndpointUnreachable', 'Timeout'] as const) {
      const dir = tmp();
      let calls = 0;
      const result = await runBatch({
        rows: rowsOf(100),
        modelId: 'm',
        outputPath: path.join(dir, 'out.jsonl'),
        concurrency: 2,
        invoke: async (row) => (
          ++calls,
          {
            row: row.index,
            input: row.input,
            modelId: 'm',
            error: { code, message: 'Nothing answers at the Bedrock endpoint 127.0.0.1:9 (connection refused).' },
          }
        ),
      });
      assert.equal(result.fatal?.code, code);
      assert.equal(result.complete, false);
      assert.ok(calls < 10, `${code}: stopped after ${calls} calls`);
    }
  });

  it('writes a bad input row as an error line without calling the model', async () => {
    const dir = tmp();
    const rows: BatchRow[] = [
      { index: 0, line: 1, input: {}, problem: 'line 1 is not valid JSON' },
      ...rowsOf(2).map((r) => ({ ...r, index: r.index + 1 })),
    ];
    let calls = 0;
    await runBatch({
      rows,
      modelId: 'm',
      outputPath: path.join(dir, 'o.jsonl'),
      concurrency: 1,
      invoke: async (row) => (calls++, answer(row)),
    });
    assert.equal(calls, 2);
    assert.equal(readJsonl(path.join(dir, 'o.jsonl'))[0].error?.code, 'InvalidRow');
  });
});

describe('adaptive limiter', () => {
  it('retries a passing failure (service unavailable) without lowering the concurrency', async () => {
    const limiter = new AdaptiveLimiter({ maxConcurrency: 4, sleep: noSleep });
    let n = 0;
    const result = await limiter.run(
      async () => ++n,
      (x) => (x <= 2 ? retryFor('ServiceUnavailable') : retryFor(undefined)),
    );
    assert.equal(result, 3);
    assert.equal(limiter.stats.transient, 2);
    assert.equal(limiter.stats.throttled, 0);
    assert.equal(limiter.concurrency, 4);
    assert.equal(retryFor('Validation'), undefined, 'a rejected request is not retried');
  });

  it('grows back to the chosen concurrency after throttling stops', async () => {
    const limiter = new AdaptiveLimiter({ maxConcurrency: 4, sleep: noSleep });
    let n = 0;
    await limiter.run(
      async () => ++n,
      (x) => (x <= 3 ? 'throttled' : undefined),
    );
    assert.equal(limiter.stats.lowestConcurrency, 1);
    for (let i = 0; i < 20; i++)
      await limiter.run(
        async () => 0,
        () => undefined,
      );
    assert.equal(limiter.concurrency, 4);
  });
});

describe('batch inference records', () => {
  it('turns a Converse request into a record without modelId and with bytes as base64', () => {
    const line = JSON.parse(
      toBatchRecord(4, {
        modelId: 'x',
        messages: [
          {
            role: 'user',
            content: [{ text: 'hi' }, { image: { format: 'png', source: { bytes: new Uint8Array([1, 2, 3]) } } }],
          },
        ],
      }),
    );
    assert.equal(line.recordId, 'ROW00000005');
    assert.equal(line.modelInput.modelId, undefined);
    assert.equal(line.modelInput.messages[0].content[1].image.source.bytes, 'AQID');
    assert.equal(rowOfRecordId(recordIdFor(1234)), 1234);
  });

  it('maps the job output back to rows, in order, and reports rows the job did not return', () => {
    const rows = rowsOf(3);
    const out = [
      JSON.stringify({
        recordId: 'ROW00000002',
        modelInput: {},
        modelOutput: {
          output: { message: { content: [{ text: 'two' }] } },
          stopReason: 'end_turn',
          usage: { inputTokens: 10, outputTokens: 2, totalTokens: 12 },
        },
      }),
      JSON.stringify({
        recordId: 'ROW00000001',
        modelInput: {},
        error: { errorCode: 400, errorMessage: 'bad record' },
      }),
    ].join('\n');
    const lines = outputLinesFromJob(
      out,
      rows,
      'anthropic.claude-3-haiku-20240307-v1:0',
      (modelId, usage) => ({ usd: (usage!.inputTokens + usage!.outputTokens) / (modelId.length * 1000), source: 't' }),
      'PartiallyCompleted',
    );
    assert.deepEqual(
      lines.map((l) => l.row),
      [0, 1, 2],
    );
    assert.equal(lines[0].error?.message, 'bad record');
    assert.equal(lines[1].output, 'two');
    assert.equal(lines[1].costUsd, 12 / (38 * 1000), "the given cost of the row's usage on the job's model");
    assert.match(lines[2].error?.message ?? '', /returned no result/);
  });
});
