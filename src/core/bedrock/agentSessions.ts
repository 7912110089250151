// The agent sessions this process has talked to (an AgentCore harness's or runtime's `runtimeSessionId`),
// so Continue carries a conversation on in its session: the agent keeps the history, and only the turns
// it has not seen are sent. A conversation not seen here (another window, a reload, the CLI's next
// process) starts a new session with every turn.
import { lastUserText } from '../format/converseRequest';
import type { Message } from '@aws-sdk/client-bedrock-runtime';
import { randomUUID } from 'node:crypto';

/** A message as the session remembers it: role, text (spacing aside) and tool-call ids, nothing else. */
function fingerprint(m: Message): string {
  return JSON.stringify([
    m.role,
    (m.content ?? []).map((b) =>
      b.text !== undefined
        ? b.text.replace(/\s+/g, ' ').trim()
        : b.toolUse
          ? `use:${b.toolUse.toolUseId}`
          : b.toolResult
            ? `result:${b.toolResult.toolUseId}`
            : b.citationsContent
              ? (b.citationsContent.content ?? [])
                  .map((c) => c.text ?? '')
                  .join('')
                  .replace(/\s+/g, ' ')
                  .trim()
              : '',
    ),
  ]);
}

/**
 * The last user turn's text, for an agent that takes one question per call (a runtime's `{"prompt"}`, a
 * classic agent's `inputText`), and what a new session misses when the conversation had earlier turns.
 */
export function lastTurnOnly(messages: readonly Message[], seen: number, fix: string): { text: string; note?: string } {
  const text = lastUserText([...messages]);
  return messages.length > 1 && seen === 0
    ? { text, note: `a new session got the last user turn only: ${fix}` }
    : { text };
}

/** The most sessions remembered (each is a few fingerprints); the oldest is forgotten first. */
const SESSIONS_KEPT = 100;

export class AgentSessions {
  private readonly known: { agent: string; sessionId: string; seen: string[] }[] = [];

  /** The session to send `messages` in, and how many of them it has already seen. */
  resume(agent: string, messages: readonly Message[]): { sessionId: string; seen: number } {
    const prints = messages.map(fingerprint);
    let best: { sessionId: string; seen: string[] } | undefined;
    for (const k of this.known)
      if (
        k.agent === agent &&
        k.seen.length < prints.length &&
        k.seen.every((p, i) => p === prints[i]) &&
        k.seen.length > (best?.seen.length ?? 0)
      )
        best = k;
    // The service's session ids are 33 to 256 characters.
    return best ? { sessionId: best.sessionId, seen: best.seen.length } : { sessionId: `bpl-${randomUUID()}`, seen: 0 };
  }

  /** What the session holds after an invocation (the turns sent and the answer the agent kept). */
  remember(agent: string, sessionId: string, conversation: readonly Message[]): void {
    const at = this.known.findIndex((k) => k.agent === agent && k.sessionId === sessionId);
    if (at >= 0) this.known.splice(at, 1);
    this.known.push({ agent, sessionId, seen: conversation.map(fingerprint) });
    if (this.known.length > SESSIONS_KEPT) this.known.splice(0, this.known.length - SESSIONS_KEPT);
  }
}
