// Step 2: what the first pass found (encoding, delimiter, which column feeds which field) and
// the first rows as they will be sent. Each change asks the server to read the file again
// with the person's choice, as `--map`, `--encoding`, `--delimiter` would.
import { api } from './api.js';
import { $, el, show } from './dom.js';
import { t } from './i18n.js';

const FIELDS = [
  ['primeiro_nome', 'fieldFirst'],
  ['ultimo_nome', 'fieldLast'],
  ['empresa', 'fieldCompany'],
  ['nome_completo', 'fieldFull'],
];
const ENCODINGS = ['utf8', 'windows-1252', 'latin1', 'utf16le'];
const DELIMITERS = [
  [',', 'delimComma'],
  [';', 'delimSemicolon'],
  ['|', 'delimPipe'],
  ['\t', 'delimTab'],
];

/** The person's choices so far: only what they changed, so the CLI still detects the rest. */
export function choicesFor(session) {
  const body = {};
  if (Object.keys(session.map).length) body.map = { ...session.map };
  if (session.sheet) body.sheet = session.sheet;
  if (session.encoding) body.encoding = session.encoding;
  if (session.delimiter) body.delimiter = session.delimiter;
  return body;
}

/** A field's new column; the names come either from two columns or from one full-name column. */
export function remap(map, field, header) {
  const next = { ...map, [field]: header };
  if (field === 'nome_completo') {
    delete next.primeiro_nome;
    delete next.ultimo_nome;
  } else if (field === 'primeiro_nome' || field === 'ultimo_nome') delete next.nome_completo;
  return next;
}

function select(id, options, selected, onChange) {
  const node = el(
    'select',
    { id },
    options.map(([value, label]) => el('option', { value, selected: value === selected }, label)),
  );
  node.addEventListener('change', () => onChange(node.value));
  return node;
}

function fillSelect(node, options, selected) {
  node.replaceChildren(
    ...options.map(([value, label]) => el('option', { value, selected: value === selected }, label)),
  );
}

function renderMapping(session, result, onChange) {
  const headers = result.headers ?? [];
  $('mapping').replaceChildren(
    ...FIELDS.map(([field, label]) => {
      const current = result.mapping?.[field] ?? '';
      const options = [['', t('notUsed')], ...headers.map((h) => [h, h])];
      const chooser = select(`map-${field}`, options, current, (header) => {
        if (header) onChange(remap(session.map, field, header));
        else {
          // "Not used": forget the person's own choice for it (the file's own column may come back).
          const next = { ...session.map };
          delete next[field];
          onChange(next);
        }
      });
      chooser.dataset.field = field;
      return el(
        'div',
        { className: `field${current ? '' : ' unused'}` },
        el('label', { htmlFor: `map-${field}` }, t(label)),
        chooser,
      );
    }),
  );
}

function renderPreview(rows) {
  $('preview')
    .querySelector('tbody')
    .replaceChildren(
      ...rows.map((row) =>
        el(
          'tr',
          { className: row.valid ? '' : 'invalid' },
          // data-label: on a phone each row is a card, each cell named by its column.
          el('td', { 'data-label': t('line') }, String(row.line)),
          el('td', { 'data-label': t('fieldFirst') }, row.contact?.primeiro_nome ?? ''),
          el('td', { 'data-label': t('fieldLast') }, row.contact?.ultimo_nome ?? ''),
          el('td', { 'data-label': t('fieldCompany') }, row.contact?.empresa ?? ''),
          el(
            'td',
            { 'data-label': t('status') },
            !row.valid
              ? t('rowInvalid', { reason: row.reason ?? '' })
              : row.repeatOf
                ? t('rowRepeat', { row: row.repeatOf })
                : t('rowOk'),
          ),
        ),
      ),
    );
}

/** The sheet, encoding and separator the file was read with (a CSV's two lists; a workbook has neither). */
function renderDialect(session, result) {
  if (result.sheet) $('sheet').value = result.sheet;
  const csv = session.upload.kind === 'csv';
  show($('dialect'), csv);
  if (!csv) return;
  fillSelect(
    $('encoding'),
    ENCODINGS.concat(ENCODINGS.includes(result.encoding) ? [] : [result.encoding]).map((e) => [e, e]),
    result.encoding,
  );
  fillSelect(
    $('delimiter'),
    DELIMITERS.map(([d, label]) => [d, t(label)]),
    result.delimiter,
  );
}

/**
 * Reads the uploaded file with the session's choices and shows the result; resolves with
 * whether the file can go on to the cost (false: the CLI's refusal is on screen).
 */
export async function inspect(session, onChange) {
  show($('step-columns'));
  show($('columns-busy'));
  try {
    const result = await api(`uploads/${encodeURIComponent(session.upload.id)}/inspect`, choicesFor(session));
    show($('refused'), false);
    show($('preview-block'));
    renderDialect(session, result);
    renderMapping(session, result, onChange);
    renderPreview(result.preview ?? []);
    return true;
  } catch (error) {
    if (error.status !== 422 && error.status !== 400) throw error;
    $('refused-message').textContent = error.message;
    show($('refused'));
    show($('preview-block'), false);
    // The dropdowns stay (from the last reading, or the headers the refusal names) so the person can fix the mapping.
    const headers = error.details?.headers;
    if (Array.isArray(headers)) {
      // The encoding and separator it was read with, too: empty lists there looked like nothing was found.
      renderDialect(session, error.details);
      renderMapping(session, { headers, mapping: error.details.mapping ?? {} }, onChange);
    }
    return false;
  } finally {
    show($('columns-busy'), false);
  }
}

/** Wires the encoding and delimiter choosers once. */
export function wireDialect(session, reinspect) {
  $('encoding').addEventListener('change', () => {
    session.encoding = $('encoding').value;
    reinspect();
  });
  $('delimiter').addEventListener('change', () => {
    session.delimiter = $('delimiter').value;
    reinspect();
  });
}
