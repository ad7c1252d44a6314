import { DEFAULT_LANG, formatDuration, formatNumber, formatPercent, render, t, type Lang } from '../i18n/index.js';
import type { RunSummary } from './run-summary.js';
import { stopReasonWords, stopText } from './stop-facts.js';

/** Why the run stopped, with its figures, in the reader's words; a fatal stop's own error is the CLI's last line. */
function stoppedText(s: RunSummary, lang: Lang): string | undefined {
  if (!s.stopReason) return undefined;
  // A fatal error's words may be an API's own (English): another language names its code here.
  const why =
    s.stopFacts?.reason === 'fatal' || !s.stopFacts
      ? lang === DEFAULT_LANG
        ? (s.stopMessage ?? '')
        : (s.error?.code ?? '')
      : stopText(s.stopFacts, lang);
  return t(lang, 'cli.summary.stoppedWhy', { reason: render(lang, stopReasonWords(s.stopReason)), why });
}

/** The requests line: how many, retried, limited, uncertain, and where the other answers came from. */
function requestsText(s: RunSummary, lang: Lang): string {
  const others =
    s.fromOtherRuns || s.waitedForOtherRunsSeconds
      ? t(lang, 'cli.summary.fromOthers', {
          count: s.fromOtherRuns,
          waited: formatDuration(lang, s.waitedForOtherRunsSeconds),
        })
      : '';
  return [
    t(lang, 'cli.summary.requests', {
      requests: s.requests,
      retries: s.retries,
      limited: s.rateLimited,
      uncertain: s.uncertain,
      checkpoint: s.fromCheckpoint,
    }),
    // A 429 for the monthly quota is a refusal, not the rate limit: counted apart.
    s.quotaRefused ? t(lang, 'cli.summary.quotaRefused', { count: s.quotaRefused }) : '',
    s.fromRedis ? t(lang, 'cli.summary.fromRedis', { count: s.fromRedis }) : '',
    others,
    t(lang, 'cli.summary.duplicates', { count: s.duplicates }),
  ].join('');
}

/** The money and time line: credits used, maybe used, saved, at most, left; elapsed and the plan's share. */
function creditsText(s: RunSummary, lang: Lang): string {
  const rate = (value: number): string => formatNumber(lang, value, 1);
  const plan = s.planRate
    ? t(lang, 'cli.summary.plan', { share: formatPercent(lang, s.rateShare, 0), rate: rate(s.planRate) }) +
      (s.othersRate ? t(lang, 'cli.summary.others', { rate: rate(s.othersRate) }) : '')
    : '';
  return [
    t(lang, 'cli.summary.creditsUsed', { used: s.creditsUsed }),
    s.creditsMaybeUsed ? t(lang, 'cli.summary.maybeUsed', { count: s.creditsMaybeUsed }) : '',
    t(lang, 'cli.summary.credits', {
      saved: s.creditsSaved,
      max: s.maxCost,
      left: s.creditsLeft === null ? t(lang, 'cli.unknown') : formatNumber(lang, s.creditsLeft),
    }),
    t(lang, 'cli.summary.elapsed', {
      elapsed: formatDuration(lang, s.elapsedSeconds),
      requestRate: rate(s.requestsPerSecond),
      rowRate: rate(s.rowsPerSecond),
      plan,
    }),
  ].join('');
}

/**
 * The end-of-run summary as a person reads it, in `lang` (the JSON form goes to --summary). The
 * statuses keep their names: they are the output's `fluence_status` values a person filters on.
 */
export function summaryText(s: RunSummary, lang: Lang = DEFAULT_LANG): string {
  const byStatus = Object.entries(s.byStatus)
    .map(([k, v]) => `${k} ${formatNumber(lang, v)}`)
    .join('  ');
  const stopped = stoppedText(s, lang);
  const lines = [
    t(lang, 'cli.summary.head', { rows: s.rows, output: s.output }),
    `  ${byStatus}`,
    `  ${requestsText(s, lang)}`,
    `  ${creditsText(s, lang)}`,
  ];
  if (stopped) lines.push(`  ${stopped}`);
  if (s.nextStep) lines.push(`  ${t(lang, 'cli.summary.next', { step: s.nextStep })}`);
  return `${lines.join('\n')}\n`;
}
