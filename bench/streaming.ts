// A 20,000-token answer (in paragraphs, and on one line) streamed as fast as the local server can send it: time until all the text is
// in the editor, beside the raw SDK loop over the same stream in the same host; edits per second; the
// delay from a token's arrival to its edit.
import { runProbe } from './probe';
import { median, report } from './report';

export async function benchStreaming(): Promise<void> {
  const data = await runProbe<{
    shapes: Record<string, { samples: { ms: number; edits: number; p99: number; max: number }[]; raw: number[] }>;
    tokens: number;
    paced: { tokens: number; edits: number; p50: number; p99: number; max: number };
  }>('streamProbe');
  for (const [shape, { samples, raw }] of Object.entries(data.shapes)) {
    const ours = median(samples.map((s) => s.ms));
    const rawMs = Math.min(...raw);
    report(
      `stream ${data.tokens} tokens into the editor (${shape})`,
      `${ours.toFixed(0)} ms`,
      `raw SDK loop ${rawMs.toFixed(0)} ms`,
      ours / rawMs,
      'target <= 1.05x',
    );
    const s = samples[samples.length - 1];
    report(
      '  document edits for that answer',
      `${s.edits} edits`,
      `${data.tokens} tokens`,
      s.edits / data.tokens,
      `${(s.edits / (s.ms / 1000)).toFixed(1)} edits/s; target <= 30/s`,
    );
    report(
      '  token arrival to editor, p99 / max',
      `${median(samples.map((x) => x.p99)).toFixed(1)} ms`,
      `max ${median(samples.map((x) => x.max)).toFixed(1)} ms`,
      undefined,
      'target p99 < 50 ms',
    );
  }
  report(
    `  at ~100 tokens/s (${data.paced.tokens} tokens x2), p99 / max`,
    `${data.paced.p99.toFixed(1)} ms`,
    `p50 ${data.paced.p50.toFixed(1)} ms, max ${data.paced.max.toFixed(1)} ms`,
    undefined,
    `${data.paced.edits} edits; target p99 < 50 ms`,
  );
}
