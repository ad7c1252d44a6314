import { DEFAULT_LANG, render, type Lang } from '../i18n/index.js';
import { message, wordList, type Message } from '../i18n/message.js';
import { fieldColumns, otherCandidates, type Columns } from './columns.js';
import type { Dialect } from './dialect.js';
import type { Shape } from './shape.js';
import { tabList } from './xlsx/sheets.js';

type Mapped = Pick<Shape, 'header' | 'columns'> &
  Partial<Pick<Shape, 'headerLine' | 'headerRecord' | 'footerLines' | 'dialect' | 'hiddenRows'>>;

/**
 * Which column became which field, which other columns could have been one, and what of the file
 * is not read as contacts (a preamble, a footer, other sheets, hidden rows): said before anything
 * is spent, as a message (a log line's readable text is in the run's language, its JSON in English).
 */
export function mappingWords(shape: Mapped): Message {
  const parts: Message[] = [
    ...columnWords(shape.header, shape.columns),
    ...otherCandidates(shape.header, shape.columns).map(({ field, chosen, others }) =>
      message('cli.mapping.choice', {
        field,
        chosen: JSON.stringify(chosen),
        others: others.map((o) => JSON.stringify(o)).join(', '),
      }),
    ),
  ];
  if ((shape.headerRecord ?? 1) > 1)
    parts.push(message('cli.mapping.preamble', { line: shape.headerLine, skipped: shape.headerLine! - 1 }));
  if (shape.footerLines) parts.push(message('cli.mapping.footer', { n: shape.footerLines }));
  const sheet = sheetWords(shape.dialect);
  if (sheet) parts.push(sheet);
  if (shape.hiddenRows?.rows)
    parts.push(
      message('cli.mapping.hidden', { rows: shape.hiddenRows.rows, sent: shape.hiddenRows.sent ? 'yes' : 'no' }),
    );
  return message('cli.mapping.line', { parts: wordList(parts, 'parts') });
}

/** `mappingWords` in `lang` (English by default: a JSON log field, `estimate --json`). */
export const mappingText = (shape: Mapped, lang: Lang = DEFAULT_LANG): string => render(lang, mappingWords(shape));

/** Each field's column, by header and position; a full name says it is split. */
function columnWords(headers: readonly string[], columns: Columns): Message[] {
  return fieldColumns(columns).map(([field, i]) => {
    const said = { field, header: JSON.stringify(headers[i]), n: String(i + 1) };
    return field === 'nome_completo'
      ? message('cli.mapping.split', { ...said, guessed: columns.kind === 'full' && columns.guessed ? 'yes' : 'no' })
      : message('cli.mapping.column', said);
  });
}

/** Which sheet of a workbook was read: a workbook's first visible tab is not always the one its owner meant. */
function sheetWords(dialect: Dialect | undefined): Message | undefined {
  if (!dialect?.xlsx) return undefined;
  const { sheet, sheets = [] } = dialect.xlsx;
  return message('cli.mapping.sheet', {
    sheet: JSON.stringify(sheet),
    many: sheets.length > 1 ? 'yes' : 'no',
    tabs: tabList(sheets),
  });
}
