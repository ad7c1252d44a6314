import type { FastifyInstance } from 'fastify';
import { freeGetClient } from '../api/client.js';
import { ENDPOINT_COST } from '../api/plans.js';
import { ratePlan } from '../engine/plan.js';
import { checkAccount } from '../engine/preflight.js';
import { FluenceError } from '../errors.js';
import { message } from '../i18n/message.js';
import type { ServeContext } from './context.js';
import type { AccountAnswer } from './page-api.js';

/** The plan and credits left, from `/creditos` as `credits` asks them: the key stays here. */
export function accountRoute(app: FastifyInstance, ctx: ServeContext): void {
  app.get('/api/account', async (): Promise<AccountAnswer> => {
    if (!ctx.apiKey) throw new FluenceError('MISSING_KEY', message('errors.missingKey.serve'));
    const client = freeGetClient(ctx);
    try {
      const account = await checkAccount(client, ctx.baseUrl);
      const { rate, burst } = ratePlan(undefined, account);
      return {
        plan: account.plan,
        creditsLeft: account.creditsLeft ?? null,
        rate,
        burst,
        endpointCosts: ENDPOINT_COST,
        sandbox: ctx.sandbox,
        workDir: ctx.work.root,
      };
    } finally {
      client.close();
    }
  });
}
