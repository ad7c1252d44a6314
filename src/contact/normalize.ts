/** Anything outside ASCII, and the two ASCII characters Unicode counts as diacritics (^ and `). */
// eslint-disable-next-line no-control-regex
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

export interface Contact {
  firstName: string;
  lastName: string;
  company: string;
}

/** One string per person, used to dedupe rows, key the checkpoint and (in the sandbox) pick an answer. */
export function contactKey(contact: Contact): string {
  return `${normalizeText(contact.firstName)}\u001f${normalizeText(contact.lastName)}\u001f${normalizeText(contact.company)}`;
}
