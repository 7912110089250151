// Reads a .prompt file the way Dotprompt does and reports every problem at its place. The work is split
// by concern: the frontmatter against the key tree (frontmatterChecks.ts, picoschemaCheck.ts), the
// template's scopes and inputs (templateScope.ts), parsing long templates in cached pieces and syntax
// errors in plain words (templatePieces.ts), and what the model can take (bedrock/modelChecks.ts).
// This file puts them together and applies the one rule for which inputs a run needs. It never throws:
// anything unexpected becomes a problem too.
import { CONVERSE_LIMITS, PROMPT_RULES } from './rules';
import { knowledgeBaseSettingOrNone as knowledgeBaseSetting } from './knowledgeBase';
import { agentSetting, type AgentSetting } from './agent';
import Handlebars from './handlebars';
import { resolveInCatalogue, type Catalogue } from '../models/catalogue';
import { modelProblems } from '../models/modelChecks';
import type { ModelRef } from '../models/modelRef';
import { LineIndex, safeDecodeUri, splitPrompt, type Problem, type Range } from './document';
import { analyzeFrontmatter, problem, type DeclaredInput } from './frontmatterChecks';
import { closest, HELPERS, ROLES } from './schema';
import { helperCallProblem, walkTemplate } from './templateScope';
import {
  MAX_FRONTMATTER_CHARS,
  MAX_TEMPLATE_CHARS,
  parseInPieces,
  templateSyntaxError,
  templateBounds,
} from './templatePieces';

export { clearTemplateCache } from './templatePieces';
export type { DeclaredInput } from './frontmatterChecks';

export interface AnalyzeContext {
  /** The account's catalogue, once known; without it model ids are not checked against it. */
  catalogue?: Pick<Catalogue, 'foundationModels' | 'inferenceProfiles' | 'customModels' | 'provisionedThroughputs'> &
    Partial<Pick<Catalogue, 'promptRouters' | 'deployments'>>;
  /** Whether a media path (relative to the prompt file) exists. */
  fileExists?: (relativePath: string) => boolean;
  /** Whether a media path (relative to the prompt file) leads outside the workspace folder (symlinks resolved). */
  outsideWorkspace?: (relativePath: string) => boolean;
  /** Whether a partial `_name.prompt` exists beside the file (or is otherwise known). */
  partialExists?: (name: string) => boolean;
  /** Templates of known partials, so inputs read inside them count (and are required) too. */
  partialTemplates?: Record<string, string>;
  /** Parse the template in one piece, without the cache (a test compares both ways). */
  wholeTemplate?: boolean;
  /** Templates longer than this are parsed in cached pieces (default 16 KB; tests lower it). */
  piecesAbove?: number;
}

export interface VariableUse {
  name: string;
  /** Where this file reads it (for a read inside a partial: the partial call). */
  range: Range;
  /** The template renders without it (only tested, or under `{{#if name}}`). */
  guarded: boolean;
  viaPartial?: string;
}
export interface RoleMarker {
  role: string;
  range: Range;
}
export interface MediaRef {
  url: string;
  contentType?: string;
  range: Range;
}
export interface ToolTurnRef {
  kind: 'toolUse' | 'toolResult';
  id?: string;
  name?: string;
  range: Range;
}

export interface PromptAnalysis {
  problems: Problem[];
  /** The parsed frontmatter (plain data), {} when absent or broken. */
  frontmatter: Record<string, unknown>;
  model?: ModelRef;
  modelRange?: Range;
  /** Inputs `input.schema` and `input.default` declare, with their type and whether they may be left out. */
  declaredInputs: Map<string, DeclaredInput>;
  /** `input.schema` accepts names it does not list (`(*)`, additionalProperties, a named schema). */
  inputSchemaOpen?: boolean;
  /** Reads of top-level inputs in the template (and its partials). */
  variables: VariableUse[];
  /**
   * The inputs a run needs a value for: declared, not optional and without a default; or read by the
   * template (unguarded) and declared nowhere. The one rule for runs, compare, tests, batches, datasets.
   */
  requiredInputs: string[];
  /** Whether the template parsed (no syntax error). */
  templateParsed: boolean;
  roles: RoleMarker[];
  media: MediaRef[];
  partials: { name: string; range: Range }[];
  toolTurns: ToolTurnRef[];
  frontmatterRange?: Range;
  bodyStart: number;
  /** Key ranges by dotted path (e.g. `config.temperature`), for hover. */
  keyRanges: { path: string; range: Range }[];
  /** Where the template reads `@passages` (what `bedrock.knowledgeBase` retrieved). */
  passageReads: Range[];
}

