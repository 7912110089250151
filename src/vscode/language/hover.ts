import vscode = require('vscode');
import type { CatalogueService } from '../host/catalogueService';
import { resolveInCatalogue } from '../../core/models/catalogue';
import { modelCardMarkdown } from '../../core/models/modelCard';
import { normalizeModelRef } from '../../core/models/modelRef';
import { HELPERS, keySpecAt } from '../../core/format/schema';
import type { PromptAnalyses } from './promptAnalyses';
import { toVsRange } from './promptAnalyses';

/** A key's meaning, a model's card, a helper's use, a variable's declaration. */
export class PromptHoverProvider implements vscode.HoverProvider {
  constructor(
    private readonly analyses: PromptAnalyses,
    private readonly catalogue: CatalogueService,
  ) {}

  provideHover(doc: vscode.TextDocument, pos: vscode.Position): vscode.Hover | undefined {
    const a = this.analyses.get(doc);
    if (a.model && a.modelRange && toVsRange(a.modelRange).contains(pos))
      return this.modelHover(a.model.modelId, toVsRange(a.modelRange));
    for (const k of a.keyRanges) {
      const range = toVsRange(k.range);
      if (!range.contains(pos)) continue;
      const doc = keySpecAt(k.path)?.doc;
      if (doc) return new vscode.Hover(new vscode.MarkdownString(`**${k.path}**\n\n${doc}`), range);
    }
    const word = doc.getWordRangeAtPosition(pos, /[\w@.]+/);
    if (!word) return undefined;
    const name = doc.getText(word);
    const line = doc.lineAt(pos.line).text;
    if (!line.slice(0, word.start.character).includes('{{')) return undefined;
    if (HELPERS[name]) return new vscode.Hover(new vscode.MarkdownString(HELPERS[name]), word);
    const variable = a.variables.find((v) => toVsRange(v.range).contains(pos));
    if (variable) {
      const declared = a.declaredInputs.get(variable.name);
      const def = (a.frontmatter.input as { default?: Record<string, unknown> } | undefined)?.default?.[variable.name];
      const need = a.requiredInputs.includes(variable.name) ? 'required' : 'optional';
      const text = declared
        ? `Input **${variable.name}** · ${declared.kind} · ${need}${def !== undefined ? ` · default: \`${JSON.stringify(def)}\`` : ''}${declared.description ? `\n\n${declared.description}` : ''}`
        : `**${variable.name}** is not declared in \`input\`: ${need === 'required' ? 'a Run asks for it' : 'it is left out when not given'}.`;
      return new vscode.Hover(new vscode.MarkdownString(text), word);
    }
    return undefined;
  }

  private modelHover(modelId: string, range: vscode.Range): vscode.Hover {
    const c = this.catalogue.current;
    if (!c)
      return new vscode.Hover(
        new vscode.MarkdownString(`\`${modelId}\`\n\nOpen the Bedrock Models view to load this account's catalogue.`),
        range,
      );
    const resolved = resolveInCatalogue(normalizeModelRef(modelId), c);
    if (!resolved.model)
      return new vscode.Hover(
        new vscode.MarkdownString(`\`${modelId}\` is not listed by this account in ${c.region}.`),
        range,
      );
    const profiles = c.inferenceProfiles.items
      .filter((p) => p.modelIds.includes(resolved.model!.modelId))
      .map((p) => p.id);
    const via =
      resolved.kind === 'profile'
        ? `Inference profile \`${modelId}\` →\n\n`
        : resolved.kind === 'provisioned'
          ? `Provisioned model →\n\n`
          : '';
    return new vscode.Hover(new vscode.MarkdownString(via + modelCardMarkdown(resolved.model, { profiles })), range);
  }
}
