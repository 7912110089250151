// `prompt-lab kb list|retrieve`: the account's knowledge bases, and a query's ranked passages without
// generating (the editor's Test Retrieval). Knowledge bases take AWS credentials: an API key alone says so.
import type { Host } from '../app/host';
import { passagesOf, passagesText } from '../core/bedrock/passages';
import { BedrockError } from '../core/shared/bedrockError';
import { EXIT } from './exitCodes';

export async function knowledgeBaseList(host: Host, opts: { json?: boolean }): Promise<number> {
  const kbs = host.clients().knowledgeBases;
  const all = await kbs.list();
  const rows = await Promise.all(all.map(async (k) => ({ ...k, dataSources: await kbs.dataSources(k.id) })));
  if (opts.json) {
    process.stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
    return EXIT.ok;
  }
  for (const k of rows) {
    process.stdout.write(`${k.id} · ${k.name} · ${k.type?.toLowerCase() ?? '?'} · ${k.status.toLowerCase()}\n`);
    for (const d of k.dataSources)
      process.stdout.write(
        `  ${d.id} · ${d.name} · ${d.lastSync ? `last sync ${d.lastSync.status.toLowerCase()} ${d.lastSync.updatedAt?.toISOString() ?? ''}` : 'never synced'}\n`,
      );
  }
  if (rows.length === 0) process.stderr.write('No knowledge bases in this account and region.\n');
  return EXIT.ok;
}

export async function knowledgeBaseRetrieve(
  host: Host,
  knowledgeBaseId: string,
  query: string,
  opts: { results?: number; searchType?: 'HYBRID' | 'SEMANTIC'; json?: boolean },
  signal: AbortSignal,
): Promise<number> {
  if (!query.trim())
    throw new BedrockError('Validation', 'Give a query: prompt-lab kb retrieve <id> "what a user would ask".');
  if (opts.results !== undefined && !(Number.isInteger(opts.results) && opts.results >= 1 && opts.results <= 100))
    throw new BedrockError('Validation', `-n ${opts.results}: give a number of passages from 1 to 100.`);
  const passages = passagesOf(
    await host.clients().knowledgeBases.retrieve(knowledgeBaseId, query, {
      numberOfResults: opts.results,
      searchType: opts.searchType,
      signal,
    }),
  );
  process.stdout.write(
    opts.json
      ? `${JSON.stringify({ knowledgeBaseId, query, passages }, null, 2)}\n`
      : passagesText(query, knowledgeBaseId, passages),
  );
  return EXIT.ok;
}
