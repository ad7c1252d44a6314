import type { RowStatus } from '../api/outcome.js';

/** Rows a person should look at: the input would not do, or the run could not finish them. */
export const ATTENTION_STATUSES: readonly RowStatus[] = ['invalid_input', 'failed', 'pending'];

/** Rows kept by name; the rest are counted. A few hundred is what a person reads. */
export const ATTENTION_LIMIT = 300;

export interface AttentionRow {
  /** The input's line (a spreadsheet's row number for .xlsx). */
  line: number;
  status: RowStatus;
  /** The contact as the file gave it: first name, surname, company (or the full name). */
  names: string;
  error: string;
}

/** The first `limit` rows needing attention as added (the run adds each as it is written: input order), and how many more of each status. */
export class AttentionList {
  readonly rows: AttentionRow[] = [];
  readonly more: Partial<Record<RowStatus, number>> = {};
  readonly #limit: number;

  constructor(limit = ATTENTION_LIMIT) {
    this.#limit = limit;
  }

  /** Whether a row of this status is one to list. */
  static wants(status: RowStatus): boolean {
    return ATTENTION_STATUSES.includes(status);
  }

  add(row: AttentionRow): void {
    if (this.rows.length < this.#limit) this.rows.push(row);
    else this.more[row.status] = (this.more[row.status] ?? 0) + 1;
  }

  get left(): number {
    return Object.values(this.more).reduce((a, b) => a + b, 0);
  }
}
