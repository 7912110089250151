// Prompt Management (bedrock-agent): CreatePrompt (POST /prompts/, 201), UpdatePrompt (PUT /prompts/{id}/),
// GetPrompt (GET /prompts/{id}/?promptVersion=), ListPrompts (GET /prompts/, `?promptIdentifier=` lists its
// versions), CreatePromptVersion (POST /prompts/{id}/versions, 201) [sdk shapes: client-bedrock-agent 3.1178].
// Names follow `([0-9a-zA-Z][_-]?){1,100}`; a name in use is a 409 ConflictException; a variant needs a
// templateType, its configuration and a known model [ours: the messages].
//
// Converse with a prompt's ARN as the model id [docs: "Converse's rules for prompt ARNs"]: the caller may not
// send `system`, `inferenceConfig`, `toolConfig` or `additionalModelRequestFields` (a 400 naming them
// [ours: the words]); the default variant's template is filled from `promptVariables` (`{name: {text}}`; a
// variable the template reads and the call does not give is a 400), its messages come first and the
// caller's after, and the variant's model answers by the responder's rules.
import { randomBytes } from 'node:crypto';
import { ServiceError, parseJsonBody, sendJson, type RequestContext } from './http';
import type { ConverseBody } from './responder';
import { ACCOUNT_ID, type AccountState } from './state';

interface StoredPrompt {
  id: string;
  name: string;
  description?: string;
  defaultVariant?: string;
  variants: Record<string, any>[];
  createdAt: Date;
  updatedAt: Date;
  region: string;
  versions: { version: string; description?: string; snapshot: Omit<StoredPrompt, 'versions'>; createdAt: Date }[];
}

const NAME = /^([0-9a-zA-Z][_-]?){1,100}$/;
const PROMPT_ARN = /^arn:aws[a-z-]*:bedrock:[a-z0-9-]*:\d*:prompt\/([0-9a-zA-Z]{10})(?::(\d+|DRAFT))?$/;

export class PromptManagementService {
  readonly prompts: StoredPrompt[] = [];

  constructor(private readonly state: AccountState) {}

  private arnOf(p: { id: string; region: string }, version?: string): string {
    return `arn:aws:bedrock:${p.region}:${ACCOUNT_ID}:prompt/${p.id}${version && version !== 'DRAFT' ? `:${version}` : ''}`;
  }

  private find(idOrArn: string): StoredPrompt {
    const id = PROMPT_ARN.exec(idOrArn)?.[1] ?? idOrArn;
    const p = this.prompts.find((x) => x.id === id);
    if (!p) throw ServiceError.notFound(`The prompt ${idOrArn} was not found.`);
    return p;
  }

  private view(p: Omit<StoredPrompt, 'versions'>, version = 'DRAFT') {
    return {
      name: p.name,
      description: p.description,
      defaultVariant: p.defaultVariant,
      variants: p.variants,
      id: p.id,
      arn: this.arnOf(p, version),
      version,
      createdAt: p.createdAt.toISOString(),
      updatedAt: p.updatedAt.toISOString(),
    };
  }

  private checked(
    body: Record<string, any>,
  ): Pick<StoredPrompt, 'name' | 'description' | 'defaultVariant' | 'variants'> {
    if (typeof body.name !== 'string' || !NAME.test(body.name))
      throw ServiceError.validation('name must match ([0-9a-zA-Z][_-]?){1,100}.');
    const variants = Array.isArray(body.variants) ? (body.variants as Record<string, any>[]) : [];
    if (variants.length > 3) throw ServiceError.validation('A prompt holds at most 3 variants.');
    for (const v of variants) {
      if (typeof v.name !== 'string' || !NAME.test(v.name))
        throw ServiceError.validation('Each variant needs a valid name.');
      if (v.templateType !== 'CHAT' && v.templateType !== 'TEXT')
        throw ServiceError.validation(`Variant ${v.name}: templateType must be CHAT or TEXT.`);
      if (!v.templateConfiguration?.chat && !v.templateConfiguration?.text)
        throw ServiceError.validation(`Variant ${v.name}: templateConfiguration is required.`);
      if (v.modelId) this.state.resolve(v.modelId);
    }
    if (body.defaultVariant !== undefined && !variants.some((v) => v.name === body.defaultVariant))
      throw ServiceError.validation(`defaultVariant ${body.defaultVariant} is not one of the variants.`);
    return { name: body.name, description: body.description, defaultVariant: body.defaultVariant, variants };
  }

