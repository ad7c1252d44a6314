import { SaxesParser, type SaxesTagPlain } from 'saxes';

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
