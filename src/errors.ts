/**
 * An error the tool expects and can explain: a stable `code` for tests and scripts, a message
 * that says what to do next, and the exit code the CLI should end with. Where an error is
 * about one place in an input file, `line` names it.
 */
export class FluenceError extends Error {
  readonly code: string;
  readonly exitCode: number;
  readonly line: number | undefined;

  constructor(code: string, message: string, options: { exitCode?: number; line?: number; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'FluenceError';
    this.code = code;
    this.exitCode = options.exitCode ?? 1;
    this.line = options.line;
  }
}

export const isFluenceError = (error: unknown): error is FluenceError => error instanceof FluenceError;