  handle(ctx: RequestContext): boolean {
    const [a, b, c] = ctx.segments;
    if (a !== 'prompts') return false;
    const id = b || undefined;
    if (ctx.method === 'POST' && !id) {
      const fields = this.checked(parseJsonBody(ctx));
      if (this.prompts.some((p) => p.name === fields.name))
        throw new ServiceError(409, 'ConflictException', `A prompt named ${fields.name} already exists.`);
      const now = new Date();
      const p: StoredPrompt = {
        ...fields,
        id: randomBytes(8).toString('hex').toUpperCase().slice(0, 10),
        createdAt: now,
        updatedAt: now,
        region: ctx.region,
        versions: [],
      };
      this.prompts.push(p);
      sendJson(ctx, 201, this.view(p));
      return true;
    }
    if (ctx.method === 'GET' && !id) {
      const of = ctx.query.get('promptIdentifier');
      const summaries = of
        ? (() => {
            const p = this.find(of);
            return [this.view(p), ...p.versions.map((v) => this.view(v.snapshot, v.version))];
          })()
        : this.prompts.map((p) => this.view(p));
      sendJson(ctx, 200, {
        promptSummaries: summaries.map((s) => ({
          name: s.name,
          description: s.description,
          id: s.id,
          arn: s.arn,
          version: s.version,
          createdAt: s.createdAt,
          updatedAt: s.updatedAt,
        })),
      });
      return true;
    }
    const p = this.find(id!);
    if (ctx.method === 'PUT' && !c) {
      const fields = this.checked(parseJsonBody(ctx));
      Object.assign(p, fields, { updatedAt: new Date() });
      sendJson(ctx, 200, this.view(p));
      return true;
    }
    if (ctx.method === 'GET' && !c) {
      const version = ctx.query.get('promptVersion') ?? 'DRAFT';
      if (version === 'DRAFT') sendJson(ctx, 200, this.view(p));
      else {
        const v = p.versions.find((x) => x.version === version);
        if (!v) throw ServiceError.notFound(`Version ${version} of prompt ${p.id} was not found.`);
        sendJson(ctx, 200, this.view(v.snapshot, v.version));
      }
      return true;
    }
    if (ctx.method === 'POST' && c === 'versions') {
      const body = parseJsonBody<{ description?: string }>(ctx);
      const snapshot: Omit<StoredPrompt, 'versions'> & { versions?: unknown } = { ...p };
      delete snapshot.versions;
      const version = String(p.versions.length + 1);
      p.versions.push({
        version,
        description: body.description,
        snapshot: structuredClone(snapshot),
        createdAt: new Date(),
      });
      sendJson(ctx, 201, { ...this.view(snapshot, version), description: body.description ?? snapshot.description });
      return true;
    }
    return false;
  }

  /** A Converse call on a prompt's ARN, as the body the prompt's model answers, and that model; undefined for other ids. */
  converseOn(modelId: string, body: ConverseBody & { promptVariables?: Record<string, { text?: string }> }) {
    const m = PROMPT_ARN.exec(modelId);
    if (!m) return undefined;
    const p = this.find(m[1]);
    const snapshot = m[2] && m[2] !== 'DRAFT' ? p.versions.find((v) => v.version === m[2])?.snapshot : p;
    if (!snapshot) throw ServiceError.notFound(`Version ${m[2]} of prompt ${p.id} was not found.`);
    const own = ['system', 'inferenceConfig', 'toolConfig', 'additionalModelRequestFields'].filter(
      (k) => body[k] !== undefined,
    );
    if (own.length)
      throw ServiceError.validation(
        `A prompt ARN brings its own configuration: remove ${own.join(', ')} from the request.`,
      );
    const variant = snapshot.variants.find((v) => v.name === snapshot.defaultVariant) ?? snapshot.variants[0];
    if (!variant?.modelId) throw ServiceError.validation('The prompt has no variant with a model.');
    const vars = body.promptVariables ?? {};
    const fill = (text: string) =>
      text.replace(/\{\{\s*([A-Za-z_][\w-]*)\s*\}\}/g, (_all, name: string) => {
        const value = Object.hasOwn(vars, name) ? vars[name]?.text : undefined;
        if (typeof value !== 'string') throw ServiceError.validation(`promptVariables has no value for ${name}.`);
        return value;
      });
    const chat = variant.templateConfiguration?.chat;
    const text = variant.templateConfiguration?.text?.text;
    const messages = chat
      ? (chat.messages as { role: string; content: { text?: string }[] }[]).map((msg) => ({
          role: msg.role,
          content: msg.content.map((block) => ({ text: fill(block.text ?? '') })),
        }))
      : [{ role: 'user', content: [{ text: fill(String(text ?? '')) }] }];
    const rest: Record<string, unknown> = { ...body };
    delete rest.promptVariables;
    return {
      modelId: String(variant.modelId),
      body: {
        ...rest,
        ...(chat?.system ? { system: (chat.system as { text: string }[]).map((s) => ({ text: fill(s.text) })) } : {}),
        messages: [...messages, ...(body.messages ?? [])],
        ...(variant.inferenceConfiguration?.text ? { inferenceConfig: variant.inferenceConfiguration.text } : {}),
      } as ConverseBody,
    };
  }
}
