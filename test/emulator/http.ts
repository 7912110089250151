// Transport-neutral request/response helpers shared by the runtime, control-plane and S3 handlers.
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Http2ServerRequest, Http2ServerResponse } from 'node:http2';
import { HTTP_ERRORS, type HttpErrorKind } from './faults';

export type AnyRequest = IncomingMessage | Http2ServerRequest;
export type AnyResponse = ServerResponse | Http2ServerResponse;

export interface RequestContext {
  req: AnyRequest;
  res: AnyResponse;
  method: string;
  /** Raw path split on '/' first, then each segment decoded (labels are percent-encoded per segment). */
  segments: string[];
  query: URLSearchParams;
  body: Buffer;
  region: string;
  requestId: string;
  httpVersion: string;
}

export class ServiceError extends Error {
  constructor(
    readonly status: number,
    readonly type: string,
    message: string,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(message);
  }
  static of(kind: HttpErrorKind, message?: string): ServiceError {
    const e = HTTP_ERRORS[kind];
    return new ServiceError(e.status, e.type, message ?? e.message);
  }
  static validation(message: string): ServiceError {
    return new ServiceError(400, 'ValidationException', message);
  }
  static notFound(message: string): ServiceError {
    return new ServiceError(404, 'ResourceNotFoundException', message);
  }
}

export function newRequestId(): string {
  return randomUUID();
}

export function sendJson(ctx: RequestContext, status: number, payload: unknown): void {
  const text = JSON.stringify(payload);
  ctx.res.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
    'x-amzn-requestid': ctx.requestId,
  });
  ctx.res.end(text);
}

export function sendError(ctx: RequestContext, error: ServiceError): void {
  const text = JSON.stringify({ message: error.message, ...error.extra });
  ctx.res.writeHead(error.status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
    'x-amzn-requestid': ctx.requestId,
    'x-amzn-errortype': `${error.type}:http://internal.amazon.com/coral/com.amazon.bedrock/`,
  });
  ctx.res.end(text);
}

/** The region from the SigV4 credential scope (`Credential=AKID/DATE/REGION/bedrock/aws4_request`). */
export function regionOf(req: AnyRequest): string {
  const auth = String(req.headers['authorization'] ?? '');
  const m = /Credential=[^/]+\/\d{8}\/([a-z0-9-]+)\//.exec(auth);
  return m?.[1] ?? 'us-east-1';
}

export function parseJsonBody<T>(ctx: RequestContext): T {
  if (ctx.body.length === 0) return {} as T;
  try {
    return JSON.parse(ctx.body.toString('utf8')) as T;
  } catch {
    throw ServiceError.validation('Malformed input request, please reformat your input and try again.');
  }
}

/** The service's "must not be null" check, field by field, in its words. */
export function requireFields(body: Record<string, unknown>, fields: readonly string[]): void {
  for (const field of fields) {
    if (!body[field])
      throw ServiceError.validation(
        `1 validation error detected: Value null at '${field}' failed to satisfy constraint: Member must not be null`,
      );
  }
}

/** The service's check of an IAM role ARN, in its words. */
export function requireRoleArn(roleArn: unknown): void {
  if (typeof roleArn !== 'string' || !/^arn:aws[a-z-]*:iam::\d{12}:role\/.+/.test(roleArn))
    throw ServiceError.validation(
      `1 validation error detected: Value '${String(roleArn)}' at 'roleArn' failed to satisfy constraint: Member must satisfy regular expression pattern: ^arn:aws(-[^:]+)?:iam::([0-9]{12})?:role/.+$`,
    );
}
