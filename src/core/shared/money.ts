// Money as people read it, shared by the extension and the webviews (no imports, so a webview can use it).

/**
 * Dollars as a plain decimal everywhere (metrics comment, CodeLens, Compare, batch reports): "$0.0000052",
 * never "$5.2e-6". Small amounts keep two significant digits; from a cent on, four decimals.
 */
export function formatUsd(usd: number): string {
  if (!Number.isFinite(usd) || usd <= 0) return '$0';
  if (usd >= 0.01) return `$${usd.toFixed(4)}`;
  // Enough decimals for two significant digits, at least five (so $0.00345 stays as it reads).
  const decimals = Math.min(12, Math.max(5, 1 - Math.floor(Math.log10(usd))));
  return `$${usd.toFixed(decimals).replace(/(\.\d{5}\d*?)0+$/, '$1')}`;
}

/** A price or a bill, not a per-call cost: cents and thousands separators ("$14,600.00"). */
export function formatUsdAmount(usd: number): string {
  return `$${usd.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
}
