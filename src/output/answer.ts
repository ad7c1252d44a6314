import type { RowStatus } from '../api/outcome.js';

/** What a row gets: its status columns and the analysis behind its enrichment columns. */
export interface Answer {
  status: RowStatus;
  httpStatus: number | undefined;
  /** Credits this row cost in this run. */
  credits: number;
  error: string;
  /** `analise` as JSON text ('' when none). */
  analiseJson: string;
}
