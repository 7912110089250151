// The CLI's exit codes (docs/cli.md): what a CI job or a script can tell apart without reading the text.
import type { ErrorCode } from '../core/shared/bedrockError';

export const EXIT = {
  ok: 0,
  /** A test or a gate failed (prompt-lab test). */
  failed: 1,
  /** Usage, configuration, or a prompt with errors. */
  usage: 2,
  /** Credentials, access, or a model agreement. */
  access: 3,
  /** The service failed: throttled after retries, a timeout, a broken stream, a failed job. */
  service: 4,
  interrupted: 130,
} as const;

const BY_CODE: Partial<Record<ErrorCode, number>> = {
  PromptInvalid: EXIT.usage,
  Validation: EXIT.usage,
  NoRegion: EXIT.usage,
  NeedsInferenceProfile: EXIT.usage,
  NotFound: EXIT.usage,
  StreamingUnsupported: EXIT.usage,
  Untrusted: EXIT.usage,
  NoCredentials: EXIT.access,
  ExpiredCredentials: EXIT.access,
  SsoExpired: EXIT.access,
  AccessDenied: EXIT.access,
  ModelAccess: EXIT.access,
  Cancelled: EXIT.interrupted,
};

/** The exit code for an error the engine names; anything else the service did is EXIT.service. */
export function exitCodeFor(code: ErrorCode): number {
  return BY_CODE[code] ?? EXIT.service;
}
