// Compare with 6 models streaming at once into the webview, beside the same 6 streams consumed by the
// raw SDK in the same extension host, in the same run.
import { runProbe } from './probe';
import { median, report } from './report';

export async function benchCompare(): Promise<void> {
  const data = await runProbe<{ ours: number[]; raw: number[]; firstOpen: number; tokens: number; models: number }>(
    'compareProbe',
  );
  const ours = median(data.ours);
  const raw = median(data.raw);
  report(
    `compare ${data.models} models x ${data.tokens} tokens (re-run)`,
    `${ours.toFixed(0)} ms`,
    `raw SDK, same ${data.models} streams ${raw.toFixed(0)} ms`,
    ours / raw,
    'webview path overhead',
  );
  report(
    '  the same, first run with opening the view',
    `${data.firstOpen.toFixed(0)} ms`,
    `raw SDK ${raw.toFixed(0)} ms`,
    data.firstOpen / raw,
    'includes loading the webview',
  );
}
