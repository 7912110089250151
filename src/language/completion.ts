import vscode = require('vscode');
import type { CatalogueService } from '../host/catalogueService';
import { splitPrompt } from '../prompt/document';
import { CONFIG_KEYS, GUARDRAIL_KEYS, HELPERS, INPUT_KEYS, OUTPUT_KEYS, ROLES, TOP_LEVEL_KEYS, type KeySpec } from '../prompt/schema';
import type { PromptAnalyses } from './promptAnalyses';

const NESTED: Record<string, Record<string, KeySpec>> = { config: CONFIG_KEYS, input: INPUT_KEYS, output: OUTPUT_KEYS, 'bedrock.guardrail': GUARDRAIL_KEYS };

/** Frontmatter keys and values, model ids from the catalogue, helpers and declared variables. */
export class PromptCompletionProvider implements vscode.CompletionItemProvider {
  static readonly triggers = ['{', '"', ' ', ':', '.'];

  constructor(
    private readonly analyses: PromptAnalyses,
    private readonly catalogue: CatalogueService,
  ) {}

  provideCompletionItems(doc: vscode.TextDocument, pos: vscode.Position): vscode.CompletionItem[] {
    const text = doc.getText();
    const offset = doc.offsetAt(pos);
    const source = splitPrompt(text);
    const line = doc.lineAt(pos.line).text.slice(0, pos.character);
    if (source.frontmatter && offset >= source.frontmatter.start && offset <= source.frontmatter.end) return this.frontmatter(doc, pos, line);
    if (offset >= source.bodyStart) return this.template(doc, line);
    return [];
  }

  private frontmatter(doc: vscode.TextDocument, pos: vscode.Position, line: string): vscode.CompletionItem[] {
    const model = /^model:\s*(\S*)$/.exec(line);
    if (model) return this.models();
    const keyTyping = /^(\s*)([\w.]*)$/.exec(line);
    if (keyTyping) {
      const indent = keyTyping[1].length;
      const specs = indent === 0 ? TOP_LEVEL_KEYS : NESTED[parentKey(doc, pos.line, indent) ?? ''];
      if (!specs) return [];
      return Object.entries(specs).map(([key, spec]) => {
        const item = new vscode.CompletionItem(key, vscode.CompletionItemKind.Property);
        item.documentation = new vscode.MarkdownString(spec.doc);
        item.insertText = spec.kind === 'object' ? new vscode.SnippetString(`${key}:\n${' '.repeat(indent + 2)}$0`) : `${key}: `;
        item.detail = spec.kind;
        return item;
      });
    }
    const value = /^\s*([\w.]+):\s*(\S*)$/.exec(line);
    if (value) {
      const parent = parentKey(doc, pos.line, line.length - line.trimStart().length);
      const specs = parent ? NESTED[parent] : TOP_LEVEL_KEYS;
      const spec = specs?.[value[1]];
      if (spec?.values) return spec.values.map((v) => new vscode.CompletionItem(v, vscode.CompletionItemKind.EnumMember));
    }
    return [];
  }

  private models(): vscode.CompletionItem[] {
    this.catalogue.ensureLoaded();
    const c = this.catalogue.current;
    if (!c) return [];
    const items: vscode.CompletionItem[] = [];
    for (const m of c.foundationModels.items) {
      if (!m.outputModalities.includes('TEXT')) continue;
      const item = new vscode.CompletionItem({ label: m.modelId, description: `${m.modelName} · ${m.provider}` }, vscode.CompletionItemKind.Value);
      item.detail = m.inferenceTypes.includes('ON_DEMAND') ? 'on demand' : m.inferenceTypes.includes('INFERENCE_PROFILE') ? 'inference profile only' : 'provisioned only';
      item.sortText = `${m.legacy ? '2' : m.inferenceTypes.includes('ON_DEMAND') ? '0' : '1'}${m.modelId}`;
      items.push(item);
    }
    for (const p of c.inferenceProfiles.items) {
      const item = new vscode.CompletionItem({ label: p.id, description: p.name }, vscode.CompletionItemKind.Reference);
      item.detail = `inference profile · ${p.regions.join(', ')}`;
      item.sortText = `1${p.id}`;
      items.push(item);
    }
    for (const p of c.provisionedThroughputs.items) {
      const item = new vscode.CompletionItem({ label: p.arn, description: `${p.name} (provisioned)` }, vscode.CompletionItemKind.Reference);
      item.sortText = `3${p.name}`;
      items.push(item);
    }
    return items;
  }

  private template(doc: vscode.TextDocument, line: string): vscode.CompletionItem[] {
    if (/\{\{~?\s*role\s+"\w*$/.test(line)) return ROLES.map((r) => new vscode.CompletionItem(r, vscode.CompletionItemKind.EnumMember));
    const m = /\{\{[{~#/>]?\s*([\w.@]*)$/.exec(line);
    if (!m) return [];
    const analysis = this.analyses.get(doc);
    const items: vscode.CompletionItem[] = [];
    for (const name of analysis.declaredInputs.keys()) {
      const item = new vscode.CompletionItem(name, vscode.CompletionItemKind.Variable);
      item.detail = 'input variable';
      item.sortText = `0${name}`;
      items.push(item);
    }
    for (const [name, doc] of Object.entries(HELPERS)) {
      const item = new vscode.CompletionItem(name, vscode.CompletionItemKind.Function);
      item.documentation = new vscode.MarkdownString(doc);
      item.sortText = `1${name}`;
      if (name === 'role') item.insertText = new vscode.SnippetString('role "${1|system,user,model|}"');
      if (name === 'media') item.insertText = new vscode.SnippetString('media url="$1"');
      items.push(item);
    }
    return items;
  }
}

/** The nearest key above `line` with less indentation than `indent`. */
function parentKey(doc: vscode.TextDocument, line: number, indent: number): string | undefined {
  for (let l = line - 1; l >= 0; l--) {
    const t = doc.lineAt(l).text;
    if (t.trim() === '' || t.trim().startsWith('#')) continue;
    const m = /^(\s*)([\w.]+):/.exec(t);
    if (m && m[1].length < indent) return m[2];
    if (/^---\s*$/.test(t)) return undefined;
  }
  return undefined;
}
