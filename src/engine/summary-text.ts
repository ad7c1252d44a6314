import type { RunSummary } from './run-summary.js';

/** The end-of-run summary as a person reads it (the JSON form goes to --summary). */
export function summaryText(s: RunSummary): string {
  const byStatus = Object.entries(s.byStatus)
    .map(([k, v]) => `${k} ${v}`)
    .join('  ');
  const lines = [
    `fluence-enrich: ${s.rows} rows -> ${s.output}`,
    `  ${byStatus}`,
    `  requests ${s.requests} (retries ${s.retries}, rate-limited ${s.rateLimited}, uncertain ${s.uncertain})  from checkpoint ${s.fromCheckpoint}${s.fromRedis ? `  from Redis ${s.fromRedis}` : ''}${s.fromOtherRuns || s.waitedForOtherRunsSeconds ? `  from other runs ${s.fromOtherRuns} (waited ${s.waitedForOtherRunsSeconds} s)` : ''}  duplicates ${s.duplicates}`,
    `  credits used ${s.creditsUsed}${s.creditsMaybeUsed ? ` (+ up to ${s.creditsMaybeUsed} possibly charged without an answer)` : ''}, saved ${s.creditsSaved}, at most ${s.maxCost}, left ${s.creditsLeft ?? 'unknown'}  elapsed ${s.elapsedSeconds} s (${s.requestsPerSecond} req/s, ${s.rowsPerSecond} rows/s${s.planRate ? `; ${Math.round(s.rateShare * 100)} % of the plan's ${s.planRate}/s${s.othersRate ? `, others on the key ~${s.othersRate}/s` : ''}` : ''})`,
  ];
  if (s.stopReason) lines.push(`  stopped (${s.stopReason}): ${s.stopMessage}`);
  if (s.nextStep) lines.push(`  next: ${s.nextStep}`);
  return `${lines.join('\n')}\n`;
}
