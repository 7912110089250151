// Guardrails: the account's guardrail (ListGuardrails), ApplyGuardrail, and a guardrail on Converse
// (input checked before the model, the answer blocked, `trace.guardrail` when the trace is on). The
// policy is small and fixed so tests can predict it: a denied topic (investment advice: "invest",
// "stock"), a blocked word ("darn"), email addresses masked. An account-enforced guardrail applies to
// any call whose last message holds `[[account-guardrail]]` (the emulator's marker), as an account's or
// an organisation's enforced guardrail applies without the prompt naming one. Shapes [sdk]; the blocked
// message is the console's default [docs]; the rest of the behaviour stands in for the service.
import { ACCOUNT_ID } from './state';
import { ServiceError, parseJsonBody, sendJson, type RequestContext } from './http';

export const GUARDRAIL_ID = 'gr5upp0rt01';
export const ENFORCED_GUARDRAIL_ID = 'gracc0unt01';
const CREATED = '2025-06-02T09:00:00Z';
const BLOCKED = 'Sorry, the model cannot answer this question.';

interface Assessment {
  topicPolicy?: { topics: { name: string; type: 'DENY'; action: 'BLOCKED'; detected: true }[] };
  wordPolicy?: { customWords: { match: string; action: 'BLOCKED'; detected: true }[]; managedWordLists: [] };
  sensitiveInformationPolicy?: {
    piiEntities: { match: string; type: 'EMAIL'; action: 'ANONYMIZED'; detected: true }[];
    regexes: [];
  };
  appliedGuardrailDetails: {
    guardrailId: string;
    guardrailVersion: string;
    guardrailArn: string;
    guardrailOrigin: ('REQUEST' | 'ACCOUNT_ENFORCED')[];
  };
}

export interface Verdict {
  blocked: boolean;
  masked: boolean;
  assessment: Assessment;
  /** The text with emails masked. */
  text: string;
}

/** The fixed policy applied to a text. */
export function judge(text: string, id: string, version: string, origin: 'REQUEST' | 'ACCOUNT_ENFORCED'): Verdict {
  const assessment: Assessment = {
    appliedGuardrailDetails: {
      guardrailId: id,
      guardrailVersion: version,
      guardrailArn: `arn:aws:bedrock:us-east-1:${ACCOUNT_ID}:guardrail/${id}`,
      guardrailOrigin: [origin],
    },
  };
  let blocked = false;
  if (origin === 'ACCOUNT_ENFORCED' || /\b(invest\w*|stocks?)\b/i.test(text)) {
    assessment.topicPolicy = {
      topics: [{ name: 'Investment advice', type: 'DENY', action: 'BLOCKED', detected: true }],
    };
    blocked = true;
  }
  const word = /\bdarn\b/i.exec(text);
  if (word) {
    assessment.wordPolicy = {
      customWords: [{ match: word[0], action: 'BLOCKED', detected: true }],
      managedWordLists: [],
    };
    blocked = true;
  }
  const emails = text.match(/[\w.+-]+@[\w-]+\.[\w.]+/g) ?? [];
  if (emails.length > 0)
    assessment.sensitiveInformationPolicy = {
      piiEntities: emails.map((match) => ({ match, type: 'EMAIL', action: 'ANONYMIZED', detected: true })),
      regexes: [],
    };
  return {
    blocked,
    masked: emails.length > 0,
    assessment,
    text: emails.reduce((t, e) => t.replace(e, '{EMAIL}'), text),
  };
}

function summary(version: string) {
  return {
    id: GUARDRAIL_ID,
    arn: `arn:aws:bedrock:us-east-1:${ACCOUNT_ID}:guardrail/${GUARDRAIL_ID}`,
    status: 'READY',
    name: 'support-safety',
    description: 'No investment advice, no rude words, emails masked.',
    version,
    createdAt: CREATED,
    updatedAt: CREATED,
  };
}

function known(id: string, version: string): void {
  const bare = id.split('/').pop();
  if (bare !== GUARDRAIL_ID) throw ServiceError.notFound(`The guardrail ${id} was not found.`);
  if (version !== 'DRAFT' && version !== '1')
    throw ServiceError.notFound(`The guardrail ${id} has no version ${version}.`);
}

/** The guardrail's checks on a Converse call: undefined when no guardrail applies. */
export function converseGuardrail(body: {
  guardrailConfig?: Record<string, unknown>;
  messages?: { content: Record<string, unknown>[] }[];
}): { verdict: Verdict; id: string; trace: boolean } | undefined {
  const last = (body.messages?.at(-1)?.content ?? []).map((b) => (typeof b.text === 'string' ? b.text : '')).join('');
  const config = body.guardrailConfig as
    { guardrailIdentifier?: string; guardrailVersion?: string; trace?: string } | undefined;
  if (last.includes('[[account-guardrail]]'))
    return {
      verdict: judge(last, ENFORCED_GUARDRAIL_ID, '1', 'ACCOUNT_ENFORCED'),
      id: ENFORCED_GUARDRAIL_ID,
      trace: true,
    };
  if (!config) return undefined;
  const id = String(config.guardrailIdentifier ?? '');
  const version = String(config.guardrailVersion ?? '');
  known(id, version);
  return {
    verdict: judge(last, GUARDRAIL_ID, version, 'REQUEST'),
    id: GUARDRAIL_ID,
    trace: config.trace === 'enabled' || config.trace === 'enabled_full',
  };
}

