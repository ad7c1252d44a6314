import { companyFiller, isBoolean, isFiller, nobodyDoubt } from './fillers.js';
import { normalizeText, type Contact } from './normalize.js';
import { wordKey } from './fillers.js';
import type { FirstNames } from './first-names.js';
import { joinedNames, tradeWordAfterFirst } from './trade-words.js';
import { hasUrl } from './validate.js';
import { doubtText, reason, type Reason } from './reason.js';

/**
 * The client's own caution, apart from `invalidReason` (the API's 400 rule, which the sandbox
 * answers by): values the API would take, and charge for, that cannot be the person or the
 * company. A column that means something else (ids, a deal's name, the company again) fills
 * every row with them; a typing slip, one row.
 */

/** Why a value is not a person's name or a company's name. */
export const DOUBTS = [
  'email',
  'url',
  'no-letters',
  'number',
  'record-id',
  'legal-form',
  'company',
  'zero',
  'placeholder',
  'role',
  'no-company',
  'webmail',
  'boolean',
  'word',
  'digits',
  'address',
  'trade',
] as const;
export type Doubt = (typeof DOUBTS)[number];

/**
 * What each doubt says of one value ("is ...") and of several ("3 are ..."), in English: the
 * catalog's `rows.doubt.<doubt>` plurals (`doubtText` in another language).
 */
export const DOUBT_TEXT: Record<Doubt, { one: string; many: string }> = Object.fromEntries(
  DOUBTS.map((doubt) => [doubt, { one: doubtText('en', doubt, 1), many: doubtText('en', doubt, 2) }]),
) as Record<Doubt, { one: string; many: string }>;

/** Doubts that stand for an empty cell, not for another meaning: a column is not doubted for them. */
export const BLANK_DOUBTS: ReadonlySet<Doubt> = new Set(['placeholder', 'no-company', 'webmail']);

const LETTER = /\p{L}/u;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const DIGIT = /\d/;

/**
 * A CRM's record id: one word of letters and digits, 8 characters or more, with 3 digits or
 * more, where letters and digits alternate at least twice or an underscore joins them:
 * Salesforce's `0015g00000XyZ12AAB` (15 or 18 characters), a MongoDB id (RD Station), a UUID,
 * Zoho's `zcrm_6001`. Not a real company written as one word: `3M`, `99`, `B3`, `7-Eleven`,
 * `123Milhas`, `Forever21` (one run of digits before or after the letters), nor the test data's
 * `Pessoa123`.
 */
export function isRecordId(value: string): boolean {
  if (value.length < 8 || !/^[A-Za-z0-9_-]+$/.test(value)) return false;
  const digits = value.replace(/\D/g, '').length;
  if (digits < 3 || !/[A-Za-z]/.test(value)) return false;
  if (value.includes('_')) return true;
  // Runs of letters or of digits, hyphens apart: "0015g00000XyZ12AAB" has 6, "123Milhas" 2.
  const runs = value.replace(/-/g, '').match(/[A-Za-z]+|\d+/g)!.length;
  return runs >= 3;
}

/**
 * Legal forms a person's name never holds, as words and compared as written (so "Sá", a
 * surname, is not "SA"): Ltda, S.A., S/A, EIRELI, LLC, Inc, Ltd, GmbH, Cia.
 */
const LEGAL_FORM = /(?:^|\s)(?:ltda\.?|s\.a\.?|s\/a|eireli|llc|inc\.?|ltd\.?|gmbh|cia\.?)(?=$|[\s,])/i;

/**
 * Why `value` (a first, last or full name) is not a person's name; `undefined` when it may be one.
 * `urls`: false where URLs were refused already; `fillers`: false where `nobodyDoubt` looked.
 */
export function nameDoubt(value: string, urls = true, fillers = true): Doubt | undefined {
  const text = value.trim();
  if (text === '') return undefined;
  if (text.includes('@')) return 'email';
  if (urls && hasUrl(text)) return 'url';
  if (!LETTER.test(text)) return DIGIT.test(text) ? 'no-letters' : 'placeholder';
  // Most names hold no digit: the id test is skipped for them.
  if (DIGIT.test(text) && isRecordId(text)) return 'record-id';
  if (LEGAL_FORM.test(text)) return 'legal-form';
  if (fillers && isFiller(text, true)) return 'placeholder';
  if (isBoolean(text)) return 'boolean';
  return undefined;
}

