// @ts-check
// Step 2: what the first pass found (encoding, delimiter, which column feeds which field) and
// the first rows as they will be sent. Each change asks the server to read the file again
// with the person's choice, as `--map`, `--encoding`, `--delimiter` would. The lists come from
// the server (`choices()`): a field or a separator is declared once, in src/serve/page-choices.ts.
import { $, el, show } from './dom.js';
import { refusalText } from './api.js';
import { choices, t } from './i18n.js';

/** @typedef {import('./app.js').PageState} PageState */
/** @typedef {import('./api.js').InspectAnswer} InspectAnswer */
/** @typedef {import('./api.js').ReadRequest} ReadRequest */
/** @typedef {NonNullable<ReadRequest['map']>} FieldMap */
/** @typedef {keyof FieldMap} MapField */
/** @typedef {Pick<InspectAnswer, 'headers' | 'mapping' | 'encoding' | 'delimiter' | 'sheet'> & Partial<Pick<InspectAnswer, 'columns' | 'samples'>>} Layout */

/** The person's choices so far: only what they changed, so the CLI still detects the rest. */
export function choicesFor(/** @type {PageState} */ state) {
  /** @type {ReadRequest} */
  const body = {};
  const { map, sheet, encoding, delimiter } = state.read;
  if (Object.keys(map).length) body.map = { ...map };
  if (sheet) body.sheet = sheet;
  if (encoding) body.encoding = encoding;
  if (delimiter) body.delimiter = delimiter;
  return body;
}

/**
 * A field's new column; the names come either from two columns or from one full-name column.
 * "Not used" (`''`) forgets the person's own choice for it (the file's own column may come back).
 * @param {FieldMap} map @param {MapField} field @param {string} header
 */
export function remap(map, field, header) {
  const next = { ...map, [field]: header };
  if (!header) delete next[field];
  else if (field === 'nome_completo') {
    delete next.primeiro_nome;
    delete next.ultimo_nome;
  } else if (field === 'primeiro_nome' || field === 'ultimo_nome') delete next.nome_completo;
  return next;
}

/** @param {HTMLSelectElement} node @param {Array<[string, string]>} options @param {string | null | undefined} selected */
function fill(node, options, selected) {
  node.replaceChildren(
    ...options.map(([value, label]) => el('option', { value, selected: value === selected }, label)),
  );
}

/** A header as the first pass compares them (src/input/columns.ts `squash`, or coarser): case, accents, spaces and dashes aside. */
const fold = (/** @type {string} */ header) =>
  header
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[\s_-]+/g, '');

/**
 * Each column as a list offers it: `[what is sent as the map, what the person reads]`. A header no
 * other column shares is sent by its name (the runs list shows `empresa=Razão Social`); two columns
 * with one header, or a blank one, by their number (`--map empresa=5`), and read with their number
 * and first values, so a person can tell them apart and the choice can tell the server which.
 * @param {Layout} layout @returns {Array<[string, string]>}
 */
function columnChoices(layout) {
  const folded = layout.headers.map(fold);
  return layout.headers.map((header, i) => {
    const named = header.trim() !== '' && folded.indexOf(folded[i] ?? '') === folded.lastIndexOf(folded[i] ?? '');
    if (named) return [header, header];
    const values = (layout.samples?.[i] ?? []).join(', ');
    const label = t('columnNumbered', { header, column: i + 1 });
    return [String(i + 1), values ? `${label}: ${values}` : label];
  });
}

/** The mapping's lists; `onMap(map)` with the person's new choices. */
function renderMapping(
  /** @type {PageState} */ state,
  /** @type {Layout} */ layout,
  /** @type {(map: FieldMap) => void} */ onMap,
) {
  const columns = columnChoices(layout);
  $('mapping').replaceChildren(
    ...choices().fields.map(({ value: field, label }) => {
      // By its number when the server says it: a header two columns share names neither.
      const at = layout.columns?.[field];
      const current = at ? (columns[at - 1]?.[0] ?? '') : (layout.mapping?.[field] ?? '');
      const chooser = /** @type {HTMLSelectElement} */ (el('select', { id: `map-${field}` }));
      fill(chooser, [['', t('notUsed')], ...columns], current);
      chooser.dataset.field = field;
      chooser.addEventListener('change', () => onMap(remap(state.read.map, field, chooser.value)));
      return el(
        'div',
        { className: `field${current ? '' : ' unused'}` },
        el('label', { htmlFor: `map-${field}` }, t(label)),
        chooser,
      );
    }),
  );
}

