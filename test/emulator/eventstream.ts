// Binary eventstream frames (application/vnd.amazon.eventstream), encoded with the same codec the SDK
// decodes with, so the framing and CRCs are right by construction.
import { EventStreamCodec } from '@smithy/eventstream-codec';

const codec = new EventStreamCodec(
  (bytes: Uint8Array) => Buffer.from(bytes).toString('utf8'),
  (text: string) => new Uint8Array(Buffer.from(text, 'utf8')),
);

function stringHeader(value: string) {
  return { type: 'string' as const, value };
}

/** A `:message-type: event` frame, e.g. eventFrame('contentBlockDelta', {...}). */
export function eventFrame(eventType: string, payload: unknown): Uint8Array {
  return codec.encode({
    headers: {
      ':event-type': stringHeader(eventType),
      ':content-type': stringHeader('application/json'),
      ':message-type': stringHeader('event'),
    },
    body: new Uint8Array(Buffer.from(JSON.stringify(payload), 'utf8')),
  });
}

/** A modelled exception inside the stream; `exceptionType` is the camelCase union member name. */
export function exceptionFrame(exceptionType: string, payload: Record<string, unknown>): Uint8Array {
  return codec.encode({
    headers: {
      ':exception-type': stringHeader(exceptionType),
      ':content-type': stringHeader('application/json'),
      ':message-type': stringHeader('exception'),
    },
    body: new Uint8Array(Buffer.from(JSON.stringify(payload), 'utf8')),
  });
}

export function decodeFrame(frame: Uint8Array) {
  return codec.decode(frame);
}
