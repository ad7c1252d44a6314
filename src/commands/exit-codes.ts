/** Exit codes, as listed in --help and the README. */
export const EXIT_CODES_HELP = `Exit codes:
  0  every row has a final answer
  1  fatal: bad arguments, unreadable input, invalid key, plan without CRM access
  2  some rows left failed or pending: run the same command again to resume
  3  stopped for credits (402), the --max-credits budget, or the monthly quota
  130  quit at once by a second SIGINT/SIGTERM: requests in flight were abandoned (the rerun may pay for them again)`;

/** The exit codes above by what they mean, for code that exits (the help's numbers are these). */
export const EXIT = {
  /** Every row has a final answer. */
  done: 0,
  /** Bad arguments, unreadable input, invalid key, plan without CRM access. */
  fatal: 1,
  /** Some rows left failed or pending: the same command again resumes. */
  rerun: 2,
  /** Stopped for credits, the budget or the monthly quota. */
  stopped: 3,
  /** A second signal: requests in flight abandoned. */
  quitNow: 130,
} as const;
