/**
 * One CSV record as text, quoted exactly as csv-stringify quotes with `quote_record_delimiter`:
 * a field holding the delimiter, a quote, CR or LF is quoted, its quotes doubled; nothing else.
 * csv-stringify spends about 9 us on one of our output rows (it weighs a dozen options per
 * field); this spends under 2, and test/csv-line.test.ts holds the two to the same bytes.
 */
export function csvLine(delimiter: string, eol: string): (cells: readonly string[]) => string {
  if (delimiter === '' || /["\r\n]/.test(delimiter)) throw new Error(`unsupported CSV delimiter ${JSON.stringify(delimiter)}`);
  // Any one character (--delimiter takes one code point, which may be two UTF-16 units).
  const special = new RegExp(`["\\r\\n]|${delimiter.replace(/[\^$\\.*+?()[\]{}|/]/g, '\\$&')}`, 'u');
  const field = (value: string): string => (special.test(value) ? `"${value.replaceAll('"', '""')}"` : value);
  return (cells) => {
    let line = cells.length > 0 ? field(cells[0]!) : '';
    for (let i = 1; i < cells.length; i++) line += delimiter + field(cells[i]!);
    return line + eol;
  };
}
