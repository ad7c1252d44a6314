import { ENDPOINT_COST } from '../api/plans.js';
import { mappingText, mappingWords } from '../input/mapping-text.js';
import type { Shape } from '../input/shape.js';
import { said, type Logger } from '../log.js';
import type { EnrichConfig } from '../options/config.js';
import { checkSheetRows } from '../output/xlsx-sheet.js';
import { openRunStore, type RunStore } from '../sharing/open-sharing.js';
import { firstPass } from './first-pass.js';
import { reuseRule } from './reuse.js';
import type { RunFacts } from './run-record.js';
import type { RunStats } from './stats.js';

/** What the first stage gives the others: the run's own store, what the file holds, what is left to ask. */
export interface OpenedInput {
  store: RunStore;
  shape: Shape;
  distinct: number;
  toAsk: number;
}

/**
 * The run's first stage: opens the run's own store (checkpoint or cache), makes (or reuses) the first pass, says which
 * column became which field, and counts what is left to ask (the same count `estimate` makes).
 * A file that stops the first pass, or whose rows its output cannot hold, costs nothing and
 * leaves no checkpoint of its own.
 */
export async function openInput(
  config: EnrichConfig,
  startedAt: number,
  stats: RunStats,
  facts: RunFacts,
  logger: Logger,
): Promise<OpenedInput> {
  const store = await openRunStore(config, facts.inputId);
  const { shape, reused } = await firstPass(config, store.pass, store.checkpoint)
    .then((pass) => {
      if (config.format === 'xlsx') checkSheetRows(pass.shape.rows, config.output);
      return pass;
    })
    .catch((error: unknown) => {
      store.checkpoint.closeUnused();
      throw error;
    });
  if (reused) stats.firstPass = 'reused';
  facts.sheet = shape.dialect.xlsx?.sheet ?? null;
  logger.info(...said('cli.log.columns', { mapping: mappingWords(shape) }, { columns: mappingText(shape) }));
  if (shape.header.includes('fluence_status')) logger.warn(...said('cli.log.enrichedInput', { input: config.input }));
  const { distinct, toAsk } = store.pass.counts(reuseRule(config, startedAt));
  stats.maxCost = toAsk * ENDPOINT_COST[config.endpoint];
  return { store, shape, distinct, toAsk };
}
