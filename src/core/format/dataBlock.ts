// Untrusted text placed between tags in a prompt the product writes itself (the judge's request: the
// answer being graded, a reference answer from a data file). The text stays data: an occurrence of the
// tag in it (`</answer>`, `<rubric>`) cannot close the block or open another, because every `<` that
// starts one of the tags in use is written as `&lt;`. The one home of that rule.

export function dataBlock(tag: string, text: string, tagsInUse: readonly string[] = [tag]): string {
  const names = tagsInUse.map((t) => t.replace(/[^a-z_]/gi, '')).join('|');
  const inert = text.replace(new RegExp(`<(?=\\s*/?\\s*(?:${names})\\b)`, 'gi'), '&lt;');
  return `<${tag}>\n${inert}\n</${tag}>`;
}
