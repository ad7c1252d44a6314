import type { Logger } from '../log.js';
import type { WorkDir } from './work-dir.js';

/** What every route of `serve` shares. The key is held here, never sent, logged or written. */
export interface ServeContext {
  work: WorkDir;
  /** The API root runs and estimates use (the in-process sandbox's with --sandbox). */
  baseUrl: string;
  /** The key; '' when none is set (the page can still inspect and estimate). */
  readonly apiKey: string;
  /** Largest upload in bytes. */
  maxUpload: number;
  sandbox: boolean;
  logger: Logger;
}
