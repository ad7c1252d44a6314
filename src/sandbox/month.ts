/** Start of the calendar month (UTC) after the one holding `nowMs`: when a monthly quota resets. */
export function nextMonthStartMs(nowMs: number): number {
  const d = new Date(nowMs);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1);
}

/** "2026-11": the quota period `nowMs` falls in. */
export function monthId(nowMs: number): string {
  return new Date(nowMs).toISOString().slice(0, 7);
}
