// @ts-check
// The page's composition root: the page's state is the one object below, each step drawn from
// it by its own render (file, columns, cost; the run's panel and the list follow their run),
// and the handlers only change the state and draw again. Steps in the order a person uses them.
import { ApiError, estimateUpload, getAccount, getCatalog, inspectUpload, startRun, upload } from './api.js';
import { choicesFor, renderColumns, wireDialect } from './columns-step.js';
import { budget, chosen, renderChoices, renderCost } from './cost-step.js';
import { $, el, show } from './dom.js';
import { renderFile, wireFileStep } from './file-step.js';
import { renderAccount, renderLangSwitch } from './header.js';
import { lang, loadCatalog, t, translatePage } from './i18n.js';
import { followRun, refreshRuns } from './runs-list.js';
import { renderRun, resume, watch, wireRun } from './run-step.js';

/** @typedef {import('./api.js').AccountAnswer} AccountAnswer */
/** @typedef {import('./api.js').UploadAnswer} UploadAnswer */
/** @typedef {import('./api.js').InspectAnswer} InspectAnswer */
/** @typedef {import('./api.js').EstimateAnswer} EstimateAnswer */
/** @typedef {import('./api.js').ReadRequest} ReadRequest */

/**
 * @typedef {object} PageState
 * @property {AccountAnswer} [account]
 * @property {boolean} noKey the server has no API key: everything but Start works
 * @property {ApiError} [keyProblem] the key is refused (its plan, revoked): said at the top, never as the file's fault
 * @property {{ name?: string, fraction?: number, failed?: ApiError }} sending the upload under way or refused
 * @property {UploadAnswer} [upload]
 * @property {ReadRequest & { map: NonNullable<ReadRequest['map']> }} read what the person chose: only what they changed
 * @property {{ busy: boolean, found?: InspectAnswer, refusal?: ApiError }} [columns] step 2, hidden when undefined
 * @property {{ busy: boolean, estimate?: EstimateAnswer, refusal?: ApiError }} [cost] step 3, hidden when undefined
 * @property {boolean} starting Start was pressed, its run not yet begun
 * @property {string} [startedHere] the run started from step 3 (priced again when it ends)
 * @property {import('./run-step.js').WatchedRun} [run] the run on screen (steps 4 and 5), hidden when undefined
 */

/** @type {PageState} */
const state = { noKey: false, sending: {}, read: { map: {} }, starting: false };

/** Changes the state and draws every step from it. */
function update(/** @type {Partial<PageState>} */ change) {
  Object.assign(state, change);
  renderFile(state);
  renderColumns(state, (map) => reread({ map }));
  renderCost(state);
  renderAccount(state);
  renderRun(state);
}

/** What the run's panel reads and changes of the page. @type {import('./run-step.js').Page} */
const page = { state: () => state, update, runsChanged };

/** Any failure of any request: no answer at all is "the server is not running", whatever was asked. */
function problem(/** @type {unknown} */ error) {
  const message = error instanceof Error ? error.message : String(error);
  $('problem-message').textContent =
    error instanceof ApiError && error.status === 0 ? t('notConnected') : t('errorGeneric', { message });
  show($('problem'));
}

/** @param {() => Promise<unknown>} task */
const safely = (task) => () => void task().catch(problem);

/** A refusal of the file or the options (as the CLI's), not a failure of the page. */
const isRefusal = (/** @type {unknown} */ error) =>
  error instanceof ApiError && (error.status === 422 || error.status === 400);

async function loadAccount() {
  try {
    update({ account: await getAccount() });
  } catch (error) {
    if (!(error instanceof ApiError)) throw error;
    if (error.code === 'MISSING_KEY') return update({ noKey: true });
    // A refused key (its plan, a revoked key): said at the top, not as a problem with the file.
    if ([401, 403, 422].includes(error.status)) return update({ keyProblem: error, account: undefined });
    throw error;
  }
}

/** While a run goes on, the header's credits are read again at most this often. */
const ACCOUNT_EVERY_MS = 2000;
let accountReadAt = 0;

/** The header's credits follow a run as it spends (throttled); a failed read waits for the next. */
function followAccount() {
  if (state.noKey || state.keyProblem || Date.now() - accountReadAt < ACCOUNT_EVERY_MS) return;
  accountReadAt = Date.now();
  loadAccount().catch(() => undefined);
}