/** @param {InspectAnswer['preview']} rows */
function renderPreview(rows) {
  const status = (/** @type {InspectAnswer['preview'][number]} */ row) =>
    !row.valid
      ? t('rowInvalid', { reason: row.reason ?? '' })
      : row.repeatOf
        ? t('rowRepeat', { row: row.repeatOf })
        : t('rowOk');
  const body = /** @type {HTMLElement} */ ($('preview').querySelector('tbody'));
  body.replaceChildren(
    ...rows.map((row) =>
      el(
        'tr',
        { className: row.valid ? '' : 'invalid' },
        // data-label: on a phone each row is a card, each cell named by its column.
        el('td', { 'data-label': t('line') }, String(row.line)),
        el('td', { 'data-label': t('fieldFirst') }, row.contact?.primeiro_nome ?? ''),
        el('td', { 'data-label': t('fieldLast') }, row.contact?.ultimo_nome ?? ''),
        el('td', { 'data-label': t('fieldCompany') }, row.contact?.empresa ?? ''),
        el('td', { 'data-label': t('status') }, status(row)),
      ),
    ),
  );
}

/** The sheet, encoding and separator the file was read with (a CSV's two lists; a workbook has neither). */
function renderDialect(/** @type {PageState} */ state, /** @type {Layout} */ layout) {
  if (layout.sheet) $('sheet', HTMLSelectElement).value = layout.sheet;
  const csv = state.upload?.kind === 'csv';
  show($('dialect'), csv);
  if (!csv) return;
  const { encodings, delimiters } = choices();
  const known = encodings.includes(layout.encoding) ? encodings : [...encodings, layout.encoding];
  fill(
    $('encoding', HTMLSelectElement),
    known.map((e) => [e, e]),
    layout.encoding,
  );
  fill(
    $('delimiter', HTMLSelectElement),
    delimiters.map(({ value, label }) => [value, t(label)]),
    layout.delimiter,
  );
}

/** The reading (or refusal) whose lists are on screen. @type {unknown} */
let drawn;

/**
 * Step 2 as `state.columns` says: hidden before a file, busy while it is read, then what was
 * found or the refusal (the dropdowns stay, from the headers the refusal names, so the person
 * can choose the right column in the list).
 * @param {PageState} state @param {(map: FieldMap) => void} onMap
 */
export function renderColumns(state, onMap) {
  const { columns } = state;
  show($('step-columns'), columns !== undefined);
  if (!columns) return;
  show($('columns-busy'), columns.busy);
  const refusal = columns.refusal ?? state.cost?.refusal;
  show($('refused'), refusal !== undefined);
  $('refused-message').textContent = refusal ? refusalText(refusal) : '';
  show($('preview-block'), columns.found !== undefined && columns.refusal === undefined);
  const layout = columns.refusal ? refusedLayout(columns.refusal.details) : columns.found;
  // Drawn once per reading: drawing the lists again would take the focus from the one in use.
  if (!layout || columns.busy || drawn === (columns.refusal ?? columns.found)) return;
  drawn = columns.refusal ?? columns.found;
  renderDialect(state, layout);
  renderMapping(state, layout, onMap);
  if (columns.found && !columns.refusal) renderPreview(columns.found.preview ?? []);
}

/** What a refusal says of the file (when it could be read): its headers and what they chose. */
function refusedLayout(/** @type {import('./api.js').ApiError['details']} */ details) {
  if (!Array.isArray(details.headers)) return undefined;
  return /** @type {Layout} */ ({ ...details, headers: details.headers, mapping: details.mapping ?? {} });
}

/** Wires the encoding and delimiter choosers once. */
export function wireDialect(/** @type {(change: ReadRequest) => void} */ onRead) {
  const encoding = $('encoding', HTMLSelectElement);
  const delimiter = $('delimiter', HTMLSelectElement);
  encoding.addEventListener('change', () => onRead({ encoding: encoding.value }));
  delimiter.addEventListener('change', () => onRead({ delimiter: delimiter.value }));
}