/** Digits, with the signs numbers are written with (a CNPJ `12.345.678/0001-90`, `1 234 567`). */
const NUMBER = /^[\d.,/\s-]+$/;
/** A number with decimals (`3.14`, `2,5`): a measure or a price, never a company's name. */
const DECIMAL = /^[+-]?\d+[.,]\d+$/;

/**
 * Why `value` is not a company's name; `undefined` when it may be one. Real companies are short
 * and odd (`3M`, `99`, `C&A`, `OLX`, `B3`, `Oi`, `iFood`, `1001`): a row is refused only for an
 * email, a URL, a record id, a number of 5 digits or more or with decimals, a placeholder for an
 * empty cell (`-`, `n/a`, `null`, `não informado`), a word for no company (`pessoa física`), a
 * webmail's domain (`gmail.com`) or a checkbox's TRUE/FALSE. `column` adds what a whole column
 * of companies never is, though one company may be (`99`): a value without letters.
 */
export function companyDoubt(value: string, column = false, urls = true): Doubt | undefined {
  const text = value.trim();
  if (text === '') return undefined;
  if (text.includes('@') && EMAIL.test(text)) return 'email';
  if (urls && hasUrl(text)) return 'url';
  if (!DIGIT.test(text)) return companyFiller(text);
  if (isRecordId(text)) return 'record-id';
  // No company is called 0: a lookup or sum over an empty cell is (=VLOOKUP, =COUNTIF, =SUM).
  if (/^[0.,\s-]+$/.test(text)) return 'zero';
  if (NUMBER.test(text) && (text.replace(/\D/g, '').length >= 5 || DECIMAL.test(text))) return 'number';
  if (column && !LETTER.test(text)) return 'no-letters';
  return undefined;
}

/**
 * Legal forms at the end of a company's name, with the signs before them (`Acme Brasil Ltda`,
 * `BETA SISTEMAS S.A.`, `Gama Foods Inc.`, `Silva & Cia`, `Aurora - ME`).
 */
const TRAILING_LEGAL_FORMS =
  /(?:[\s,.-]+(?:&\s*|e\s+)?(?:ltda|limitada|s\.?\s?a|s\/a|s\/s|slu|me|epp|eireli|mei|inc|incorporated|llc|ltd|limited|gmbh|cia|companhia|co|corp|corporation|plc)\.?)+$/i;

/** A company's name, normalized, without the legal forms that end it. */
const companyWithoutForms = (company: string): string => normalizeText(company).replace(TRAILING_LEGAL_FORMS, '');

/**
 * A person's name, normalized, without a legal form that ends it, when it is written as one
 * (capitals, a dot, a slash, `&`: `Acme Brasil SA`): `Maria Sá`, `Ana Me` keep their surname.
 */
function personWithoutForms(name: string): string {
  const text = name.trim();
  const form = TRAILING_LEGAL_FORMS.exec(text);
  return normalizeText(form && /[A-Z]{2}|[./&]/.test(form[0]) ? text.slice(0, form.index) : text);
}

/** An ASCII letter or digit: what normalizing leaves of it is itself, lowercased. */
const plain = (c: number): boolean => (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122);

/**
 * The person is the company: the whole name, as sent, is the row's company ("Padaria Aurora"
 * in an accounts list), compared as `contactKey` compares (case, accents, spaces) and without
 * the legal forms that end either (`Acme Brasil` at `Acme Brasil Ltda`, `Beta Sistemas` at
 * `BETA SISTEMAS S.A.`). A surname that is the company's name ("Gerdau") is not: families name
 * companies.
 */
