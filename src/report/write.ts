import { rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { FluenceError } from '../errors.js';
import { message } from '../i18n/message.js';
import { renderReport, type ReportInput } from './html.js';

/**
 * Writes the report aside and renames it into place: a reader never sees half a page. The output
 * is already complete when this runs, so a failure is named, not a crash.
 */
export async function writeReport(path: string, input: ReportInput): Promise<void> {
  const temp = join(dirname(path), `.${basename(path)}.partial-${process.pid}`);
  try {
    await writeFile(temp, await renderReport(input));
    await rename(temp, path);
  } catch (error) {
    await rm(temp, { force: true });
    throw new FluenceError(
      'REPORT_WRITE_FAILED',
      message('errors.reportWriteFailed', {
        path,
        reason: (error as NodeJS.ErrnoException).code ?? (error as Error).message,
      }),
      { cause: error },
    );
  }
}