export function analyzePrompt(text: string, ctx: AnalyzeContext = {}): PromptAnalysis {
  const index = new LineIndex(text);
  const result: PromptAnalysis = {
    problems: [],
    frontmatter: {},
    declaredInputs: new Map(),
    variables: [],
    requiredInputs: [],
    templateParsed: false,
    roles: [],
    media: [],
    partials: [],
    toolTurns: [],
    bodyStart: 0,
    keyRanges: [],
    passageReads: [],
  };
  try {
    const source = splitPrompt(text);
    result.bodyStart = source.bodyStart;
    if (source.frontmatter) {
      const fm = source.frontmatter;
      result.frontmatterRange = index.range(0, source.bodyStart);
      if (!fm.closed) {
        result.problems.push(
          problem('error', PROMPT_RULES.unclosedFrontmatter, index.range(0, 3), 'frontmatter-unclosed'),
        );
      } else if (fm.text.length > MAX_FRONTMATTER_CHARS) {
        result.problems.push(
          problem(
            'error',
            `The frontmatter is ${Math.round(fm.text.length / 1024)} KB; at most ${MAX_FRONTMATTER_CHARS / 1024} KB is read. Move data out of it (into a partial, a data file or input values).`,
            index.range(0, 3),
            'frontmatter-size',
          ),
        );
      } else {
        analyzeFrontmatter(fm.text, fm.start, index, result);
      }
    }
    analyzeTemplate(source.body, source.bodyStart, index, result, ctx);
    checkVariables(result);
    checkKnowledgeBase(result);
    checkAgent(result);
    checkModel(result, ctx);
  } catch (err) {
    result.problems.push(
      problem(
        'error',
        `Could not analyze this prompt: ${err instanceof Error ? err.message : String(err)}`,
        index.range(0, 0),
        'internal',
      ),
    );
  }
  return result;
}

// ---------------------------------------------------------------- template

type HbsNode = hbs.AST.Node & Record<string, any>;

