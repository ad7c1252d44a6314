import type { CrmEndpoint } from '../api/plans.js';
import type { Estimate } from '../engine/estimate.js';
import type { ProgressSnapshot } from '../engine/progress.js';
import type { RunSummary } from '../engine/run-summary.js';
import type { ErrorCode } from '../errors.js';
import type { Lang } from '../i18n/lang.js';
import type { FileLayout, Inspection } from '../input/inspect.js';
import type { MapField } from '../input/columns.js';
import type { PageChoices, PageFormat } from './page-choices.js';
import type { RunDone, RunStatus } from './runs.js';

/**
 * The page's HTTP contract (prose in `API.md`): what each route answers is one of these types,
 * returned by the server's handlers and imported by `web/` (`@typedef {import(...)}`, checked by
 * `web/tsconfig.json`), so the two cannot drift apart unnoticed.
 */

/** A key of the page's catalog part (`page.json`), without its `page.` prefix. */
export type PageKey = Extract<keyof typeof import('../i18n/catalog/en/page.json', { with: { type: 'json' }}), string>;

/** Every refusal: a stable code, and its words in the page's language (its `Accept-Language`). */
export interface ApiErrorBody {
  error: ApiErrorInfo;
}
/**
 * `texts`: the same words in every language the page has, so that the page, whose language
 * switch reloads it, says a refusal it keeps again in the other language (never cleared).
 */
export type ApiErrorInfo = {
  code: ErrorCode | 'INTERNAL';
  message: string;
  texts?: Partial<Record<Lang, string>>;
} & Partial<FileLayout>;

/** `GET /api/catalog/:lang`: the page's messages and lists in the first of `:lang`'s tags we have. */
export interface CatalogAnswer {
  lang: Lang;
  /** Every language the page can switch to. */
  langs: readonly Lang[];
  /** ICU MessageFormat texts by key, without the part's prefix. */
  messages: Record<PageKey, string>;
  choices: PageChoices;
}

/** `GET /api/account`. */
export interface AccountAnswer {
  plan: string | null;
  creditsLeft: number | null;
  rate: number;
  burst: number;
  endpointCosts: Record<CrmEndpoint, number>;
  sandbox: boolean;
  workDir: string;
}

/** `POST /api/uploads` (201). */
export interface UploadAnswer {
  id: string;
  name: string;
  size: number;
  kind: 'csv' | 'xlsx';
  sheets?: string[];
}

/** How the page asks a file to be read, priced and run: only what the person changed. */
export interface ReadRequest {
  map?: Partial<Record<MapField, string | null>>;
  sheet?: string;
  encoding?: string;
  delimiter?: string;
}
export interface EstimateRequest extends ReadRequest {
  endpoint?: CrmEndpoint;
}
/** `POST /api/runs`: `lang` is the page's, the run's report and messages are in it. */
export interface RunRequest extends EstimateRequest {
  upload: string;
  maxCredits?: number;
  format?: PageFormat;
  lang?: Lang;
}
/** `POST /api/runs/:id/resume`: `null` removes the cap. */
export interface ResumeRequest {
  maxCredits?: number | null;
}

export type InspectAnswer = Inspection;
export type EstimateAnswer = Estimate;
/** `POST /api/runs` (201), `.../stop`, `.../resume` (202). */
export interface RunIdAnswer {
  id: string;
}

/** `GET /api/runs`: one run as the page lists it. */
export interface RunView {
  id: string;
  name: string;
  startedAt: string;
  finishedAt?: string;
  status: RunStatus;
  /** Rows with their answer (a stopped run also wrote its unasked rows). */
  rows: number;
  total: number;
  credits: number;
  creditsAtLeast?: true;
  unfinishedRequests?: number;
  /**
   * What is left of the run's cost limit (`options.maxCredits`, a ceiling from when it was set,
   * across every stop and resume): what a resume may spend without setting another. Absent: no limit.
   */
  capLeft?: number;
  error?: { code: ErrorCode; message: string };
  options: RunOptionsView;
  hasOutput: boolean;
  hasReport: boolean;
}
/** What a run was started with, `map` as the CLI's `field=Header` items. */
export interface RunOptionsView {
  map: string[];
  sheet?: string;
  encoding?: string;
  delimiter?: string;
  endpoint?: CrmEndpoint;
  maxCredits?: number;
  format?: PageFormat;
  lang?: Lang;
}

/** `GET /api/runs/:id`. */
export interface RunDetail extends RunView {
  summary: RunSummary | null;
  progress: ProgressSnapshot | null;
}

/** `GET /api/runs/:id/events`: `progress` events, then one `done`. */
export type ProgressEvent = ProgressSnapshot;
export type DoneEvent = RunDone;
