import { SaxesParser, type SaxesTagPlain } from 'saxes';
import { LIMITS } from './limits.js';

/** A tag's name without its namespace prefix: some writers spell `<x:c>` where Excel writes `<c>`. */
export const localName = (name: string): string => {
  const colon = name.indexOf(':');
  return colon < 0 ? name : name.slice(colon + 1);
};

/** An attribute by its local name (`r:id`, whatever the prefix is called). */
export function attribute(tag: SaxesTagPlain, name: string): string | undefined {
  const plain = tag.attributes[name];
  if (plain !== undefined) return plain;
  for (const key in tag.attributes) if (localName(key) === name) return tag.attributes[key];
  return undefined;
}

/** Handlers for one XML document; text arrives in pieces (chunks, entities, CDATA). */
export interface XmlHandlers {
  open?(name: string, tag: SaxesTagPlain): void;
  close?(name: string): void;
  text?(text: string): void;
}

/** A parser that reports tags by local name: `write` it text, then `close` it. */
export function xmlParser(handlers: XmlHandlers): SaxesParser {
  // Positions are not needed (errors name the part, not the column) and cost time on every character.
  const parser = new SaxesParser({ position: false });
  if (handlers.open) parser.on('opentag', (tag) => handlers.open!(localName(tag.name), tag as SaxesTagPlain));
  if (handlers.close) parser.on('closetag', (tag) => handlers.close!(localName(tag.name)));
  if (handlers.text) {
    parser.on('text', handlers.text);
    parser.on('cdata', handlers.text);
  }
  return parser;
}

/**
 * A parser fed text as it is inflated that refuses a stretch of more than `LIMITS.gap`
 * characters between two tags (saxes holds such a stretch whole: 500 MB of whitespace between
 * rows took 1.16 GB). `tooLong` says what the stretch is (a cell's text, or whitespace).
 */
export function xmlStream(handlers: XmlHandlers, tooLong: () => Error): { write(text: string): void; close(): void } {
  let since = 0;
  const seen = (): void => {
    since = 0;
  };
  const parser = xmlParser({
    open(name, tag) {
      seen();
      handlers.open?.(name, tag);
    },
    close(name) {
      seen();
      handlers.close?.(name);
    },
    text(text) {
      seen();
      handlers.text?.(text);
    },
  });

  return {
    write(text: string): void {
      parser.write(text);
      // Counted after the write: at most one chunk more than the stretch itself.
      since += text.length;
      if (since > LIMITS.gap) throw tooLong();
    },
    close(): void {
      parser.close();
    },
  };
}

/**
 * A UTF-8 decoder that refuses what is not UTF-8 (`notUtf8`), as the CSV reader does: decoded
 * leniently, a damaged name would be sent with U+FFFD in it ("Ger\uFFFDdau") and charged. Call
 * it with each chunk, then with nothing at the end. `valid`, if given, is handed the chunk's text
 * before the bad bytes first (so a parser knows where they are).
 */
export function strictDecoder(notUtf8: () => Error, valid?: (text: string) => void): (chunk?: Buffer) => string {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  return (chunk) => {
    try {
      return chunk === undefined ? decoder.decode() : decoder.decode(chunk, { stream: true });
    } catch {
      if (valid && chunk !== undefined) {
        const text = new TextDecoder('utf-8').decode(chunk);
        valid(text.slice(0, text.indexOf('\uFFFD')));
      }
      throw notUtf8();
    }
  };
}

/** A whole (small) XML part parsed at once. */
export function parseXml(text: string, handlers: XmlHandlers): void {
  xmlParser(handlers).write(text).close();
}

/**
 * Text as OOXML stores it: a character XML cannot hold is written `_xHHHH_` (a carriage return is
 * `_x000D_`), and a literal `_x` sequence is protected as `_x005F_x...`.
 */
export function unescapeText(text: string): string {
  if (!text.includes('_x')) return text;
  return text.replace(/_x([0-9A-Fa-f]{4})_/g, (_, hex: string) => String.fromCharCode(Number.parseInt(hex, 16)));
}