function analyzeTemplate(
  body: string,
  base: number,
  index: LineIndex,
  result: PromptAnalysis,
  ctx: AnalyzeContext,
): void {
  const bodyIndex = new LineIndex(body);
  /** The line the piece being walked starts on, within the body. */
  let pieceLine = 0;
  const at = (loc: hbs.AST.SourceLocation | undefined): Range => {
    if (!loc) return index.range(base, base);
    const start = base + bodyIndex.offset({ line: loc.start.line - 1 + pieceLine, character: loc.start.column });
    const end = base + bodyIndex.offset({ line: loc.end.line - 1 + pieceLine, character: loc.end.column });
    return index.range(start, Math.max(end, start + 1));
  };
  if (body.length > MAX_TEMPLATE_CHARS) {
    result.problems.push(
      problem(
        'info',
        `This template is ${(body.length / 1024 / 1024).toFixed(1)} MB: it is not analyzed as you type (a run still checks it).`,
        index.range(base, base + 1),
        'template-size',
      ),
    );
    return;
  }
  const bound = templateBounds(body);
  if (bound) {
    result.problems.push(
      problem('error', bound.message, index.range(base + bound.start, base + bound.start + 3), bound.code),
    );
    return;
  }
  // A short template parses whole in about a millisecond; pieces pay off when conversations grow long.
  let pieces = ctx.wholeTemplate || body.length <= (ctx.piecesAbove ?? 16_384) ? undefined : parseInPieces(body);
  if (!pieces) {
    try {
      pieces = [{ ast: Handlebars.parseWithoutProcessing(body), line: 0 }];
    } catch (err) {
      const e = templateSyntaxError(body, err);
      result.problems.push(problem('error', e.message, index.range(base + e.start, base + e.end), 'template'));
      return;
    }
  }
  result.templateParsed = true;

  const partialAsts = new Map<string, hbs.AST.Program | undefined>();
  const partialAst = (name: string) => {
    if (!partialAsts.has(name)) {
      const source = ctx.partialTemplates?.[name];
      let ast: hbs.AST.Program | undefined;
      try {
        ast = source === undefined ? undefined : Handlebars.parseWithoutProcessing(source);
      } catch {
        ast = undefined; // a partial that does not parse reports that in its own file's diagnostics
      }
      partialAsts.set(name, ast);
    }
    return partialAsts.get(name);
  };
  const hashValue = (node: HbsNode, key: string) =>
    ((node.hash?.pairs ?? []) as HbsNode[]).find((p) => p.key === key)?.value as HbsNode | undefined;

  for (const piece of pieces) {
    pieceLine = piece.line;
    walkTemplate(
      piece.ast,
      {
        read: (use) =>
          result.variables.push({
            name: use.name,
            range: at(use.loc),
            guarded: use.guarded,
            viaPartial: use.viaPartial,
          }),
        dataRead: (name, loc) => {
          if (name === 'passages') result.passageReads.push(at(loc));
        },
        cycle: (chain, loc) => {
          const msg = `Partial \`${chain[0]}\` includes itself (${chain.join(' → ')}): rendering it would never end. Remove the include that closes the loop.`;
          if (!result.problems.some((p) => p.message === msg))
            result.problems.push(problem('error', msg, at(loc), 'partial-cycle'));
        },
        unknownHelper: (name, loc) =>
          result.problems.push(
            problem(
              'error',
              `Unknown helper \`${name}\`. Dotprompt knows: ${Object.keys(HELPERS).join(', ')}.`,
              at(loc),
              'unknown-helper',
            ),
          ),
        partial: (name, node) => {
          result.partials.push({ name, range: at(node.loc) });
          if (ctx.partialExists && !ctx.partialExists(name))
            result.problems.push(problem('error', PROMPT_RULES.unknownPartial(name), at(node.loc), 'unknown-partial'));
        },
        helper: (name, node) => {
          const params = (node.params ?? []) as HbsNode[];
          const callProblem = helperCallProblem(name, node);
          if (callProblem) result.problems.push(problem('error', callProblem, at(node.loc), 'helper-arguments'));
          else if (name === 'role') {
            const arg = params[0];
            const role = arg?.type === 'StringLiteral' ? (arg.value as string) : undefined;
            if (!role || !(ROLES as readonly string[]).includes(role)) {
              result.problems.push(
                problem(
                  'error',
                  `\`{{role}}\` takes "system", "user" or "model"${role ? `, not "${role}"` : ''}.`,
                  at(node.loc),
                  'role',
                ),
              );
            } else result.roles.push({ role, range: at(node.loc) });
          } else if (name === 'media') {
            const url = hashValue(node, 'url');
            const contentType = hashValue(node, 'contentType');
            if (!url)
              result.problems.push(
                problem(
                  'error',
                  '`{{media}}` needs `url=` (a workspace path, s3:// URI or data: URL).',
                  at(node.loc),
                  'media',
                ),
              );
            else if (url.type === 'StringLiteral') {
              const ref: MediaRef = {
                url: url.value as string,
                contentType: contentType?.type === 'StringLiteral' ? (contentType.value as string) : undefined,
                range: at(url.loc),
              };
              result.media.push(ref);
              checkMediaRef(ref, result, ctx);
            }
          } else if (name === 'toolUse' || name === 'toolResult') {
            const id = hashValue(node, 'id');
            const toolName = hashValue(node, 'name');
            result.toolTurns.push({
              kind: name,
              id: id?.type === 'StringLiteral' ? String(id.value) : undefined,
              name: toolName?.type === 'StringLiteral' ? String(toolName.value) : undefined,
              range: at(node.loc),
            });
            if (node.type !== 'BlockStatement')
              result.problems.push(
                problem(
                  'error',
                  `Write \`{{#${name} id="…"}}…{{/${name}}}\`: the ${name === 'toolUse' ? 'tool input' : 'result'} goes between the tags.`,
                  at(node.loc),
                  'tool-turn',
                ),
              );
            else if (id?.type !== 'StringLiteral')
              result.problems.push(
                problem('error', `\`{{#${name}}}\` needs \`id="…"\` (the tool call's id).`, at(node.loc), 'tool-turn'),
              );
          }
        },
      },
      { partialAst },
    );
  }
  checkToolTurns(result);
}

