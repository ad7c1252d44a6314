import { FluenceError, type ErrorCode } from '../../errors.js';
import { message } from '../../i18n/message.js';

/** SQLite's failures, as coded errors that say what to do. */
export function storeError(error: unknown, path: string, fallback: ErrorCode): FluenceError {
  if (error instanceof FluenceError) return error;
  const code = (error as { code?: string }).code ?? '';
  if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')) {
    return new FluenceError('CHECKPOINT_LOCKED', message('errors.checkpointLocked', { path }));
  }
  if (code === 'SQLITE_NOTADB' || code.startsWith('SQLITE_CORRUPT') || code.startsWith('SQLITE_IOERR_SHORT_READ')) {
    return new FluenceError('CHECKPOINT_CORRUPT', message('errors.checkpointCorrupt', { path, code }));
  }
  if (code === 'SQLITE_FULL') return new FluenceError('CHECKPOINT_FULL', message('errors.checkpointFull', { path }));
  const said = { path, reason: (error as Error).message, code: code || 'error' };
  const key = fallback === 'CHECKPOINT_OPEN' ? 'errors.checkpointOpen' : 'errors.checkpointFailed';
  return new FluenceError(fallback, message(key, said), {
    cause: error,
  });
}
