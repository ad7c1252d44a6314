/**
 * What people add to a name in a CRM or on LinkedIn that is not the name, in any column that
 * holds one (a full name, a first name, a surname): emoji and marks (`📞 Ana`, `Souza ✅`,
 * `PMP®`), a nickname in quotes (`José "Zé" Lima`), credentials after a comma (`Carvalho, MBA`,
 * `Vasconcelos, PMP®`). Titles before a name and notes in brackets are `full-name.ts`'s.
 */

/**
 * Emoji, pictographs, symbols (®, ™, ✅, ★), skin tones (🏾), their joiners (👩🏽‍💻) and variation
 * selectors, and keycaps with their digit (1️⃣): a digit without a keycap's sign stays.
 */
const MARKS = /[0-9#*]\ufe0f?\u20e3|\p{Extended_Pictographic}|\p{Emoji_Modifier}|\p{So}|\u200d|\ufe0f|\u20e3/gu;
// A keycap's signs are marks (\p{M}) after a digit: looked for apart.
const HAS_MARK = /[^\p{L}\p{M}\p{N}\s.,'’()[\]\-–—/|"“”«»&]|[\u200d\ufe0f\u20e3]/u;
/** A nickname in quotes inside the name. */
const QUOTED = /\s*["“”«»][^"“”«»]*["“”«»]\s*/g;
const QUOTES = /["“”«»]/g;

/** Credentials written after a name and a comma: degrees, certifications, professional registers. */
const CREDENTIALS = new Set([
  'mba',
  'phd',
  'ph.d',
  'dsc',
  'msc',
  'ms',
  'ma',
  'md',
  'me',
  'bsc',
  'ba',
  'pmp',
  'cpa',
  'cfa',
  'cfp',
  'cma',
  'cissp',
  'cism',
  'cisa',
  'csm',
  'cspo',
  'psm',
  'itil',
  'shrm-cp',
  'shrm-scp',
  'phr',
  'sphr',
  'rn',
  'esq',
  'pe',
  'p.e',
  'crc',
  'oab',
  'crea',
  'crm',
  'lion',
]);

const bare = (word: string): string => word.toLowerCase().replace(/\.+$/, '');

/** Whether every word after a comma is a credential (`MBA`, `PhD, PMP`): a comma, not "Last, First". */
function credentialsOnly(text: string): boolean {
  const parts = text
    .split(/[\s,;/]+/)
    .map(bare)
    .filter((w) => w !== '');
  return parts.length > 0 && parts.every((w) => CREDENTIALS.has(w));
}

/** Notes in brackets (pronouns: `(ela/dela)`, `(she/her)`), which may follow credentials. */
const BRACKETS = /\([^()]*\)|\[[^[\]]*\]/g;

/**
 * Text without credentials after its first comma that holds only credentials, pronouns in
 * brackets aside (`Ana Souza, MBA, PMP`, `Ana Lima, MBA (ela/dela)`): the brackets after the comma
 * go with them. Brackets before the comma (`Ana Lima (ela/dela), MBA`) are left to the notes' rule.
 */
function withoutCredentials(text: string): string {
  const comma = text.indexOf(',');
  if (comma < 0) return text;
  return credentialsOnly(text.slice(comma + 1).replace(BRACKETS, ' ')) ? text.slice(0, comma).trim() : text;
}

/**
 * A name's cell without what is surely not the name: emoji and marks anywhere, a nickname in
 * quotes (quotes around the whole cell are only taken off), credentials after a comma. Most
 * names hold none of these: they are returned as they are.
 */
export function cleanName(raw: string): string {
  let text = raw;
  if (HAS_MARK.test(text)) text = text.replace(MARKS, ' ');
  if (text.includes('"') || /[“”«»]/.test(text)) {
    const trimmed = text.trim();
    const whole = /^["“«][^"“”«»]*["”»]$/.test(trimmed);
    text = whole ? trimmed.replace(QUOTES, '') : text.replace(QUOTED, ' ').replace(QUOTES, '');
  }
  if (text.includes(',')) text = withoutCredentials(text.trim());
  return text === raw ? raw : text.replace(/\s+/g, ' ').trim();
}
