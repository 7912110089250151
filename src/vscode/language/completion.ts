import vscode = require('vscode');
import type { CatalogueService } from '../host/catalogueService';
import { splitPrompt } from '../../core/format/document';
import { childKeysAt, HELPERS, keySpecAt, ROLES } from '../../core/format/schema';
import { isChatModel } from '../../core/models/registry';
import type { PromptAnalyses } from './promptAnalyses';

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
    if (source.frontmatter && offset >= source.frontmatter.start && offset <= source.frontmatter.end)
      return this.frontmatter(doc, pos, line);
    if (offset >= source.bodyStart) return this.template(doc, line);
    return [];
  }

  private frontmatter(doc: vscode.TextDocument, pos: vscode.Position, line: string): vscode.CompletionItem[] {
    const model = /^model:\s*(\S*)$/.exec(line);
    if (model) return this.models();
    const keyTyping = /^(\s*)([\w.]*)$/.exec(line);
    if (keyTyping) {
      const indent = keyTyping[1].length;
      const parent = indent === 0 ? [] : parentPath(doc, pos.line, indent);
      const specs = parent ? childKeysAt(parent) : undefined;
      if (!specs) return [];
      return Object.entries(specs).map(([key, spec]) => {
        const item = new vscode.CompletionItem(key, vscode.CompletionItemKind.Property);
        item.documentation = new vscode.MarkdownString(spec.doc);
        item.insertText =
          spec.kind === 'object' ? new vscode.SnippetString(`${key}:\n${' '.repeat(indent + 2)}$0`) : `${key}: `;
        item.detail = spec.kind;
        return item;
      });
    }
    const value = /^\s*([\w.]+):\s*(\S*)$/.exec(line);
    if (value) {
      const parent = parentPath(doc, pos.line, line.length - line.trimStart().length) ?? [];
      const spec = keySpecAt([...parent, value[1]]);
      if (spec?.values)
        return spec.values.map((v) => new vscode.CompletionItem(v, vscode.CompletionItemKind.EnumMember));
    }
    return [];
  }

  private models(): vscode.CompletionItem[] {
    this.catalogue.ensureLoaded();
    const c = this.catalogue.current;
    if (!c) return [];
    const items: vscode.CompletionItem[] = [];
    for (const m of c.foundationModels.items) {
      if (!isChatModel(m)) continue;
      const item = new vscode.CompletionItem(
        { label: m.modelId, description: `${m.modelName} · ${m.provider}` },
        vscode.CompletionItemKind.Value,
      );
      item.detail = m.inferenceTypes.includes('ON_DEMAND')
        ? 'on demand'
        : m.inferenceTypes.includes('INFERENCE_PROFILE')
          ? 'inference profile only'
          : 'provisioned only';
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
      const item = new vscode.CompletionItem(
        { label: p.arn, description: `${p.name} (provisioned)` },
        vscode.CompletionItemKind.Reference,
      );
      item.sortText = `3${p.name}`;
      items.push(item);
    }
    return items;
  }

  private template(doc: vscode.TextDocument, line: string): vscode.CompletionItem[] {
    if (/\{\{~?\s*role\s+"\w*$/.test(line))
      return ROLES.map((r) => new vscode.CompletionItem(r, vscode.CompletionItemKind.EnumMember));
    const m = /\{\{[{~#/>]?\s*([\w.@]*)$/.exec(line);
    if (!m) return [];
    const analysis = this.analyses.get(doc);
    const items: vscode.CompletionItem[] = [];
    for (const name of analysis.declaredInputs.keys()) {
      const input = analysis.declaredInputs.get(name);
      const item = new vscode.CompletionItem(name, vscode.CompletionItemKind.Variable);
      item.detail = `input · ${input?.kind ?? 'any'}${input?.optional ? ' · optional' : ''}`;
      if (input?.description) item.documentation = input.description;
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

/** The path of keys above `line` that enclose a key indented by `indent` (`['bedrock.guardrail']`). */
function parentPath(doc: vscode.TextDocument, line: number, indent: number): string[] | undefined {
  const path: string[] = [];
  let limit = indent;
  for (let l = line - 1; l >= 0 && limit > 0; l--) {
    const t = doc.lineAt(l).text;
    if (t.trim() === '' || t.trim().startsWith('#')) continue;
    if (/^---\s*$/.test(t)) break;
    const m = /^(\s*)([\w.]+):/.exec(t);
    if (m && m[1].length < limit) {
      path.unshift(m[2]);
      limit = m[1].length;
    }
  }
  return path.length > 0 ? path : undefined;
}
