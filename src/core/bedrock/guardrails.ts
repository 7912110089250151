// What a guardrail did, in plain words: read once from a run's trace (`trace.guardrail`), an
// ApplyGuardrail answer, for the editor, the CLI, tests and the run record. Which policy, what it did
// (blocked, masked), the matched text, Automated Reasoning findings, and where the guardrail came from
// (the prompt, or enforced by the account or the organisation without the prompt naming one).
import type {
  GuardrailAssessment,
  GuardrailTraceAssessment,
  ApplyGuardrailResponse,
  InvokeGuardrailChecksResponse,
} from '@aws-sdk/client-bedrock-runtime';

export interface GuardrailReport {
  /** Whether any guardrail intervened (blocked or masked). */
  intervened: boolean;
  /** Why, as the service put it (`actionReason`). */
  reason?: string;
  /** One line per finding: `denied topic "Investment advice": blocked (input)`. */
  findings: string[];
  /** The masked or replacement text the guardrail gave, when it gave one. */
  outputs?: string[];
  /** Scores from InvokeGuardrailChecks: no guardrail acted, so nothing passed or was blocked. */
  scoresOnly?: boolean;
}

const ORIGIN: Record<string, string> = {
  REQUEST: 'named in the request',
  ACCOUNT_ENFORCED: 'enforced by the account',
  ORGANIZATION_ENFORCED: 'enforced by the organization',
};

/** The findings of one assessment as lines (`where` says which side: input, output), and whether it acted. */
function assessmentFindings(a: GuardrailAssessment, where: string): { lines: string[]; intervened: boolean } {
  const out: string[] = [];
  let intervened = false;
  const acted = (action: string | undefined, detected: boolean | undefined): string => {
    if (action === 'BLOCKED' || action === 'ANONYMIZED') intervened = true;
    if (action === 'BLOCKED') return 'blocked';
    if (action === 'ANONYMIZED') return 'masked';
    return detected ? 'detected (not acted on)' : 'allowed';
  };
  for (const t of a.topicPolicy?.topics ?? [])
    out.push(`denied topic "${t.name}": ${acted(t.action, t.detected)} (${where})`);
  for (const f of a.contentPolicy?.filters ?? [])
    out.push(`content filter ${f.type} (${f.confidence} confidence): ${acted(f.action, f.detected)} (${where})`);
  for (const w of a.wordPolicy?.customWords ?? [])
    out.push(`word "${w.match}": ${acted(w.action, w.detected)} (${where})`);
  for (const w of a.wordPolicy?.managedWordLists ?? [])
    out.push(`${w.type} word list "${w.match}": ${acted(w.action, w.detected)} (${where})`);
  for (const p of a.sensitiveInformationPolicy?.piiEntities ?? [])
    out.push(`PII ${p.type} "${p.match}": ${acted(p.action, p.detected)} (${where})`);
  for (const r of a.sensitiveInformationPolicy?.regexes ?? [])
    out.push(`pattern ${r.name ?? ''} "${r.match}": ${acted(r.action, r.detected)} (${where})`);
  for (const g of a.contextualGroundingPolicy?.filters ?? [])
    out.push(`grounding ${g.type} score ${g.score} below ${g.threshold}: ${acted(g.action, g.detected)} (${where})`);
  for (const finding of a.automatedReasoningPolicy?.findings ?? [])
    out.push(
      `Automated Reasoning: ${
        Object.keys(finding)
          .filter((k) => k !== '$unknown')
          .join(', ') || 'finding'
      } (${where})`,
    );
  const d = a.appliedGuardrailDetails;
  if (d?.guardrailOrigin?.length)
    out.push(
      `guardrail ${d.guardrailId ?? d.guardrailArn ?? ''}${d.guardrailVersion === 'DRAFT' ? ' (draft)' : d.guardrailVersion ? ` v${d.guardrailVersion}` : ''}: ${d.guardrailOrigin.map((o) => ORIGIN[o] ?? o).join(', ')}`,
    );
  return { lines: out, intervened };
}

