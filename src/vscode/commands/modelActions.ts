import vscode = require('vscode');
import { currentPromptEditor } from '../host/promptEditor';
import type { ModelFilter } from '../../core/models/modelFilter';
import { BedrockError } from '../../core/shared/bedrockError';
import type { CatalogueService } from '../host/catalogueService';
import { setModelInPrompt } from '../language/setModel';
import { provisionedAndBase, runnableId } from '../../core/models/catalogue';
import type { Services } from '../services';
import type { ModelNode, ModelsTreeProvider } from '../views/modelsTree';
import { newPrompt } from './newPrompt';

/** What the model actions use from the extension's services. */
export type ModelActionServices = Pick<Services, 'catalogue' | 'runs' | 'analyses' | 'session'>;

/** What a Models view node (or a model id given to the command) runs as. */
function runnable(d: ModelActionServices, node: ModelNode | string): string {
  return typeof node === 'string' ? node : runnableId(node, d.catalogue.current, d.session.region);
}

export async function useInPrompt(d: ModelActionServices, node: ModelNode | string): Promise<string> {
  const id = runnable(d, node);
  await setModelInPrompt(currentPromptEditor('the model is set in the prompt you are editing'), id, d.analyses);
  return id;
}

export async function newPromptWithModel(
  d: ModelActionServices,
  node: ModelNode | string,
): Promise<vscode.Uri | undefined> {
  return newPrompt(d.catalogue, { model: runnable(d, node) });
}

/** The node's model ids for Compare: every selected node, or the clicked one. */
export function runnableIds(d: ModelActionServices, nodes: readonly ModelNode[]): string[] {
  return nodes.map((n) => runnable(d, n));
}

export async function runWithModel(d: ModelActionServices, node: ModelNode | string) {
  const modelId = runnable(d, node);
  return d.runs.run({
    uri: currentPromptEditor('the model is set in the prompt you are editing').document.uri.toString(),
    modelId,
  });
}

export async function copyId(node: ModelNode, arn: boolean): Promise<string> {
  const value =
    node.kind === 'model'
      ? arn
        ? node.model.modelArn
        : node.model.modelId
      : node.kind === 'profile'
        ? arn
          ? node.profile.arn
          : node.profile.id
        : node.kind === 'custom'
          ? node.model.arn
          : node.kind === 'provisioned'
            ? node.throughput.arn
            : node.kind === 'router'
              ? node.router.arn
              : node.kind === 'deployment'
                ? node.deployment.arn
                : node.kind === 'imported'
                  ? node.model.arn
                  : '';
  await vscode.env.clipboard.writeText(value);
  void vscode.window.setStatusBarMessage(`Copied ${value}`, 3000);
  return value;
}

const FILTER_OPTIONS: { key: keyof ModelFilter; label: string; detail: string }[] = [
  { key: 'text', label: 'Text and chat models', detail: 'generate text (what Converse runs)' },
  { key: 'image', label: 'Image models', detail: 'generate images' },
  { key: 'embedding', label: 'Embedding models', detail: 'produce embeddings' },
  { key: 'streaming', label: 'Can stream', detail: 'support ConverseStream' },
  { key: 'fineTunable', label: 'Can be customized', detail: 'fine-tuning, continued pre-training or distillation' },
  { key: 'hideLegacy', label: 'Hide legacy models', detail: 'models past their active lifecycle' },
];

/** Toggles the filters (a quick pick), or sets them directly when given (other commands, tests). */
export async function filterModels(tree: ModelsTreeProvider, given?: ModelFilter): Promise<ModelFilter | undefined> {
  if (given) {
    await tree.setFilter(given);
    return given;
  }
  const current = tree.filter;
  const picks = await vscode.window.showQuickPick(
    FILTER_OPTIONS.map((o) => ({ label: o.label, detail: o.detail, key: o.key, picked: current[o.key] === true })),
    {
      canPickMany: true,
      title: 'Filter models',
      placeHolder: 'Kinds are alternatives (any of them); the rest must all hold',
    },
  );
  if (!picks) return undefined;
  const next: ModelFilter = { search: current.search };
  for (const p of picks) (next as Record<string, unknown>)[p.key] = true;
  await tree.setFilter(next);
  return next;
}

export async function searchModels(tree: ModelsTreeProvider, given?: string): Promise<string | undefined> {
  const search =
    given ??
    (await vscode.window.showInputBox({
      title: 'Search models',
      prompt: 'Words to find in the name, id or provider',
      value: tree.filter.search ?? '',
    }));
  if (search === undefined) return undefined;
  await tree.setFilter({ ...tree.filter, search });
  return search;
}

/**
 * A custom model beside its base model: the custom model through its provisioned throughput, the base
 * model on demand (the customization variant's `:NNk` suffix, and a bare `:0` where needed, removed).
 */
export function customAndBaseModels(node: ModelNode, catalogue: CatalogueService): string[] {
  const c = catalogue.current;
  const ref = node.kind === 'custom' ? node.model.arn : node.kind === 'provisioned' ? node.throughput.arn : undefined;
  if (!ref)
    throw new BedrockError(
      'Validation',
      'Pick a custom model (or its provisioned throughput) in the Models view to compare it with its base model.',
    );
  const found = c && provisionedAndBase(ref, c);
  if (!found)
    throw new BedrockError(
      'Validation',
      node.kind === 'custom'
        ? `${node.model.name} runs only through Provisioned Throughput, and none is in service for it: create one from the Customization Jobs view first.`
        : 'The base model of this provisioned throughput is not in the model list: refresh the Models view.',
    );
  return [found.arn, found.base];
}
