/**
 * One CSV record as text, quoted exactly as csv-stringify quotes by default (a field with the
 * delimiter, a quote, CR or LF is quoted, quotes doubled; nothing else). csv-stringify spends
 * about 9 us on one of our output rows (it checks a dozen options per field); this spends under
 * one, and test/csv-line.test.ts holds the two to the same bytes on arbitrary text.
 */
export function csvLine(delimiter: string, eol: string): (cells: readonly string[]) => string {
  if (delimiter.length !== 1 || /["\r\n]/.test(delimiter)) throw new Error(`unsupported CSV delimiter ${JSON.stringify(delimiter)}`);
  const special = new RegExp(`["\\r\\n${delimiter.replace(/[\\\]^-]/g, '\\$&')}]`);
  const field = (value: string): string => (special.test(value) ? `"${value.replaceAll('"', '""')}"` : value);
  return (cells) => {
    let line = cells.length > 0 ? field(cells[0]!) : '';
    for (let i = 1; i < cells.length; i++) line += delimiter + field(cells[i]!);
    return line + eol;
  };
}
