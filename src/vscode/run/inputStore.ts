import vscode = require('vscode');
import { BedrockError } from '../../core/shared/bedrockError';
import type { DeclaredInput, PromptAnalysis } from '../../core/format/analyze';
import {
  describeValue,
  inputNames,
  inputTypeProblems,
  missingVariables,
  parseInputText,
} from '../../core/format/inputs';

const KEY = 'promptInputs.v1';

/** How the value of one input reads, and where it comes from. */
export interface InputView {
  name: string;
  decl?: DeclaredInput;
  required: boolean;
  value?: unknown;
  source: 'set' | 'default' | 'unset';
}

/**
 * The values a prompt's runs use, per file, kept in workspace state: shown in the Inputs CodeLens,
 * edited in one place ("Bedrock: Edit Prompt Inputs"), typed by the input schema and checked before a
 * run sends anything. Run, Compare and "Run With Inputs From…" all take their values from here.
 */
export class InputStore implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;

  constructor(private readonly memento: vscode.Memento) {}

  values(uri: vscode.Uri): Record<string, unknown> {
    return { ...(this.all()[uri.toString()] ?? {}) };
  }

  async set(uri: vscode.Uri, values: Record<string, unknown>): Promise<void> {
    const all = this.all();
    const clean = Object.fromEntries(Object.entries(values).filter(([, v]) => v !== undefined));
    if (Object.keys(clean).length === 0) delete all[uri.toString()];
    else all[uri.toString()] = clean;
    await this.memento.update(KEY, all);
    this.changed.fire(uri);
  }

  async setValue(uri: vscode.Uri, name: string, value: unknown): Promise<void> {
    await this.set(uri, { ...this.values(uri), [name]: value });
  }

  /** Each input the prompt knows, with the value a run would use now. */
  view(uri: vscode.Uri, analysis: PromptAnalysis): InputView[] {
    const values = this.values(uri);
    const defaults = ((analysis.frontmatter.input as { default?: Record<string, unknown> } | undefined)?.default ??
      {}) as Record<string, unknown>;
    return inputNames(analysis).map((name) => {
      const decl = analysis.declaredInputs.get(name);
      const required = analysis.requiredInputs.includes(name);
      if (Object.hasOwn(values, name)) return { name, decl, required, value: values[name], source: 'set' };
      if (Object.hasOwn(defaults, name)) return { name, decl, required, value: defaults[name], source: 'default' };
      return { name, decl, required, source: 'unset' };
    });
  }

  /**
   * The values for a run: the file's values, then those the caller gives; required inputs still
   * without a value are asked for (typed) and kept. Values that do not fit their type are refused
   * before anything is sent. Only names the prompt knows are sent.
   */
  async resolve(
    uri: vscode.Uri,
    analysis: PromptAnalysis,
    given: Record<string, unknown> = {},
  ): Promise<Record<string, unknown>> {
    const known = new Set(inputNames(analysis));
    const stored = this.values(uri);
    const values: Record<string, unknown> = Object.fromEntries(
      Object.entries({ ...stored, ...given }).filter(([k]) => known.has(k) || Object.hasOwn(given, k)),
    );
    let asked = false;
    for (const name of missingVariables(analysis, values)) {
      const value = await askInputValue(uri, name, analysis.declaredInputs.get(name), undefined);
      if (value === undefined) throw new BedrockError('Cancelled', 'Run cancelled: no value given.');
      values[name] = value;
      asked = true;
    }
    const problems = inputTypeProblems(analysis, values);
    if (problems.length > 0)
      throw new BedrockError(
        'PromptInvalid',
        `Fix the inputs first (Bedrock: Edit Prompt Inputs): ${problems.join('; ')}.`,
      );
    if (asked || Object.keys(given).length > 0) await this.set(uri, { ...stored, ...values });
    return values;
  }

  private all(): Record<string, Record<string, unknown>> {
    return { ...(this.memento.get<Record<string, Record<string, unknown>>>(KEY) ?? {}) };
  }

  dispose(): void {
    this.changed.dispose();
  }
}

/** Asks for one input's value the way its type reads: a pick for enums and booleans, typed boxes otherwise. */
export async function askInputValue(
  uri: vscode.Uri,
  name: string,
  decl: DeclaredInput | undefined,
  current: unknown,
): Promise<unknown> {
  const title = `Value for {{${name}}}${decl?.kind && decl.kind !== 'any' ? ` (${decl.kind})` : ''}`;
  const where = `${vscode.workspace.asRelativePath(uri)}${decl?.description ? `: ${decl.description}` : ''}`;
  if (decl?.kind === 'enum' || decl?.kind === 'boolean') {
    const options = decl.kind === 'boolean' ? [true, false] : (decl.values ?? []);
    const pick = await vscode.window.showQuickPick(
      options.map((v) => ({ label: String(v), value: v, description: v === current ? 'current' : undefined })),
      { title, placeHolder: where, ignoreFocusOut: true },
    );
    return pick?.value;
  }
  const structured = decl?.kind === 'object' || decl?.kind === 'array';
  const text = await vscode.window.showInputBox({
    title,
    prompt: `${where}${structured ? ' · JSON' : ''}. Kept for this file (Bedrock: Edit Prompt Inputs shows and changes it).`,
    value: current === undefined ? undefined : typeof current === 'string' ? current : JSON.stringify(current),
    ignoreFocusOut: true,
    validateInput: (t) => parseInputText(decl, t).problem,
  });
  if (text === undefined) return undefined;
  return parseInputText(decl, text).value;
}

/** "ticket=\"My printer…\", audience=—": the Inputs CodeLens title. */
export function inputsSummary(view: InputView[]): string {
  if (view.length === 0) return 'no inputs';
  return view
    .map((v) => `${v.name}=${v.source === 'unset' ? (v.required ? '?' : '—') : describeValue(v.value, 24)}`)
    .join(', ');
}
