// Parsing and validating a typical 5 KB prompt, and a 1 MB one, beside the `yaml` package parsing the
// same frontmatter alone.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import Handlebars from 'handlebars';
import { parse as parseYaml } from 'yaml';
import { analyzePrompt, clearTemplateCache } from '../src/core/format/analyze';
import { splitPrompt } from '../src/core/format/document';
import { REPO_ROOT } from '../test/host/codeServer';
import { report } from './report';

function timeIt(fn: () => void, minMs = 500): number {
  // Warm up until the JIT has settled (its optimizing tier needs more than a few hundred calls of a
  // function this size), then measure.
  const warm = performance.now();
  while (performance.now() - warm < 1500) fn();
  let n = 0;
  const start = performance.now();
  while (performance.now() - start < minMs) {
    fn();
    n++;
  }
  return (performance.now() - start) / n;
}

function typicalPrompt(targetBytes: number): string {
  const base = readFileSync(path.join(REPO_ROOT, 'examples', 'ticket-classifier.prompt'), 'utf8');
  const { frontmatter } = splitPrompt(base);
  let body = '';
  let i = 0;
  while (base.length + body.length < targetBytes) {
    body += `{{role "user"}}\nTicket ${i}: {{ticket}} — please route it and explain briefly why.\n{{role "model"}}\nCategory: shipping. The customer reports a late parcel (${i}).\n`;
    i++;
  }
  return `---\n${frontmatter?.text ?? ''}\n---\n${body}{{role "user"}}\n{{ticket}}\n`;
}

export function benchParse(): void {
  for (const size of [5 * 1024, 1024 * 1024]) {
    const text = typicalPrompt(size);
    const fm = splitPrompt(text).frontmatter?.text ?? '';
    // Cold: nothing cached (a file just opened).
    const ours = timeIt(() => {
      clearTemplateCache();
      analyzePrompt(text);
    });
    // Typing in the last turn: each analysis sees a new last turn; the earlier turns are cached.
    let n = 0;
    const edited = timeIt(() => analyzePrompt(`${text}More about {{ticket}} ${n++}\n`));
    const yamlOnly = timeIt(() => parseYaml(fm));
    const templateOnly = timeIt(() => Handlebars.parse(splitPrompt(text).body));
    const mb = text.length / 1024 / 1024;
    const label = size >= 1024 * 1024 ? '1 MB' : '5 KB';
    report(
      `parse+validate ${label} prompt (cold)`,
      `${ours.toFixed(3)} ms`,
      `yaml.parse of its frontmatter ${yamlOnly.toFixed(3)} ms`,
      ours / yamlOnly,
      `${(mb / (ours / 1000)).toFixed(1)} MB/s; Handlebars.parse of the template alone ${templateOnly.toFixed(3)} ms`,
    );
    report(
      `  the same after an edit in the last turn`,
      `${edited.toFixed(3)} ms`,
      `Handlebars.parse of the template ${templateOnly.toFixed(3)} ms`,
      edited / templateOnly,
      'earlier turns come from the cache',
    );
  }
}
