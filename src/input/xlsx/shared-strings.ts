import type { File } from 'unzipper';
import { entryStream } from './workbook.js';
import { unescapeText, xmlParser } from './xml.js';

/**
 * The workbook's table of texts (`sharedStrings.xml`), read as a stream into memory: cells name
 * their text by its position here. Each `<si>` is every `<t>` it holds, plain or in rich-text runs
 * (`<r>`), but not the phonetic guide (`<rPh>`) Japanese Excel adds above a text.
 */
export async function readSharedStrings(path: string, file: File | undefined): Promise<string[]> {
  const strings: string[] = [];
  if (!file) return strings;
  let text: string | undefined;
  let inText = false;
  let phonetic = 0;
  const parser = xmlParser({
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
      if (inText) text += chunk;
    },
  });
  const decoder = new TextDecoder('utf-8');
  for await (const chunk of await entryStream(path, file))
    parser.write(decoder.decode(chunk as Buffer, { stream: true }));
  parser.write(decoder.decode());
  parser.close();
  return strings;
}