/** Reads the file again with the person's new choice (a column, the sheet, the encoding...). */
function reread(/** @type {ReadRequest} */ change) {
  update({ read: { ...state.read, ...change } });
  check().catch(problem);
}

/** Reads the file with the current choices, then prices it if it can be used. */
async function check() {
  if (!state.upload) return;
  update({ columns: { busy: true, found: state.columns?.found }, cost: undefined });
  try {
    update({ columns: { busy: false, found: await inspectUpload(state.upload.id, choicesFor(state)) } });
  } catch (error) {
    if (!isRefusal(error)) throw error;
    return update({ columns: { busy: false, refusal: /** @type {ApiError} */ (error) } });
  }
  await price();
}

async function price() {
  if (!state.upload) return;
  update({ cost: { busy: true, estimate: state.cost?.estimate } });
  try {
    const estimate = await estimateUpload(state.upload.id, { ...choicesFor(state), endpoint: endpoint() });
    update({ cost: { busy: false, estimate } });
  } catch (error) {
    if (!isRefusal(error)) throw error;
    // The key's refusal is already said at the top: the file is not the problem.
    const keys = state.keyProblem && /** @type {ApiError} */ (error).code === state.keyProblem.code;
    // Otherwise a refusal only the full pass finds (the values of a column): said in step 2, by its lists.
    update({ cost: keys ? undefined : { busy: false, refusal: /** @type {ApiError} */ (error) } });
  }
}

const endpoint = () => /** @type {'crm_basico' | 'crm' | undefined} */ (chosen('endpoint'));
const format = () => /** @type {import('./api.js').RunRequest['format']} */ (chosen('format'));

/**
 * Steps 4 and 5 belong to the run on screen: a new file puts them away with step 2 and 3. The run
 * is still followed: its entry in the list, and step 3's price when it ends.
 */
function hideRun() {
  if (state.run) update({ run: { ...state.run, hidden: true } });
}

/** The sheets of a workbook, in the sheet's list. */
const showSheets = (/** @type {UploadAnswer} */ sent) =>
  $('sheet').replaceChildren(...(sent.sheets ?? []).map((name) => el('option', { value: name }, name)));

/** Where a language switch keeps the file on screen and its choices (this tab only): the page reloads. */
const KEPT = 'fluence-enrich.file';

/**
 * Keeps the file and the person's choices (columns, sheet, encoding, what to find out, the
 * limit) as data, not as the words on screen: after the switch the file is read again, and the
 * server says what it finds, or its refusal, in the new language.
 */
function keepFile() {
  const { failed } = state.sending;
  // A refused upload has no file to read again: its refusal is kept (its words in every language).
  const refused =
    failed && failed.status !== 0
      ? { status: failed.status, code: failed.code, message: failed.message, details: failed.details }
      : undefined;
  if (!state.upload && !refused) return;
  const kept = {
    upload: state.upload,
    read: state.read,
    refused,
    endpoint: endpoint(),
    budget: $('budget', HTMLInputElement).value,
  };
  globalThis.sessionStorage?.setItem(KEPT, JSON.stringify(kept));
}

/** The file kept by a language switch, back on screen and read again (in the page's new language). */
async function restoreFile() {
  const text = globalThis.sessionStorage?.getItem(KEPT);
  globalThis.sessionStorage?.removeItem(KEPT);
  if (!text) return;
  /** @type {{ upload?: UploadAnswer, read: PageState['read'], refused?: { status: number, code: string, message: string, details: ApiError['details'] }, endpoint?: string, budget?: string }} */
  const kept = JSON.parse(text);
  const { refused } = kept;
  if (refused)
    return update({
      sending: { failed: new ApiError(refused.status, refused.code, refused.message, refused.details) },
    });
  if (!kept.upload) return;
  showSheets(kept.upload);
  const radio = document.querySelector(`input[name="endpoint"][value="${CSS.escape(kept.endpoint ?? '')}"]`);
  if (radio instanceof HTMLInputElement) radio.checked = true;
  $('budget', HTMLInputElement).value = kept.budget ?? '';
  update({ upload: kept.upload, read: kept.read });
  try {
    await check();
  } catch (error) {
    // Gone from the work folder since (another tab, a new folder): the page starts from the file step.
    if (!(error instanceof ApiError && error.status === 404)) throw error;
    update({ upload: undefined, read: { map: {} }, columns: undefined, cost: undefined });
  }
}