/**
 * What the guardrails did during a call: its trace (a prompt's `bedrock.guardrail` with the trace on, or one
 * the account or organisation enforces), and the stop reason, which says a guardrail intervened even with
 * the trace off. The one reading: runs, prompt tests and the editor's comment all take it from here.
 */
export function guardrailVerdict(outcome: {
  guardrailTrace?: GuardrailTraceAssessment;
  stopReason?: string;
}): GuardrailReport | undefined {
  const trace = outcome.guardrailTrace;
  const assessed = [
    ...Object.values(trace?.inputAssessment ?? {}).map((a) => assessmentFindings(a, 'input')),
    ...Object.values(trace?.outputAssessments ?? {}).flatMap((list) =>
      list.map((a) => assessmentFindings(a, 'output')),
    ),
  ];
  const stopped = outcome.stopReason === 'guardrail_intervened';
  const findings = assessed.flatMap((a) => a.lines);
  if (findings.length === 0 && !trace?.actionReason && !stopped) return undefined;
  return {
    intervened: stopped || assessed.some((a) => a.intervened),
    reason: trace?.actionReason,
    findings,
    outputs: trace?.modelOutput,
  };
}

/** What ApplyGuardrail said about a text. */
export function applyReport(
  r: Pick<ApplyGuardrailResponse, 'action' | 'actionReason' | 'assessments' | 'outputs'>,
  where: string,
): GuardrailReport {
  return {
    intervened: r.action === 'GUARDRAIL_INTERVENED',
    reason: r.actionReason,
    findings: (r.assessments ?? []).flatMap((a) => assessmentFindings(a, where).lines),
    outputs: (r.outputs ?? []).map((o) => o.text ?? ''),
  };
}

/** The report as lines for a comment, the terminal or a Markdown panel. */
export function reportLines(r: GuardrailReport): string[] {
  const verdict = r.scoresOnly
    ? 'scores from guardrail checks (no guardrail, so nothing was blocked)'
    : r.intervened
      ? `intervened${r.reason ? `: ${r.reason}` : ''}`
      : `passed${r.reason ? `: ${r.reason}` : ''}`;
  return [verdict, ...r.findings];
}

/** The categories InvokeGuardrailChecks is asked to score (all it offers for text). */
export const GUARDRAIL_CHECKS = {
  contentFilter: {
    categories: ['HATE', 'INSULTS', 'MISCONDUCT', 'SEXUAL', 'VIOLENCE'].map((category) => ({ category })),
  },
  promptAttack: { categories: ['JAILBREAK', 'PROMPT_INJECTION', 'PROMPT_LEAKAGE'].map((category) => ({ category })) },
  sensitiveInformation: {
    entities: [
      'EMAIL',
      'PHONE',
      'NAME',
      'ADDRESS',
      'CREDIT_DEBIT_CARD_NUMBER',
      'US_SOCIAL_SECURITY_NUMBER',
      'PASSWORD',
      'AWS_ACCESS_KEY',
      'AWS_SECRET_KEY',
    ].map((type) => ({ type })),
  },
} as const;

/**
 * What InvokeGuardrailChecks scored (no guardrail resource: nothing is blocked, so `intervened` is
 * false): each category's severity from 0 to 1, each piece of personal information found and where.
 */
export function checksReport(r: Pick<InvokeGuardrailChecksResponse, 'results'>, text: string): GuardrailReport {
  const score = (n: number | undefined) => (n ?? 0).toFixed(2);
  const findings = [
    ...(r.results?.contentFilter?.results ?? []).map(
      (e) => `content filter ${e.category}: severity ${score(e.severityScore)}`,
    ),
    ...(r.results?.promptAttack?.results ?? []).map(
      (e) => `prompt attack ${e.category}: severity ${score(e.severityScore)}`,
    ),
    ...(r.results?.sensitiveInformation?.results ?? []).map(
      (e) =>
        `PII ${e.type} "${text.slice(e.beginOffset ?? 0, e.endOffset ?? 0)}" (characters ${e.beginOffset}–${(e.endOffset ?? 1) - 1}): confidence ${score(e.confidenceScore)}`,
    ),
  ];
  return { intervened: false, scoresOnly: true, findings };
}
