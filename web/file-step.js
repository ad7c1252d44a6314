// @ts-check
// Step 1: the file, dropped or chosen, sent with its progress; a workbook's sheet.
import { refusalText } from './api.js';
import { $, show } from './dom.js';
import { size, t } from './i18n.js';

/** @typedef {import('./app.js').PageState} PageState */

/** Step 1 as `state.sending` and `state.upload` say. */
export function renderFile(/** @type {PageState} */ { sending, upload: file }) {
  const bar = $('upload-progress', HTMLProgressElement);
  show(bar, sending.fraction !== undefined);
  bar.value = sending.fraction ?? 0;
  const message = $('upload-message');
  const failed = sending.failed;
  message.className = failed ? 'alert' : '';
  message.textContent = failed
    ? failed.status === 0
      ? t('notConnected')
      : t(failed.status === 413 ? 'uploadTooBig' : 'uploadFailed', { message: refusalText(failed) })
    : sending.name
      ? t('uploading', { name: sending.name })
      : file
        ? t('uploaded', { name: file.name, size: size(file.size) })
        : '';
  show($('sheet-field'), (file?.sheets ?? []).length > 1);
}

/**
 * The drop zone, the file chooser and the sheet's list, wired once.
 * @param {{ onFile(file: File | undefined): void, onSheet(sheet: string): void }} on
 */
export function wireFileStep(on) {
  const input = $('file-input', HTMLInputElement);
  input.addEventListener('change', () => on.onFile(input.files?.[0]));
  const drop = $('drop');
  for (const type of ['dragenter', 'dragover'])
    drop.addEventListener(type, (event) => {
      event.preventDefault();
      drop.classList.add('over');
    });
  for (const type of ['dragleave', 'drop']) drop.addEventListener(type, () => drop.classList.remove('over'));
  drop.addEventListener('drop', (event) => {
    event.preventDefault();
    on.onFile(/** @type {DragEvent} */ (event).dataTransfer?.files?.[0]);
  });
  const sheet = $('sheet', HTMLSelectElement);
  sheet.addEventListener('change', () => on.onSheet(sheet.value));
}