/** The answer's replacement and trace when the guardrail intervened on the input. */
export function blockedAnswer(g: { verdict: Verdict; id: string; trace: boolean }) {
  return {
    text: BLOCKED,
    trace: g.trace
      ? {
          guardrail: {
            inputAssessment: { [g.id]: g.verdict.assessment },
            actionReason: 'Guardrail blocked.',
          },
        }
      : undefined,
  };
}

/** The trace of a call the guardrail let through (what it looked at, and found). */
export function passedTrace(g: { verdict: Verdict; id: string; trace: boolean }) {
  return g.trace ? { guardrail: { inputAssessment: { [g.id]: g.verdict.assessment } } } : undefined;
}

export function handleGuardrails(ctx: RequestContext): boolean {
  const [a, b, c, d, e] = ctx.segments;
  if (ctx.method === 'GET' && a === 'guardrails') {
    const id = ctx.query.get('guardrailIdentifier');
    const guardrails = id ? (known(id, 'DRAFT'), [summary('DRAFT'), summary('1')]) : [summary('DRAFT')];
    sendJson(ctx, 200, { guardrails });
    return true;
  }
  if (ctx.method === 'POST' && a === 'guardrail' && c === 'version' && e === 'apply') {
    known(b, d);
    const body = parseJsonBody<{ source?: string; content?: { text?: { text?: string } }[] }>(ctx);
    if (body.source !== 'INPUT' && body.source !== 'OUTPUT')
      throw ServiceError.validation(
        `1 validation error detected: Value '${body.source}' at 'source' failed to satisfy constraint: Member must satisfy enum value set: [INPUT, OUTPUT]`,
      );
    const text = (body.content ?? []).map((x) => x.text?.text ?? '').join('\n');
    const v = judge(text, GUARDRAIL_ID, d, 'REQUEST');
    const intervened = v.blocked || v.masked;
    sendJson(ctx, 200, {
      usage: {
        topicPolicyUnits: 1,
        contentPolicyUnits: 1,
        wordPolicyUnits: 1,
        sensitiveInformationPolicyUnits: 1,
        sensitiveInformationPolicyFreeUnits: 0,
        contextualGroundingPolicyUnits: 0,
      },
      action: intervened ? 'GUARDRAIL_INTERVENED' : 'NONE',
      ...(intervened ? { actionReason: v.blocked ? 'Guardrail blocked.' : 'Guardrail masked.' } : {}),
      outputs: intervened ? [{ text: v.blocked ? BLOCKED : v.text }] : [],
      assessments: [v.assessment],
    });
    return true;
  }
  return false;
}

/**
 * InvokeGuardrailChecks (`POST /guardrail-checks/invoke`): scores without a guardrail resource. The
 * scores are the emulator's [guess]: violence and prompt-attack words score high, everything else low;
 * emails are found with their offsets. Only the categories asked for are scored.
 */
export function handleGuardrailChecks(ctx: RequestContext): boolean {
  if (!(ctx.method === 'POST' && ctx.segments[0] === 'guardrail-checks' && ctx.segments[1] === 'invoke')) return false;
  const body = parseJsonBody<{
    messages?: { role?: string; content?: { text?: string }[] }[];
    checks?: {
      contentFilter?: { categories?: { category: string }[] };
      promptAttack?: { categories?: { category: string }[] };
      sensitiveInformation?: { entities?: { type: string }[] };
    };
  }>(ctx);
  if (!Array.isArray(body.messages) || body.messages.length === 0)
    throw ServiceError.validation(
      "1 validation error detected: Value null at 'messages' failed to satisfy constraint: Member must not be null",
    );
  if (!body.checks)
    throw ServiceError.validation(
      "1 validation error detected: Value null at 'checks' failed to satisfy constraint: Member must not be null",
    );
  const texts = body.messages.map((m) => (m.content ?? []).map((c) => c.text ?? ''));
  const all = texts.flat().join('\n');
  const severity = (hit: boolean) => (hit ? 0.91 : 0.02);
  const results: Record<string, unknown> = {};
  const usage: Record<string, unknown> = {};
  const units = Math.max(1, Math.ceil(all.length / 1000));
  if (body.checks.contentFilter) {
    results.contentFilter = {
      results: (body.checks.contentFilter.categories ?? []).map(({ category }) => ({
        category,
        severityScore: severity(category === 'VIOLENCE' && /\b(kill|hurt|attack)\b/i.test(all)),
      })),
    };
    usage.contentFilter = { textUnits: units };
  }
  if (body.checks.promptAttack) {
    results.promptAttack = {
      results: (body.checks.promptAttack.categories ?? []).map(({ category }) => ({
        category,
        severityScore: severity(
          (category === 'JAILBREAK' || category === 'PROMPT_INJECTION') &&
            /ignore (all )?(previous|prior) instructions/i.test(all),
        ),
      })),
    };
    usage.promptAttack = { textUnits: units };
  }
  if (body.checks.sensitiveInformation) {
    const wanted = new Set((body.checks.sensitiveInformation.entities ?? []).map((e) => e.type));
    const found: Record<string, unknown>[] = [];
    if (wanted.has('EMAIL'))
      texts.forEach((contents, messageIndex) =>
        contents.forEach((text, contentIndex) => {
          for (const m of text.matchAll(/[\w.+-]+@[\w-]+\.[\w.]+/g))
            found.push({
              type: 'EMAIL',
              confidenceScore: 0.99,
              beginOffset: m.index,
              endOffset: m.index + m[0].length,
              messageIndex,
              contentIndex,
            });
        }),
      );
    results.sensitiveInformation = { results: found };
    usage.sensitiveInformation = { textUnits: units };
  }
  sendJson(ctx, 200, { results, usage });
  return true;
}
