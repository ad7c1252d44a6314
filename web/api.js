// The local server's JSON API. Same origin: the token cookie and the Origin header go with
// every request on their own, so nothing here handles credentials.

/** An API refusal, carrying the server's (the CLI's) code and message as they are. */
export class ApiError extends Error {
  /** `details`: the rest of the server's error object (for a refused file, the headers it saw, when sent). */
  constructor(status, code, message, details = {}) {
    super(message);
    this.status = status;
    this.code = code;
    this.details = details;
  }
}

async function failure(response) {
  let body;
  try {
    body = await response.json();
  } catch {
    body = undefined;
  }
  const error = body?.error ?? {};
  return new ApiError(
    response.status,
    error.code ?? `HTTP_${response.status}`,
    error.message ?? response.statusText,
    error,
  );
}

/** What a request that got no answer at all says: status 0, told as "the server is not running". */
const serverGone = () => new ApiError(0, 'NETWORK', 'the local server did not answer');

/** GET (no body) or POST (a JSON body) to `/api/...`; resolves with the JSON answer. */
export async function api(path, body) {
  let response;
  try {
    response = await fetch(`/api/${path}`, {
      method: body === undefined ? 'GET' : 'POST',
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
      credentials: 'same-origin',
    });
  } catch {
    // No answer at all (the browser says only "Failed to fetch"): the server is not running.
    throw serverGone();
  }
  if (!response.ok) throw await failure(response);
  const text = await response.text();
  return text ? JSON.parse(text) : {};
}

/**
 * Sends a file as multipart field `file`. XMLHttpRequest, not fetch, because only it reports
 * the upload's progress (`onProgress(fraction)`) for a large export.
 */
export function upload(file, onProgress) {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', '/api/uploads');
    xhr.responseType = 'json';
    xhr.upload.onprogress = (event) => {
      if (event.lengthComputable) onProgress(event.loaded / event.total);
    };
    xhr.onload = () => {
      if (xhr.status >= 200 && xhr.status < 300) return resolve(xhr.response);
      const error = xhr.response?.error ?? {};
      reject(new ApiError(xhr.status, error.code ?? `HTTP_${xhr.status}`, error.message ?? xhr.statusText));
    };
    xhr.onerror = () => reject(serverGone());
    const form = new FormData();
    form.append('file', file, file.name);
    xhr.send(form);
  });
}

/** The run's live events: `progress` (a few a second at most) then one `done`. */
export function runEvents(id, { onProgress, onDone, onLost }) {
  const source = new EventSource(`/api/runs/${encodeURIComponent(id)}/events`);
  source.addEventListener('progress', (event) => onProgress(JSON.parse(event.data)));
  source.addEventListener('done', (event) => {
    source.close();
    onDone(JSON.parse(event.data));
  });
  // The stream broke without its `done`: the server stopped (the browser keeps trying to reconnect).
  source.addEventListener('error', () => onLost?.(serverGone()));
  return () => source.close();
}

export const runUrl = (id, what) => `/api/runs/${encodeURIComponent(id)}/${what}`;