/** Every tool result answers a tool call written before it. */
function checkToolTurns(result: PromptAnalysis): void {
  const calls = new Set(result.toolTurns.filter((t) => t.kind === 'toolUse' && t.id).map((t) => t.id));
  for (const t of result.toolTurns) {
    if (t.kind === 'toolResult' && t.id && !calls.has(t.id)) {
      const guess = closest(
        t.id,
        [...calls].filter((c): c is string => !!c),
        4,
      );
      result.problems.push(
        problem(
          'error',
          `No tool call has the id \`${t.id}\`: a result must answer a \`{{#toolUse id="…"}}\` in the model turn before it.${guess ? ` Did you mean \`${guess}\`?` : ''}`,
          t.range,
          'tool-turn',
        ),
      );
    }
  }
}

function checkMediaRef(ref: MediaRef, result: PromptAnalysis, ctx: AnalyzeContext): void {
  const url = ref.url;
  if (/^https?:\/\//i.test(url)) {
    result.problems.push(
      problem(
        'error',
        'Bedrock cannot fetch http(s) URLs: save the file in the workspace and use its path, or use an s3:// URI.',
        ref.range,
        'media',
      ),
    );
    return;
  }
  if (url.startsWith('s3://') || url.startsWith('data:')) return;
  if (/\s/.test(url)) {
    // Dotprompt splits its media marker on spaces, so such a path breaks there too.
    result.problems.push(
      problem(
        'error',
        `Media paths cannot contain spaces in Dotprompt: write them as %20 (\`${url.replace(/ /g, '%20')}\`).`,
        ref.range,
        'media',
      ),
    );
    return;
  }
  if (ctx.outsideWorkspace?.(safeDecodeUri(url))) {
    result.problems.push(
      problem(
        'error',
        `Media file \`${url}\` is outside the workspace folder: media are read only from inside it. Copy the file into the workspace.`,
        ref.range,
        'media-outside',
      ),
    );
    return;
  }
  if (ctx.fileExists && !ctx.fileExists(safeDecodeUri(url))) {
    result.problems.push(
      problem(
        'error',
        `Media file \`${url}\` does not exist (paths are relative to this prompt file).`,
        ref.range,
        'media-missing',
      ),
    );
  }
}

// ---------------------------------------------------------------- inputs

/**
 * The one rule: a value is required when the input is declared, not optional and has no default, or
 * when the template reads it outside a guard and nothing declares it (that also gets a warning).
 */
function checkVariables(result: PromptAnalysis): void {
  const declared = result.declaredInputs;
  const defaults = ((result.frontmatter.input as { default?: Record<string, unknown> } | undefined)?.default ??
    {}) as Record<string, unknown>;
  const hasSchema = result.frontmatter.input !== undefined;
  const required = new Set<string>();
  for (const [name, d] of declared) if (!d.optional && !Object.hasOwn(defaults, name)) required.add(name);
  const warned = new Set<string>();
  for (const v of result.variables) {
    if (declared.has(v.name) || Object.hasOwn(defaults, v.name)) continue;
    if (!v.guarded) required.add(v.name);
    if (result.inputSchemaOpen || warned.has(`${v.name}@${v.range.start.line}:${v.range.start.character}`)) continue;
    warned.add(`${v.name}@${v.range.start.line}:${v.range.start.character}`);
    const where = v.viaPartial ? ` (read in partial \`${v.viaPartial}\`)` : '';
    const then = v.guarded ? 'it is left out when not given' : 'a Run asks for its value';
    result.problems.push(
      problem(
        hasSchema && !v.guarded ? 'warning' : 'info',
        `\`${v.name}\`${where} is not declared in \`input.schema\` or \`input.default\`; ${then}.`,
        v.range,
        'undeclared-variable',
      ),
    );
  }
  result.requiredInputs = [...required];
  // While the template does not parse, nothing is known to be used: no "never used" warnings then.
  if (!result.templateParsed) return;
  const used = new Set(result.variables.map((v) => v.name));
  for (const [name, d] of declared) {
    if (!used.has(name) && d.range)
      result.problems.push(
        problem('warning', `Input \`${name}\` is declared but never used in the template.`, d.range, 'unused-variable'),
      );
  }
}

// ---------------------------------------------------------------- model

/** What a harness cannot take from this prompt (`bedrock.agent`), said where the key is, before a run is refused. */
function checkAgent(result: PromptAnalysis): void {
  const range = result.keyRanges.find((k) => k.path === 'bedrock.agent')?.range;
  if (!range) return;
  let setting: AgentSetting | undefined;
  try {
    setting = agentSetting(result.frontmatter);
  } catch (err) {
    // What a run would refuse (an ARN of the wrong shape, a harness and a runtime), said before it does.
    result.problems.push(problem('error', (err as Error).message, range, 'agent-invalid'));
    return;
  }
  if (!setting) return;
  if (setting.agentId)
    result.problems.push(
      problem(
        'info',
        'A Bedrock agent (classic) answers with its own instructions, model and action groups: it gets the last user turn as its input; `model`, `config`, the system turn and `tools` are not sent. Bedrock Agents are closed to new customers: AgentCore harnesses are their successor (Deploy as Agent).',
        range,
        'agent-classic-input',
      ),
    );
  else if (setting.runtime)
    result.problems.push(
      problem(
        'info',
        'An agent runtime runs its own code with its own model and tools: it gets the last user turn as `{"prompt": …}` (or the turns, with `payload: converse`); `model`, `config` and `tools` are not sent.',
        range,
        'agent-runtime-payload',
      ),
    );
  else if (!setting.harness)
    result.problems.push(
      problem(
        'info',
        'No harness yet: Deploy as Agent creates one from this prompt and writes `harness:` here; until then a run cannot reach the agent.',
        range,
        'agent-not-deployed',
      ),
    );
  if (result.frontmatter['bedrock.guardrail'] !== undefined)
    result.problems.push(
      problem(
        'error',
        'An agent takes no guardrail per call: remove `bedrock.guardrail` (or `bedrock.agent` to run on the model with it).',
        range,
        'agent-guardrail',
      ),
    );
  const generate = knowledgeBaseSetting(result.frontmatter)?.mode === 'generate';
  if (generate)
    result.problems.push(
      problem(
        'error',
        'An agent cannot also be answered by its knowledge base (`mode: generate`): use `mode: retrieve`, or give the harness the knowledge base as a tool.',
        range,
        'agent-generate',
      ),
    );
}

/** `@passages` and `bedrock.knowledgeBase` go together: passages nobody quotes or attaches never reach the model. */
function checkKnowledgeBase(result: PromptAnalysis): void {
  const setting = knowledgeBaseSetting(result.frontmatter);
  if (!setting) {
    if (result.frontmatter['bedrock.knowledgeBase'] !== undefined) return; // the schema's diagnostics say what is wrong
    for (const range of result.passageReads)
      result.problems.push(
        problem(
          'warning',
          '`@passages` is empty: this prompt names no knowledge base. Add `bedrock.knowledgeBase: {id: …}` to the frontmatter (Knowledge Bases view → Use in Prompt).',
          range,
          'passages-without-knowledge-base',
        ),
      );
    return;
  }
  const range = result.keyRanges.find((k) => k.path === 'bedrock.knowledgeBase')?.range;
  if (!range || !result.templateParsed) return;
  if (setting.mode === 'generate') {
    for (const read of result.passageReads)
      result.problems.push(
        problem(
          'warning',
          '`@passages` is empty with `mode: generate`: Bedrock puts the passages into the generation prompt itself (where the system turn says `$search_results$`).',
          read,
          'passages-generate',
        ),
      );
    const ignored = (['attach', 'queryInput'] as const).filter((k) => setting[k] !== undefined);
    if (ignored.length > 0)
      result.problems.push(
        problem(
          'warning',
          `${ignored.map((k) => `\`${k}\``).join(' and ')} ${ignored.length > 1 ? 'are' : 'is'} ignored with \`mode: generate\`: the query is the last user turn, and Bedrock quotes the passages.`,
          range,
          'passages-generate',
        ),
      );
    return;
  }
  if (result.passageReads.length === 0 && !setting.attach)
    result.problems.push(
      problem(
        'warning',
        'The retrieved passages would not reach the model: quote them in the template (`{{#each @passages}}{{text}}{{/each}}`) or send them as blocks with `attach: searchResults` or `attach: documents`.',
        range,
        'passages-unused',
      ),
    );
  if (setting.attach === 'documents' && (setting.numberOfResults ?? 5) > CONVERSE_LIMITS.documentsPerRequest)
    result.problems.push(
      problem(
        'error',
        `Bedrock takes at most ${CONVERSE_LIMITS.documentsPerRequest} documents per request, and \`numberOfResults: ${setting.numberOfResults}\` would attach more: lower it or attach \`searchResults\`.`,
        range,
        'passages-documents',
      ),
    );
  if (
    setting.queryInput !== undefined &&
    !result.declaredInputs.has(setting.queryInput) &&
    !result.variables.some((v) => v.name === setting.queryInput)
  )
    result.problems.push(
      problem(
        'warning',
        `\`queryInput\` names \`${setting.queryInput}\`, which the prompt neither declares nor uses: declare it under \`input.schema\` so each run asks for it.`,
        range,
        'query-input',
      ),
    );
}

