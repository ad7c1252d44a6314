/** Case, accents and runs of spaces do not make a different person: "  JOÃO  da Silva" = "joao da silva". */
export function normalizeText(value: string): string {
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
