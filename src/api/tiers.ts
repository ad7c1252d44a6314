import { message } from '../i18n/message.js';
import type { ApiClient } from './client.js';
import { DOCS_TIER_TABLE, tierTableFrom, type TierTable } from './plans.js';

/**
 * The tier table from the free `GET /tiers`; when the API does not give one (an error, an answer
 * without tiers), the docs' table, saying why. Never stops a run: the quota is advice.
 */
export async function readTierTable(client: ApiClient): Promise<TierTable> {
  const reply = await client.get('/tiers');
  if (reply.kind === 'http' && reply.status === 200) {
    const table = tierTableFrom(reply.body);
    if (table) return table;
  }
  const why =
    reply.kind === 'network'
      ? reply.code
      : reply.status === 200
        ? message('cli.quota.from.noTiers')
        : `HTTP ${reply.status}`;
  return { ...DOCS_TIER_TABLE, from: message('cli.quota.from.docsBecause', { why }) };
}
