import vscode = require('vscode');
import type { CatalogueService } from './catalogueService';
import { isChatModel } from '../../core/models/registry';

/** Every model that can run a text prompt now: on-demand text models, inference profiles, provisioned throughputs in service. */
async function runnableModelItems(catalogue: CatalogueService): Promise<vscode.QuickPickItem[]> {
  if (!catalogue.current) await catalogue.refresh();
  const c = catalogue.current;
  return [
    ...(c?.foundationModels.items ?? [])
      .filter((m) => isChatModel(m) && m.inferenceTypes.includes('ON_DEMAND') && !m.legacy)
      .map((m) => ({ label: m.modelId, description: m.modelName })),
    ...(c?.inferenceProfiles.items ?? []).map((p) => ({ label: p.id, description: p.name })),
    ...(c?.provisionedThroughputs.items ?? [])
      .filter((p) => p.status === 'InService')
      .map((p) => ({ label: p.arn, description: `${p.name} (provisioned)` })),
  ];
}

export async function pickModel(catalogue: CatalogueService, title: string): Promise<string | undefined> {
  return (await vscode.window.showQuickPick(runnableModelItems(catalogue), { title, matchOnDescription: true }))?.label;
}

/** Several models; with `unfit`, the models it names (they cannot take the prompt) are not offered. */
export async function pickModels(
  catalogue: CatalogueService,
  title: string,
  unfit?: (modelId: string) => boolean,
): Promise<string[] | undefined> {
  const all = await runnableModelItems(catalogue);
  const offered = unfit ? all.filter((i) => !unfit(i.label)) : all;
  const hidden = all.length - offered.length;
  return (
    await vscode.window.showQuickPick(offered, {
      title: hidden > 0 ? `${title} (${hidden} that cannot take this prompt are not offered)` : title,
      canPickMany: true,
      matchOnDescription: true,
    })
  )?.map((p) => p.label);
}
