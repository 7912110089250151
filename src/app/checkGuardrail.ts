// "Check with Guardrail" and `prompt-lab guardrail check`: a text through ApplyGuardrail, as the input
// a user sends or as a model's output (the service needs to know which), and what the guardrail did.
import { BedrockError } from '../core/shared/bedrockError';
import { toBedrockError } from '../core/bedrock/errors';
import { applyReport, checksReport, GUARDRAIL_CHECKS, type GuardrailReport } from '../core/bedrock/guardrails';
import type { Host } from './host';

export interface GuardrailCheck {
  /** The guardrail's ID or ARN; none: InvokeGuardrailChecks scores the text without a guardrail. */
  guardrail?: string;
  /** `DRAFT` or a version number. */
  version?: string;
  source: 'INPUT' | 'OUTPUT';
  text: string;
}

export async function checkWithGuardrail(
  host: Host,
  check: GuardrailCheck,
  signal?: AbortSignal,
): Promise<GuardrailReport> {
  if (check.text.trim() === '')
    throw new BedrockError('Validation', 'There is no text to check: select some text, or check a file that has some.');
  try {
    if (!check.guardrail) {
      const scored = await host.clients().runtime.invokeGuardrailChecks(
        {
          messages: [{ role: check.source === 'INPUT' ? 'user' : 'assistant', content: [{ text: check.text }] }],
          checks: structuredClone(GUARDRAIL_CHECKS) as never,
        },
        signal,
      );
      return checksReport(scored, check.text);
    }
    const out = await host.clients().runtime.applyGuardrail(
      {
        guardrailIdentifier: check.guardrail,
        guardrailVersion: check.version ?? 'DRAFT',
        source: check.source,
        content: [{ text: { text: check.text } }],
      },
      signal,
    );
    return applyReport(out, check.source === 'INPUT' ? 'input' : 'output');
  } catch (err) {
    throw toBedrockError(err, {
      operation: check.guardrail ? `check with guardrail ${check.guardrail}` : 'guardrail checks',
      profile: host.profile(),
    });
  }
}