export function isCompanyAsPerson(contact: Contact, names?: FirstNames): boolean {
  const first = contact.firstName.trimStart();
  const name = first === '' ? contact.lastName.trimStart() : first;
  if (name === '') return false;
  // Most rows differ at the first letter: two different plain ones settle it without normalizing.
  const x = name.charCodeAt(0);
  const y = contact.company.trimStart().charCodeAt(0);
  if (plain(x) && plain(y) && (x | 32) !== (y | 32)) return false;
  const person = normalizeText(`${contact.firstName} ${contact.lastName}`);
  const company = normalizeText(contact.company);
  const bare = companyWithoutForms(contact.company);
  const same =
    person === company || (bare !== '' && personWithoutForms(`${contact.firstName} ${contact.lastName}`) === bare);
  // A one-person firm named after its owner (`Lucas Santos ME`, `Sara Pereira Ltda`): a person when the
  // firm's form is one person's (ME, MEI, EIRELI, Ltda) and the name starts with a first name or no common word.
  if (!same || !names) return same;
  const key = firstWordKey(name);
  return !(ONE_PERSON_FORM.test(contact.company) && (names.isName(key) || !names.isWord(key)));
}

/** The legal forms of a firm of one person (MEI, ME, EIRELI, EPP, SLU), of a sole owner's Ltda, or of a professional's S/S. */
const ONE_PERSON_FORM = /(?:^|[\s,.-])(?:mei|me|eireli|epp|ltda|slu|s\/s)\.?\s*$/i;

/**
 * The owner of a one-person firm typed as the firm in both columns (`Vanessa Amaral LTDA ME` at
 * `Vanessa Amaral LTDA ME`, `... Ltda`, `EIRELI`, `LTDA - ME`, `ME LTDA`, `Ltda EPP`, `SLU`, `S/S`):
 * the name without the firm's forms, which is what the API knows the person by, so every form is
 * treated alike. Only when the firm's forms are one person's, the name left has two words or more
 * and starts with a first name or no common word (as `isCompanyAsPerson` exempts a one-person firm);
 * `undefined` otherwise (the row is judged as written, and its word of trade still refuses it).
 */
export function firmOwner(contact: Contact, names?: FirstNames): Contact | undefined {
  if (!names || contact.firstName.trim() === '' || !ONE_PERSON_FORM.test(contact.company)) return undefined;
  const full = `${contact.firstName.trim()} ${contact.lastName.trim()}`.trim();
  const form = TRAILING_LEGAL_FORMS.exec(full);
  if (!form || form.index <= contact.firstName.trim().length) return undefined;
  // Compared without the forms of either: a full name's reader drops ` - ME` as a note.
  const owner = full.slice(0, form.index).trim();
  if (normalizeText(owner) !== companyWithoutForms(contact.company)) return undefined;
  const key = firstWordKey(owner);
  if (owner.split(/\s+/).length < 2 || !(names.isName(key) || !names.isWord(key))) return undefined;
  return { ...contact, lastName: owner.slice(contact.firstName.trim().length).trim() };
}

/** What each part of a contact is, when it is not a person's name or a company's. */
export interface Doubts {
  firstName?: Doubt;
  lastName?: Doubt;
  /** As a column sees it (`companyDoubt(value, true)`): `no-letters` alone does not refuse a row ("99"). */
  company?: Doubt;
  companyAsPerson: boolean;
  /** The name's first word, as written, when it is a common word and no first name (`word`). */
  word?: string;
}

/** A name's first word (of trimmed text) as the gazetteer keys it. */
const firstWordKey = (name: string): string => wordKey(name.trim().split(/\s/, 1)[0]!);

/**
 * A word of digits in a name (`iPhone 15 Pro`, `Rua das Flores 123`, `Renovação 2025`), or a code of one
 * or two letters and digits (`Q3`, `S24 Ultra`, `A54`, `B2B`), in a first name as in a surname:
 * `Pessoa123`, test data's, is neither.
 */
const DIGIT_WORD = /(?:^|\s)(?:[^\p{L}\s]*\d[\d.,ºª°/-]*(?=\s|$)|\p{L}{1,2}\d)/u;

/**
 * Placeholders typed in a form's or a template's name fields (compared as `normalizeText` does):
 * the first word of some is a name (`John Doe`), of others a word (`Seu Nome`: refused as one).
 */
