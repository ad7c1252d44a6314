import type { Contact } from './normalize.js';
import { reason, type Reason } from './reason.js';

/** The API rejects profile URLs as input; a cell holding one is a mistake in the export. */
const URL_PATTERN = /(?:[a-z][a-z0-9+.-]*:\/\/|\bwww\.|linkedin\.com|\.(?:com|net|org|io|br)\/)/i;

/** Whether a value holds a URL, as the API sees one. */
// Every URL the pattern knows has a '.' or a ':': most names have neither, and skip the regex.
export const hasUrl = (value: string): boolean =>
  (value.includes('.') || value.includes(':')) && URL_PATTERN.test(value);

/** Longest value we send: far beyond any real name, well short of abusing the API. */
export const MAX_FIELD_LENGTH = 200;

const FIELDS: ReadonlyArray<[keyof Contact, string]> = [
  ['firstName', 'primeiro_nome'],
  ['lastName', 'ultimo_nome'],
  ['company', 'empresa'],
];

/**
 * Why the API would refuse this contact with a 400, or `undefined` when it is sendable.
 * The sandbox answers 400 by this same rule, and the pipeline checks it before paying for a call.
 */
export function invalidReason(contact: Contact): Reason | undefined {
  for (const [field, apiName] of FIELDS) {
    const value = contact[field].trim();
    if (value === '') return reason('rows.empty', { field: apiName });
    if (value.length > MAX_FIELD_LENGTH) return reason('rows.tooLong', { field: apiName, max: MAX_FIELD_LENGTH });
    if (hasUrl(value)) return reason('rows.url', { field: apiName });
    // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what this looks for.
    if (/[\u0000-\u001f\u007f]/.test(value)) return reason('rows.controlCharacters', { field: apiName });
  }
  return undefined;
}
