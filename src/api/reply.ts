/** Rate-limit headers of one answer, as numbers (undefined when absent or unreadable). */
export interface RateHeaders {
  limit: number | undefined;
  remaining: number | undefined;
  /** Unix seconds. */
  reset: number | undefined;
  /** Seconds. */
  retryAfter: number | undefined;
}

/** What came back from one request: an HTTP answer, or no answer at all. */
export type ApiReply =
  | {
      kind: 'http';
      status: number;
      /** Parsed JSON, or undefined when the body was not JSON (see `bodyError`). */
      body: unknown;
      bodyError: string | undefined;
      rate: RateHeaders;
    }
  | {
      kind: 'network';
      code: string;
      message: string;
      /** False only when the request certainly never reached the server (connection refused, DNS). */
      maybeSent: boolean;
    };