const PLACEHOLDER_NAMES = new Set([
  'john doe',
  'jane doe',
  'john smith',
  'jane smith',
  'joe bloggs',
  'nome sobrenome',
  'seu nome',
  'primeiro nome',
  'primeiro ultimo',
  'nome completo',
  'first last',
  'first name last name',
  'firstname lastname',
  'your name',
  'full name',
  'fulano de tal',
  'no reply',
  'do not reply',
  'maria ninguem',
  'joao ninguem',
]);

/** A Brazilian state's two capitals ending a name (`São Paulo SP`, `Belo Horizonte MG`): a place. */
const STATE_AT_END = /\s(?:AC|AL|AP|AM|BA|CE|DF|ES|GO|MA|MT|MS|MG|PA|PB|PR|PE|PI|RJ|RN|RS|RO|RR|SC|SP|SE|TO)$/;

/**
 * Platforms, brands and marketing words that begin a lead source's, a campaign's or a product's
 * name (`Facebook Ads`, `Instagram Orgânico`, `Upsell Seats`, `MacBook Air`): in no dictionary and
 * no list of names, so the word list cannot refuse them; the lead sources HubSpot, RD Station and
 * Pipedrive exports write, and the words of sales (up-sell, webinar...). Compared as `wordKey` keys.
 */
const MARKETING_WORDS = new Set([
  'facebook',
  'instagram',
  'google',
  'linkedin',
  'whatsapp',
  'tiktok',
  'youtube',
  'twitter',
  'telegram',
  'pinterest',
  'hubspot',
  'mailchimp',
  'upsell',
  'downsell',
  'crosssell',
  'cross-sell',
  'webinar',
  'newsletter',
  'ebook',
  'macbook',
  'iphone',
  'ipad',
]);

/**
 * A nickname Brazilians go by, though its letters spell a word: a syllable doubled (`Gugu`,
 * `Lelê`, `Cacá`, `Dedé`) or two letters ending in an accent (`Jú`, `Fê`, `Rê`, `Fé`).
 */
const NICKNAME = /^\p{L}[áéíóúâêô]$/iu;
const DOUBLED = /^(\p{L}{1,3})\1$/u;

/**
 * In capitals a state's two letters are a surname's too (`ZHEN MA`, `LIN MA`): a place only when a
 * city's name of two words or more comes before them (`SÃO PAULO SP`) or its one word is no first name
 * (`CAMPINAS SP`). Written in small letters, the capitals set the state apart (`Natal RN`).
 */
function isSurnameInCaps(full: string, key: string, names: FirstNames | undefined): boolean {
  const text = full.trim();
  return text === text.toUpperCase() && text.split(/\s+/).length === 2 && names?.isName(key) === true;
}

/** The forms of a one-person firm (which `LEGAL_FORM` leaves to the company check), written as forms are: in capitals. */
const ONE_PERSON_FORM_AT_END = /[\s,-](?:ME|MEI|EPP|EIRELI)\.?\s*$/;

/** A word of one letter repeated (`aaa`, `bbb`, `xxxx`): what is typed to fill a field. */
const REPEATED = /^(\p{L})\1{2,}$/u;

/** Why a name (first and last) is a placeholder, a word or has a number in it; `word`: its first word as written. */
function nameWordDoubt(contact: Contact, names: FirstNames | undefined): { doubt: Doubt; word?: string } | undefined {
  const full = `${contact.firstName} ${contact.lastName}`;
  if (DIGIT_WORD.test(full)) return { doubt: 'digits' };
  const name = contact.firstName.trim() === '' ? contact.lastName : contact.firstName;
  const first = name.trim().split(/\s/, 1)[0]!;
  const key = wordKey(first);
  if (STATE_AT_END.test(full) && !isSurnameInCaps(full, key, names)) return { doubt: 'address' };
  if (REPEATED.test(key) || PLACEHOLDER_NAMES.has(normalizeText(full))) return { doubt: 'placeholder' };
  // A one-person firm's form ending the name (`MARIA SOUZA MEI`): the firm, unless it is the row's company (its owner, sent).
  if (ONE_PERSON_FORM_AT_END.test(full) && personWithoutForms(full) !== companyWithoutForms(contact.company))
    return { doubt: 'legal-form' };
  if (joinedNames(contact.lastName)) return { doubt: 'trade' };
  if (MARKETING_WORDS.has(key)) return { doubt: 'word', word: first };
  const nickname = NICKNAME.test(first.normalize('NFC')) || (DOUBLED.test(key) && !REPEATED.test(key));
  if (names && key.length >= 2 && !nickname && names.isWord(key)) return { doubt: 'word', word: first };
  // A first name then a word of trade (`Carlos Eduardo Imóveis`): a business named after a person.
  const trade = tradeWordAfterFirst(full);
  return trade === undefined ? undefined : { doubt: 'trade', word: trade };
}

