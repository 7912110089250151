// The explorer's filters: output kind (text/chat, image, embedding), streaming, fine-tunable, legacy,
// and free text over name, id and provider.
import type { FoundationModel } from './catalogue';

export interface ModelFilter {
  text?: boolean;
  image?: boolean;
  embedding?: boolean;
  streaming?: boolean;
  fineTunable?: boolean;
  hideLegacy?: boolean;
  search?: string;
}

export function matchesFilter(m: FoundationModel, f: ModelFilter): boolean {
  const kinds = [f.text && 'TEXT', f.image && 'IMAGE', f.embedding && 'EMBEDDING'].filter(Boolean) as string[];
  if (kinds.length > 0 && !kinds.some((k) => m.outputModalities.includes(k))) return false;
  if (f.streaming && !m.streaming) return false;
  if (f.fineTunable && m.customizations.length === 0) return false;
  if (f.hideLegacy && m.legacy) return false;
  if (f.search && !matchesText(`${m.modelName} ${m.modelId} ${m.provider}`, f.search)) return false;
  return true;
}

/** Every word of the query appears (case-insensitive). */
export function matchesText(haystack: string, query: string): boolean {
  const h = haystack.toLowerCase();
  return query
    .toLowerCase()
    .split(/\s+/)
    .filter(Boolean)
    .every((w) => h.includes(w));
}

export function isFilterActive(f: ModelFilter): boolean {
  return Object.values(f).some((v) => v === true || (typeof v === 'string' && v.trim() !== ''));
}

export function describeFilter(f: ModelFilter): string {
  const parts: string[] = [];
  const kinds = [f.text && 'text', f.image && 'image', f.embedding && 'embedding'].filter(Boolean);
  if (kinds.length > 0) parts.push(kinds.join('/'));
  if (f.streaming) parts.push('streaming');
  if (f.fineTunable) parts.push('fine-tunable');
  if (f.hideLegacy) parts.push('no legacy');
  if (f.search?.trim()) parts.push(`"${f.search.trim()}"`);
  return parts.join(', ');
}
