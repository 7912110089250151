// "Check with Guardrail" and `prompt-lab guardrail check`: a text through ApplyGuardrail, as the input
// a user sends or as a model's output (the service needs to know which), and what the guardrail did.
import { BedrockError } from '../core/shared/bedrockError';
import { toBedrockError } from '../core/bedrock/errors';
import { applyReport, type GuardrailReport } from '../core/bedrock/guardrails';
import type { Host } from './host';

export interface GuardrailCheck {
  /** The guardrail's ID or ARN. */
  guardrail: string;
  /** `DRAFT` or a version number. */
  version: string;
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
    const out = await host.clients().runtime.applyGuardrail(
      {
        guardrailIdentifier: check.guardrail,
        guardrailVersion: check.version,
        source: check.source,
        content: [{ text: { text: check.text } }],
      },
      signal,
    );
    return applyReport(out, check.source === 'INPUT' ? 'input' : 'output');
  } catch (err) {
    throw toBedrockError(err, { operation: `check with guardrail ${check.guardrail}`, profile: host.profile() });
  }
}
