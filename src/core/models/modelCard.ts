// The model card: everything the explorer's tooltip and the .prompt hover say about a model.
import { reachability, type FoundationModel } from './catalogue';
import { converseFeatures, CUSTOMIZATION_KINDS, isChatModel, type Customization } from './registry';

/** Modality names as the card and the badges say them. */
const MOD: Record<string, string> = {
  TEXT: 'text',
  IMAGE: 'image',
  EMBEDDING: 'embedding',
  VIDEO: 'video',
  SPEECH: 'speech',
  AUDIO: 'audio',
};
const REACH: Record<string, string> = {
  'on-demand': 'on demand',
  'inference-profile': 'only through an inference profile',
  provisioned: 'only with Provisioned Throughput',
  unknown: 'unknown',
};

export interface PriceInfo {
  inputPer1k: number;
  outputPer1k: number;
  source: string;
}

export function modelCardMarkdown(
  m: FoundationModel,
  extras: {
    price?: PriceInfo;
    limits?: { contextWindow: number; maxOutputTokens: number; asOf: string };
    profiles?: string[];
  } = {},
): string {
  const f = converseFeatures(m.modelId);
  const converse = isChatModel(m);
  const yes = (b: boolean) => (b ? 'yes' : 'no');
  const lines = [
    `**${m.modelName}** · ${m.provider}${m.legacy ? ' · _legacy_' : ''}`,
    '',
    `\`${m.modelId}\``,
    '',
    `| | |`,
    `|---|---|`,
    `| input | ${m.inputModalities.map((x) => MOD[x] ?? x).join(', ') || '?'} |`,
    `| output | ${m.outputModalities.map((x) => MOD[x] ?? x).join(', ') || '?'} |`,
    `| streaming | ${m.streaming === undefined ? 'n/a' : yes(m.streaming)} |`,
    `| runs | ${REACH[reachability(m)]} |`,
    `| customization | ${m.customizations.map((c) => CUSTOMIZATION_KINDS[c as Customization]?.name ?? c).join(', ') || 'none'} |`,
  ];
  if (converse) {
    lines.push(
      `| Converse: system prompt | ${yes(f.systemPrompt)} |`,
      `| Converse: images | ${yes(m.inputModalities.includes('IMAGE'))} |`,
      `| Converse: documents | ${yes(f.documents)} |`,
      `| Converse: tools | ${yes(f.tools)} |`,
    );
  } else {
    lines.push('| Converse | not a chat model |');
  }
  if (extras.limits) {
    const n = (v: number) => v.toLocaleString('en-US');
    lines.push(
      `| context window | ${n(extras.limits.contextWindow)} tokens (as of ${extras.limits.asOf}) |`,
      `| most output per call | ${n(extras.limits.maxOutputTokens)} tokens (as of ${extras.limits.asOf}) |`,
    );
  }
  if (extras.price)
    lines.push(
      `| price / 1K tokens | $${extras.price.inputPer1k} in · $${extras.price.outputPer1k} out (${extras.price.source}) |`,
    );
  if (extras.profiles && extras.profiles.length > 0)
    lines.push(`| inference profiles | ${extras.profiles.map((p) => `\`${p}\``).join(', ')} |`);
  return lines.join('\n');
}

const CUSTOMIZATION_SHORT: Record<string, string> = {
  FINE_TUNING: 'fine-tune',
  CONTINUED_PRE_TRAINING: 'pre-train',
  DISTILLATION: 'distill',
};

function modalities(list: string[]): string {
  return list.map((m) => MOD[m] ?? m.toLowerCase()).join('+') || '?';
}

/** The one-line badges shown after a model's name. */
export function modelBadges(m: FoundationModel): string {
  const parts = [`${modalities(m.inputModalities)}→${modalities(m.outputModalities)}`];
  if (m.streaming) parts.push('streaming');
  const reach = reachability(m);
  if (reach === 'inference-profile') parts.push('profile only');
  if (reach === 'provisioned') parts.push('provisioned only');
  if (m.customizations.length > 0) parts.push(m.customizations.map((c) => CUSTOMIZATION_SHORT[c] ?? c).join(', '));
  if (m.legacy) parts.push('legacy');
  return parts.join(' · ');
}
