import { ENDPOINT_COST } from '../api/plans.js';
import { mappingText, type Shape } from '../input/shape.js';
import type { Logger } from '../log.js';
import type { EnrichConfig } from '../options/config.js';
import { checkSheetRows } from '../output/xlsx-sheet.js';
import { openSharing } from '../sharing/open-sharing.js';
import type { Sharing } from '../sharing/sharing.js';
import type { Lookup } from '../sharing/types.js';
import { firstPass } from './first-pass.js';
import { reuseRule } from './reuse.js';
import type { RunFacts } from './run-record.js';
import type { RunStats } from './stats.js';

/** What the first stage gives the others: where runs share work, what the file holds, what is left to ask. */
export interface OpenedInput {
  sharing: Sharing;
  shape: Shape;
  distinct: number;
  toAsk: number;
}

/**
 * The run's first stage: opens how it shares work, makes (or reuses) the first pass, says which
 * column became which field, and counts what is left to ask (the same count `estimate` makes).
 * A file that stops the first pass, or whose rows its output cannot hold, costs nothing and
 * leaves no checkpoint of its own.
 */
export async function openInput(
  config: EnrichConfig,
  run: { runId: string; startedAt: number; serves: (known: Lookup) => boolean },
  stats: RunStats,
  facts: RunFacts,
  logger: Logger,
): Promise<OpenedInput> {
  const sharing = await openSharing(config, { input: facts.inputId, runId: run.runId, reusable: run.serves });
  const { shape, reused } = await firstPass(config, sharing.pass)
    .then((pass) => {
      if (config.format === 'xlsx') checkSheetRows(pass.shape.rows, config.output);
      return pass;
    })
    .catch((error: unknown) => {
      sharing.closeUnused();
      throw error;
    });
  if (reused) stats.firstPass = 'reused';
  facts.sheet = shape.dialect.xlsx?.sheet ?? null;
  const mapping = mappingText(shape);
  logger.info({ columns: mapping }, `columns: ${mapping}`);
  if (shape.header.includes('fluence_status')) logger.warn(ENRICHED_INPUT(config.input));
  const { distinct, toAsk } = sharing.pass.counts(reuseRule(config, run.startedAt));
  stats.maxCost = toAsk * ENDPOINT_COST[config.endpoint];
  return { sharing, shape, distinct, toAsk };
}

const ENRICHED_INPUT = (input: string): string =>
  `${input} already has a fluence_status column: it looks like an enriched output. Its fluence_* columns are kept as input columns and a new set is added after them; enrich the original export to avoid two sets`;