function checkModel(result: PromptAnalysis, ctx: AnalyzeContext): void {
  const ref = result.model;
  const range = result.modelRange;
  if (!ref || !range) return;
  const needs = {
    images: result.media.some((m) => (m.contentType ?? m.url).match(/image|\.(png|jpe?g|gif|webp)$/i) !== null),
    documents: result.media.some(
      (m) =>
        (m.contentType ?? m.url).match(
          /pdf|csv|msword|officedocument|excel|html|text\/|markdown|\.(pdf|csv|docx?|xlsx?|html?|txt|md)$/i,
        ) !== null,
    ),
    system: result.roles.some((r) => r.role === 'system'),
    tools: Array.isArray(result.frontmatter.tools) && (result.frontmatter.tools as unknown[]).length > 0,
    searchResults: knowledgeBaseSetting(result.frontmatter)?.attach === 'searchResults',
  };
  if (knowledgeBaseSetting(result.frontmatter)?.attach === 'documents') needs.documents = true;
  for (const p of modelProblems(ref.modelId, needs, ctx.catalogue))
    result.problems.push(problem(p.severity, p.message, range, p.code));

  const catalogue = ctx.catalogue;
  if (!catalogue || catalogue.foundationModels.error || catalogue.foundationModels.items.length === 0) return;
  if (resolveInCatalogue(ref, catalogue).kind === 'unknown') {
    const ids = [
      ...catalogue.foundationModels.items.map((m) => m.modelId),
      ...catalogue.inferenceProfiles.items.map((p) => p.id),
    ];
    const suggestion = closest(ref.modelId, ids, 6);
    result.problems.push(
      problem(
        'warning',
        `\`${ref.modelId}\` is not a model, inference profile, provisioned model or prompt router this account lists in this region.${suggestion ? ` Did you mean \`${suggestion}\`?` : ''}`,
        range,
        'unknown-model',
      ),
    );
  }
}
