// One line per figure, beside the baseline measured in the same run, as a ratio.
export function report(name: string, value: string, baseline: string, ratio?: number, note?: string): void {
  const r = ratio === undefined ? '' : `  ratio ${ratio.toFixed(2)}x`;
  process.stdout.write(
    `${name.padEnd(44)} ${value.padStart(14)}   baseline: ${baseline}${r}${note ? `  (${note})` : ''}\n`,
  );
}

export function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

export function percentile(values: number[], p: number): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
}
