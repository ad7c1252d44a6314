/** Exit codes, as listed in --help and the README. */
export const EXIT_CODES_HELP = `Exit codes:
  0  every row has a final answer
  1  fatal: bad arguments, unreadable input, invalid key, plan without CRM access
  2  some rows left failed or pending: run the same command again to resume
  3  stopped for credits (402), the --max-credits budget, or the monthly quota
  130  quit at once by a second SIGINT/SIGTERM: requests in flight were abandoned (the rerun may pay for them again)`;
