import type { ApiClient } from '../api/client.js';
import type { Logger } from '../log.js';
import type { EnrichConfig } from '../options/config.js';
import type { RateLimiter } from '../rate/limiter.js';
import type { RateShare } from '../rate/share.js';
import type { Sharing } from '../sharing/sharing.js';
import { AnswerSource } from './answer-source.js';
import type { Budget } from './budget.js';
import { ask, type RequesterDeps } from './requester.js';
import type { RunStats } from './stats.js';
import type { StopControl } from './stop-control.js';

/** What the answer stage is made of: the run's open parts. */
export interface AnswerStageParts {
  config: EnrichConfig;
  client: ApiClient;
  limiter: RateLimiter;
  share: RateShare;
  sharing: Sharing;
  budget: Budget;
  stats: RunStats;
  logger: Logger;
  stopping: StopControl;
  runId: string;
  startedAt: number;
  /** Whether a stored answer serves this run (see `reusable`). */
  serves: ConstructorParameters<typeof AnswerSource>[0]['reusable'];
}

/**
 * The answer stage: a stored answer, a request in flight for the same contact, or a claim and a
 * request through the limiter (the requester), in that order (see `AnswerSource`).
 */
export function answerStage(parts: AnswerStageParts): AnswerSource {
  const { config, client, limiter, share, sharing, budget, stats, logger, stopping } = parts;
  const answers: AnswerSource = new AnswerSource({
    sharing,
    stats,
    runId: parts.runId,
    startedAt: parts.startedAt,
    reusable: parts.serves,
    halted: stopping.halted,
    ask: (contact, key) => ask(deps, contact, key),
  });
  const deps: RequesterDeps = {
    ...{ config, client, limiter, share, sharing, budget, stats, logger },
    stored: answers,
    halted: stopping.halted,
    stop: stopping.stop,
  };
  return answers;
}