async function chooseFile(/** @type {File | undefined} */ file) {
  if (!file) return;
  hideRun();
  update({
    upload: undefined,
    read: { map: {} },
    columns: undefined,
    cost: undefined,
    sending: { name: file.name, fraction: 0 },
  });
  try {
    const sent = await upload(file, (fraction) => update({ sending: { name: file.name, fraction } }));
    showSheets(sent);
    update({ upload: sent, sending: {} });
  } catch (error) {
    if (!(error instanceof ApiError)) throw error;
    return update({ sending: { failed: error } });
  } finally {
    $('file-input', HTMLInputElement).value = '';
  }
  await check();
}

async function start() {
  if (!state.upload) return;
  update({ starting: true });
  try {
    const cap = budget();
    const { id } = await startRun({
      ...choicesFor(state),
      upload: state.upload.id,
      endpoint: endpoint(),
      format: format(),
      // The run speaks the page's language: its messages and its report.
      lang: /** @type {import('./api.js').RunRequest['lang']} */ (lang()),
      ...(cap === undefined ? {} : { maxCredits: cap }),
    });
    // Its figures are those of before the run: hidden while it runs, priced again when it ends.
    update({ startedHere: id, cost: undefined });
    await watch(id, page);
    await runsChanged();
  } finally {
    update({ starting: false });
  }
}

/**
 * A run ended: the credits it spent are gone and its answers are free from now on, so step 3's
 * figures (credits left, what Start spends) are those of before: the file is priced again.
 */
function onRunEnded(/** @type {{ id: string }} */ { id }) {
  if (id !== state.startedHere && state.cost === undefined) return;
  update({ startedHere: undefined });
  if (state.upload && !state.columns?.refusal) price().catch(problem);
}

const runsActions = {
  watch: (/** @type {string} */ id) => watch(id, page).catch(problem),
  resume: (/** @type {string} */ id) => resume(id, page).catch(problem),
};

async function runsChanged() {
  try {
    await refreshRuns(runsActions);
    await loadAccount();
  } catch (error) {
    problem(error);
  }
}

function wire() {
  wireFileStep({
    onFile: (file) => chooseFile(file).catch(problem),
    // Another sheet: the person's column choices were for the other one.
    onSheet: (sheet) => reread({ sheet, map: {} }),
  });
  $('again').addEventListener('click', () => {
    hideRun();
    update({ columns: undefined, cost: undefined, sending: {}, upload: undefined });
    $('step-file').scrollIntoView({ behavior: 'smooth' });
    $('file-input').focus();
  });
  wireDialect(reread);
  for (const radio of document.querySelectorAll('input[name="endpoint"]'))
    radio.addEventListener('change', safely(price));
  $('budget').addEventListener('input', () => update({}));
  $('start').addEventListener('click', safely(start));
  wireRun(page, problem);
  $('refresh-runs').addEventListener('click', runsChanged);
  $('problem-close').addEventListener('click', () => show($('problem'), false));
  document.addEventListener('server-lost', () => problem(new ApiError(0, 'NETWORK', '')));
  document.addEventListener('run-progress', (event) => {
    const { id, progress } = /** @type {CustomEvent} */ (event).detail;
    followRun(id, progress);
    followAccount();
  });
  document.addEventListener('run-ended', (event) => onRunEnded(/** @type {CustomEvent} */ (event).detail));
}

/** On opening the page: its words, the header, the runs, and a run still going (the page was reloaded mid-run) on screen. */
async function open() {
  await loadCatalog(getCatalog);
  translatePage();
  renderLangSwitch(keepFile);
  renderChoices();
  wire();
  update({});
  await loadAccount();
  await restoreFile();
  const runs = await refreshRuns(runsActions);
  const live = runs.find((run) => run.status === 'running' || run.status === 'stopping');
  if (live) await watch(live.id, page);
}

open().catch(problem);
