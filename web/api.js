// @ts-check
// The local server's JSON API, one typed function per route (the types are the server's own,
// src/serve/page-api.ts). Same origin: the token cookie and the Origin header go with every
// request on their own, so nothing here handles credentials. Every request says the page's
// language, so a refusal comes back in it.

import { lang } from './i18n.js';

/** @typedef {import('../src/serve/page-api.js').ApiErrorInfo} ApiErrorInfo */
/** @typedef {import('../src/serve/page-api.js').AccountAnswer} AccountAnswer */
/** @typedef {import('../src/serve/page-api.js').CatalogAnswer} CatalogAnswer */
/** @typedef {import('../src/serve/page-api.js').UploadAnswer} UploadAnswer */
/** @typedef {import('../src/serve/page-api.js').ReadRequest} ReadRequest */
/** @typedef {import('../src/serve/page-api.js').EstimateRequest} EstimateRequest */
/** @typedef {import('../src/serve/page-api.js').RunRequest} RunRequest */
/** @typedef {import('../src/serve/page-api.js').ResumeRequest} ResumeRequest */
/** @typedef {import('../src/serve/page-api.js').InspectAnswer} InspectAnswer */
/** @typedef {import('../src/serve/page-api.js').EstimateAnswer} EstimateAnswer */
/** @typedef {import('../src/serve/page-api.js').RunIdAnswer} RunIdAnswer */
/** @typedef {import('../src/serve/page-api.js').RunView} RunView */
/** @typedef {import('../src/serve/page-api.js').RunDetail} RunDetail */
/** @typedef {import('../src/serve/page-api.js').ProgressEvent} ProgressEvent */
/** @typedef {import('../src/serve/page-api.js').DoneEvent} DoneEvent */

/** An API refusal: the server's code and message (in the page's language); status 0: no answer at all. */
export class ApiError extends Error {
  /**
   * @param {number} status
   * @param {string} code
   * @param {string} message
   * @param {Partial<ApiErrorInfo>} [details] the rest of the server's error (a refused file: the headers it saw)
   */
  constructor(status, code, message, details = {}) {
    super(message);
    this.status = status;
    this.code = code;
    this.details = details;
  }
}

/** A refusal's words in the page's language now (the server sends them in each), else as it answered. */
export const refusalText = (/** @type {ApiError} */ error) => error.details.texts?.[lang()] ?? error.message;

/** What any request that got no answer says: told as "the server is not running" wherever it came from. */
const serverGone = () => new ApiError(0, 'NETWORK', 'the local server did not answer');

/** @param {number} status @param {any} body @param {string} statusText */
function refusal(status, body, statusText) {
  /** @type {Partial<ApiErrorInfo>} */
  const error = body?.error ?? {};
  return new ApiError(status, error.code ?? `HTTP_${status}`, error.message ?? statusText, error);
}

/**
 * GET (no body) or POST (a JSON body) to `/api/...`; resolves with the JSON answer.
 * @template T
 * @param {string} path
 * @param {unknown} [body]
 * @returns {Promise<T>}
 */
async function call(path, body) {
  let response;
  try {
    response = await fetch(`/api/${path}`, {
      method: body === undefined ? 'GET' : 'POST',
      headers: {
        'accept-language': lang(),
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? null : JSON.stringify(body),
      credentials: 'same-origin',
    });
  } catch {
    // No answer at all (the browser says only "Failed to fetch"): the server is not running.
    throw serverGone();
  }
  const text = await response.text().catch(() => '');
  let json;
  try {
    json = text ? JSON.parse(text) : {};
  } catch {
    json = undefined;
  }
  if (!response.ok) throw refusal(response.status, json, response.statusText);
  return json;
}

const runPath = (/** @type {string} */ id, what = '') => `runs/${encodeURIComponent(id)}${what && `/${what}`}`;
const uploadPath = (/** @type {string} */ id, what = '') => `uploads/${encodeURIComponent(id)}/${what}`;

export const getCatalog = (/** @type {string} */ path) => /** @type {Promise<CatalogAnswer>} */ (call(path));
export const getAccount = () => /** @type {Promise<AccountAnswer>} */ (call('account'));
export const inspectUpload = (/** @type {string} */ id, /** @type {ReadRequest} */ body) =>
  /** @type {Promise<InspectAnswer>} */ (call(uploadPath(id, 'inspect'), body));
export const estimateUpload = (/** @type {string} */ id, /** @type {EstimateRequest} */ body) =>
  /** @type {Promise<EstimateAnswer>} */ (call(uploadPath(id, 'estimate'), body));
export const startRun = (/** @type {RunRequest} */ body) => /** @type {Promise<RunIdAnswer>} */ (call('runs', body));
export const listRuns = () => /** @type {Promise<RunView[]>} */ (call('runs'));
export const getRun = (/** @type {string} */ id) => /** @type {Promise<RunDetail>} */ (call(runPath(id)));
export const stopRun = (/** @type {string} */ id) =>
  /** @type {Promise<RunIdAnswer>} */ (call(runPath(id, 'stop'), {}));
export const resumeRun = (/** @type {string} */ id, /** @type {ResumeRequest} */ body) =>
  /** @type {Promise<RunIdAnswer>} */ (call(runPath(id, 'resume'), body));

/**
 * Sends a file as multipart field `file`. XMLHttpRequest, not fetch, because only it reports
 * the upload's progress (`onProgress(fraction)`) for a large export.
 * @param {File} file
 * @param {(fraction: number) => void} onProgress
 * @returns {Promise<UploadAnswer>}
 */
export function upload(file, onProgress) {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', '/api/uploads');
    xhr.setRequestHeader('accept-language', lang());
    xhr.responseType = 'json';
    xhr.upload.onprogress = (event) => {
      if (event.lengthComputable) onProgress(event.loaded / event.total);
    };
    xhr.onload = () => {
      if (xhr.status >= 200 && xhr.status < 300) return resolve(xhr.response);
      reject(refusal(xhr.status, xhr.response, xhr.statusText));
    };
    xhr.onerror = () => reject(serverGone());
    const form = new FormData();
    form.append('file', file, file.name);
    xhr.send(form);
  });
}

/**
 * The run's live events: `progress` (a few a second at most) then one `done`; `onLost` when the
 * stream breaks without its `done` (the server stopped; the browser keeps trying to reconnect).
 * @param {string} id
 * @param {{ onProgress(p: ProgressEvent): void, onDone(done: DoneEvent): void, onLost(error: ApiError): void }} on
 */
export function runEvents(id, on) {
  const source = new EventSource(`/api/${runPath(id, 'events')}`);
  source.addEventListener('progress', (event) => on.onProgress(JSON.parse(event.data)));
  source.addEventListener('done', (event) => {
    source.close();
    on.onDone(JSON.parse(event.data));
  });
  source.addEventListener('error', () => on.onLost(serverGone()));
  return () => source.close();
}

/** A run's file to download or open (`output`, `report`). */
export const runUrl = (/** @type {string} */ id, /** @type {'output' | 'report'} */ what) =>
  `/api/${runPath(id, what)}`;
