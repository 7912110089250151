// How much of gitleaks' default rule set the dataset scanner finds: samples generated from each rule's
// own pattern (test/fixtures/gitleaks, MIT, see its NOTICE.md), each scanned as a line of a file. Prints
// the share of rules (and of distinct formats) whose every sample is found, and the rules missed; fails
// when the share falls under the floor below. The samples are generated (seeded), never real secrets.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import RandExp from 'randexp';
import { parse as parseToml } from 'smol-toml';
import { scanSecretsDeep } from '../../../../src/core/safety/secretScan';
import { rng } from '../../../support/rng';

/** The share of gitleaks' rules (in distinct formats) the scanner must keep finding. */
const FLOOR = Number(process.env.BPL_GITLEAKS_FLOOR ?? 0.38);
const SAMPLES_PER_RULE = 3;

interface GitleaksRule {
  id: string;
  regex?: string;
  path?: string;
  keywords?: string[];
}

/**
 * A Go (RE2) pattern as a JavaScript one, for generating and checking samples: a leading `(?i)` becomes
 * the `i` flag; inline flag groups (`(?i)`, `(?-i:…)`, `(?i:…)`) become plain groups (samples are made
 * in the case the pattern is written in, which either flag accepts); `\z` is `$`; named groups
 * `(?P<n>…)` are `(?<n>…)`.
 */
function toJs(pattern: string): RegExp | undefined {
  let flags = '';
  let source = pattern;
  if (source.startsWith('(?i)')) {
    flags = 'i';
    source = source.slice(4);
  }
  source = source
    .replace(/\(\?-?i\)/g, '')
    .replace(/\(\?-?i:/g, '(?:')
    .replace(/\\z/g, '$')
    .replace(/\(\?P</g, '(?<');
  try {
    return new RegExp(source, flags);
  } catch {
    return undefined;
  }
}

/** Semi-generic rules ("<service> … = <token>") differ only in the service's name: one format. */
function formatOf(pattern: string): string {
  return pattern.replace(/\(\?:[^()]*\)\(\?:\[ \\t\\w\.-\]\{0,20\}\)/, '(?:SERVICE)(?:[ \\t\\w.-]{0,20})');
}

describe('secret scanner: coverage of gitleaks’ default rules', () => {
  it('finds the samples of (nearly) every rule', async function () {
    this.timeout(120_000);
    const config = parseToml(
      readFileSync(path.join(__dirname, '../../../../../test/fixtures/gitleaks/gitleaks.toml'), 'utf8'),
    ) as unknown as { rules: GitleaksRule[] };
    const random = rng(114);
    const byFormat = new Map<string, boolean>();
    const missed: string[] = [];
    const skipped: string[] = [];
    let measured = 0;
    let found = 0;
    for (const rule of config.rules) {
      // Rules that look only at file names, or only at some file types (.php, .tf), are not for datasets.
      if (!rule.regex || rule.path) {
        skipped.push(rule.id);
        continue;
      }
      const check = toJs(rule.regex);
      if (!check) {
        skipped.push(`${rule.id} (pattern not convertible)`);
        continue;
      }
      const generator = new RandExp(new RegExp(check.source));
      generator.max = 8;
      generator.randInt = (a: number, b: number) => a + Math.floor(random() * (b - a + 1));
      let all = true;
      let tried = 0;
      for (let i = 0; i < SAMPLES_PER_RULE * 4 && tried < SAMPLES_PER_RULE; i++) {
        const sample = generator.gen();
        if (!check.test(sample) || /[\r\n]/.test(sample.slice(0, -2))) continue; // a sample the rule itself takes
        tried++;
        const hits = await scanSecretsDeep(`${sample}\n`, 'sample.txt');
        if (hits.length === 0) {
          all = false;
          missed.push(`${rule.id}: ${JSON.stringify(sample).slice(0, 120)}`);
          break;
        }
      }
      if (tried === 0) {
        skipped.push(`${rule.id} (no sample generated)`);
        continue;
      }
      measured++;
      if (all) found++;
      const format = formatOf(rule.regex);
      byFormat.set(format, (byFormat.get(format) ?? true) && all);
    }
    const formats = [...byFormat.values()];
    const formatsFound = formats.filter(Boolean).length;
    console.log(
      `      gitleaks rules: ${found} of ${measured} found (${((found / measured) * 100).toFixed(1)}%); distinct formats: ${formatsFound} of ${formats.length} (${((formatsFound / formats.length) * 100).toFixed(1)}%); ${skipped.length} not for datasets or not convertible`,
    );
    if (missed.length > 0) console.log(`      missed:\n        ${missed.join('\n        ')}`);
    assert.ok(
      formatsFound / formats.length >= FLOOR,
      `distinct formats found ${formatsFound} of ${formats.length}, under the floor ${FLOOR}`,
    );
  });
});
