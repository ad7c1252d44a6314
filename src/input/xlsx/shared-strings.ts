import type { File } from 'unzipper';
import { HEAP_PER_SHARED_STRING_BYTE, LIMITS, sharedStringsBudget } from './limits.js';
import { cellTooLarge, malformed, notUtf8, tableTooLarge } from './refusals.js';
import { entryStream } from './workbook.js';
import { strictDecoder, unescapeText, xmlStream } from './xml.js';

/**
 * The workbook's table of texts (`sharedStrings.xml`), read as a stream into memory: cells name
 * their text by its position here. Each `<si>` is every `<t>` it holds, plain or in rich-text runs
 * (`<r>`), but not the phonetic guide (`<rPh>`) Japanese Excel adds above a text.
 *
 * What it may take is counted on the bytes actually inflated, as they are inflated, never on the
 * size the zip's directory claims (a directory saying 100 bytes for 300 MB made the process run
 * out of memory): past the heap the process has left (`sharedStringsBudget`) it stops with
 * `XLSX_TOO_LARGE`; a text past `LIMITS.cell` with `INPUT_CELL_TOO_LARGE`; bytes that are not
 * UTF-8 with `INPUT_NOT_UTF8`.
 */
export async function readSharedStrings(path: string, file: File | undefined): Promise<string[]> {
  const strings: string[] = [];
  if (!file) return strings;
  let text: string | undefined;
  let inText = false;
  let phonetic = 0;
  const entry = (): string => `its table of texts (${file.path}), text number ${strings.length + 1},`;
  const parser = xmlStream(
    {
      open(name) {
        if (name === 'si') text = '';
        else if (name === 'rPh') phonetic += 1;
        else if (name === 't' && phonetic === 0 && text !== undefined) inText = true;
      },
      close(name) {
        if (name === 't') inText = false;
        else if (name === 'rPh') phonetic -= 1;
        else if (name === 'si') {
          strings.push(unescapeText(text ?? ''));
          text = undefined;
        }
      },
      text(chunk) {
        if (!inText) return;
        text += chunk;
        if (text!.length > LIMITS.cell) throw cellTooLarge(path, entry());
      },
    },
    () =>
      text === undefined
        ? malformed(path, `its table of texts (${file.path}) has more than ${LIMITS.gap} characters between two texts`)
        : cellTooLarge(path, entry()),
  );
  const budget = sharedStringsBudget();
  const tooLarge = (inflated: number): Error =>
    tableTooLarge(
      path,
      file.path,
      { bytes: inflated, inflated: true, claimed: file.uncompressedSize },
      { needed: inflated * HEAP_PER_SHARED_STRING_BYTE, free: budget.free, limit: budget.limit },
    );
  const decode = strictDecoder(() => notUtf8(path, entry().replace(/,$/, '')));
  for await (const chunk of await entryStream(path, file, { bytes: budget.bytes, error: tooLarge }))
    parser.write(decode(chunk as Buffer));
  parser.write(decode());
  parser.close();
  return strings;
}
