/**
 * HTML that escapes by default (Datasette's templates): every value written into an `html`
 * template is escaped unless it is itself `Html` (a nested template, or text marked `raw`).
 * A contact's name, a file's path or an error's message can never open a tag in the report.
 */

/** Markup already safe to write as it is: made by `html`, or marked trusted with `raw`. */
export class Html {
  readonly #text: string;

  constructor(text: string) {
    this.#text = text;
  }

  toString(): string {
    return this.#text;
  }
}

/** What a template may hold: text and numbers (escaped), markup, and nothing (`null`, `undefined`, `false`: written as nothing). */
export type HtmlValue = string | number | Html | null | undefined | false | readonly HtmlValue[];

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export const escapeHtml = (text: string): string => text.replace(/[&<>"']/g, (c) => ENTITIES[c]!);

function write(value: HtmlValue): string {
  if (value instanceof Html) return value.toString();
  if (value === null || value === undefined || value === false) return '';
  if (typeof value === 'number') return escapeHtml(String(value));
  if (typeof value === 'string') return escapeHtml(value);
  return value.map(write).join('');
}

/** The template tag: literal parts are the page's markup, every `${value}` is escaped (see `HtmlValue`). */
export function html(strings: TemplateStringsArray, ...values: HtmlValue[]): Html {
  let out = strings[0]!;
  for (let i = 0; i < values.length; i++) out += write(values[i]) + strings[i + 1]!;
  return new Html(out);
}

/** Trusted markup written as it is: the charts' SVG (drawn by vega from numbers), the page's CSS. Never a value from the input. */
export const raw = (text: string): Html => new Html(text);

/** Pieces of markup one after another, `separator` between them (itself markup). */
export const joinHtml = (items: readonly Html[], separator = '\n'): Html => new Html(items.map(String).join(separator));
