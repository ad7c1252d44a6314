import { FluenceError, type ErrorCode } from '../../errors.js';

/** SQLite's failures, as coded errors that say what to do. */
export function storeError(error: unknown, path: string, fallback: ErrorCode): FluenceError {
  if (error instanceof FluenceError) return error;
  const code = (error as { code?: string }).code ?? '';
  if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')) {
    return new FluenceError(
      'CHECKPOINT_LOCKED',
      `checkpoint ${path} is in use by another fluence-enrich run; wait for it to finish (two runs on one checkpoint would pay twice)`,
    );
  }
  if (code === 'SQLITE_NOTADB' || code.startsWith('SQLITE_CORRUPT') || code.startsWith('SQLITE_IOERR_SHORT_READ')) {
    return new FluenceError(
      'CHECKPOINT_CORRUPT',
      `${path} is not a readable checkpoint (${code}). If it is a file of yours, give --checkpoint (or --cache) another path; if it is a damaged checkpoint, move it aside and rerun (answers stored in it will be asked, and paid, again)`,
    );
  }
  if (code === 'SQLITE_FULL')
    return new FluenceError('CHECKPOINT_FULL', `the disk holding checkpoint ${path} is full; free space and rerun`);
  return new FluenceError(fallback, `checkpoint ${path}: ${(error as Error).message} (${code || 'error'})`, {
    cause: error,
  });
}
