/** Anything outside ASCII, and the two ASCII characters Unicode counts as diacritics (^ and `). */
// eslint-disable-next-line no-control-regex
// biome-ignore lint/suspicious/noControlCharactersInRegex: ASCII, control characters included, is what needs no Unicode work.
const NEEDS_UNICODE = /[^\u0000-\u005d\u005f\u0061-\u007f]/;

/** Case, accents and runs of spaces do not make a different person: "  JOÃO  da Silva" = "joao da silva". */
export function normalizeText(value: string): string {
  // Plain ASCII has no accents to take off (most names in most files): skip the Unicode work.
  if (!NEEDS_UNICODE.test(value)) return value.toLowerCase().replace(/\s+/g, ' ').trim();
  return value
    .normalize('NFD')
    .replace(/\p{Diacritic}/gu, '')
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .trim();
}

/** Latin-1's letters (U+00C0 to U+00FF) as `normalizeText` leaves them: `Ç` is `c`, `Ã` is `a`. */
const LATIN1 = Array.from({ length: 0x40 }, (_, i) =>
  String.fromCharCode(0xc0 + i)
    .normalize('NFD')
    .replace(/\p{Diacritic}/gu, '')
    .toLowerCase(),
);

/**
 * `normalizeText` of one word (no spaces in it), for comparing with a list: the same result,
 * without the work on spaces, and Portuguese accents (Latin-1) taken off one by one rather than
 * by Unicode's decomposition (a few times faster, on every row).
 */
export function normalizeWord(word: string): string {
  if (!NEEDS_UNICODE.test(word)) return word.toLowerCase();
  let out = '';
  for (let i = 0; i < word.length; i++) {
    const code = word.charCodeAt(i);
    // ^ and ` are diacritics to Unicode: taken off, as normalizeText does.
    if (code === 0x5e || code === 0x60) continue;
    if (code < 0x80) out += code >= 65 && code <= 90 ? String.fromCharCode(code + 32) : word[i];
    else if (code >= 0xc0 && code <= 0xff) out += LATIN1[code - 0xc0];
    else
      return word
        .normalize('NFD')
        .replace(/\p{Diacritic}/gu, '')
        .toLowerCase();
  }
  return out;
}

export interface Contact {
  firstName: string;
  lastName: string;
  company: string;
}

/** One string per person, used to dedupe rows, key the checkpoint and (in the sandbox) pick an answer. */
export function contactKey(contact: Contact): string {
  return `${normalizeText(contact.firstName)}\u001f${normalizeText(contact.lastName)}\u001f${normalizeText(contact.company)}`;
}