/**
 * The doubts of one contact that the API's rule (`invalidReason`) took, found once per row: the
 * row's reason and the columns' tallies read them. That rule refuses URLs: none is looked for.
 */
export function contactDoubts(contact: Contact, names?: FirstNames): Doubts {
  const companyAsPerson = isCompanyAsPerson(contact, names);
  // The name as a whole first: a filler or a department in its first word says more than its parts.
  // The first name's own fillers are the name's first word's: looked at there.
  const nobody = nobodyDoubt(contact.firstName, contact.lastName) ?? nameDoubt(contact.firstName, false, false);
  const said = nobody ? undefined : nameWordDoubt(contact, names);
  // A name that is the row's company says so (`Beta Sistemas` at `BETA SISTEMAS S.A.`), not its word of trade.
  const worded = companyAsPerson && said?.doubt === 'trade' ? undefined : said;
  const first = nobody ?? worded?.doubt;
  const last = nameDoubt(contact.lastName, false);
  const company = companyDoubt(contact.company, true, false);
  // Nearly every row: one shared answer, nothing made per row.
  if (!companyAsPerson && !first && !last && !company) return NO_DOUBTS;
  const doubts: Doubts = { companyAsPerson };
  if (first) doubts.firstName = first;
  if (worded?.word !== undefined) doubts.word = worded.word;
  if (last) doubts.lastName = last;
  if (company) doubts.company = company;
  return doubts;
}

const NO_DOUBTS: Doubts = Object.freeze({ companyAsPerson: false });

/**
 * Why this contact, which the API would accept, is still not a person at a company: the row is
 * then `invalid_input` with this reason and is never sent, whoever chose its columns. `nameField`
 * names the names in the reason (`nome_completo` when they came from one full name). Value-free,
 * so that `estimate` groups rows by it.
 */
export function doubtReason(doubts: Doubts, nameField?: string): Reason | undefined {
  if (doubts.firstName && doubts.firstName !== 'word' && doubts.firstName !== 'trade')
    return reason('rows.notAName', { field: nameField ?? 'primeiro_nome', doubt: doubts.firstName });
  if (doubts.lastName) return reason('rows.notAName', { field: nameField ?? 'ultimo_nome', doubt: doubts.lastName });
  if (doubts.companyAsPerson) return reason('rows.companyAsPerson', { doubt: 'company' });
  if (doubts.firstName === 'trade') return reason('rows.notAName', { field: nameField ?? 'names', doubt: 'trade' });
  if (doubts.firstName === 'word')
    return reason('rows.commonWord', { field: nameField ?? 'primeiro_nome', word: doubts.word ?? '' });
  if (doubts.company && doubts.company !== 'no-letters') return reason('rows.notACompany', { doubt: doubts.company });
  return undefined;
}

/** `doubtReason` of a contact. */
export const contactDoubt = (contact: Contact, nameField?: string, names?: FirstNames): Reason | undefined =>
  doubtReason(contactDoubts(contact, names), nameField);

/**
 * Whether a value reads as a person's name, for a column whose header names the person
 * ("Contato", "Contatos", "Person - Name"): letters, no digits, no doubt, a few words.
 */
export function looksLikePersonName(value: string): boolean {
  const text = value.trim();
  return text !== '' && !/\d/.test(text) && nameDoubt(text) === undefined && text.split(/\s+/).length <= 6;
}
