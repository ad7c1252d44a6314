// The page's composition root: it only wires the steps together, in the order a person uses
// them (file, columns, cost, run, download) beside the list of earlier runs.
import { api, upload } from './api.js';
import { choicesFor, inspect, wireDialect } from './columns-step.js';
import { budget, chosen, estimate, showCeiling, showPrices } from './cost-step.js';
import { $, el, show } from './dom.js';
import { num, size, t, translatePage } from './i18n.js';
import { followRun, refreshRuns } from './runs-list.js';
import { resume, watch, wireRun } from './run-step.js';

/** What the person has chosen for the current file; `map` holds only the columns they changed. */
const session = { upload: undefined, sheet: undefined, encoding: undefined, delimiter: undefined, map: {} };
let lastEstimate;
/** False when the server has no API key: everything but Start works. */
let canRun = true;
/** The account's refusal (a key whose plan cannot use the CRM endpoints): the same code from the estimate is not the file's fault. */
let accountProblem;

function problem(error) {
  $('problem-message').textContent =
    error?.status === 0 ? t('notConnected') : t('errorGeneric', { message: error?.message ?? String(error) });
  show($('problem'));
}

const runsActions = {
  watch: (id) => watch(id, runsChanged).catch(problem),
  resume: (id) => resume(id, runsChanged).catch(problem),
};

async function runsChanged() {
  try {
    await refreshRuns(runsActions);
    await loadAccount();
  } catch (error) {
    problem(error);
  }
}

async function loadAccount() {
  let account;
  try {
    account = await api('account');
  } catch (error) {
    if (error.code !== 'MISSING_KEY' && (error.status === 422 || error.status === 403 || error.status === 401)) {
      // The key is refused (its plan, a revoked key): said at the top, not as a problem with the file.
      accountProblem = error;
      $('key-problem').textContent = t('keyProblem', { message: error.message });
      show($('key-problem'));
      canRun = false;
      $('account-plan').textContent = t('unknown');
      $('account-credits').textContent = t('unknown');
      return undefined;
    }
    if (error.code !== 'MISSING_KEY') throw error;
    // No key on the server: columns and estimates work, a run cannot start. Said once, calmly.
    show($('no-key'));
    canRun = false;
    $('account-plan').textContent = t('unknown');
    $('account-credits').textContent = t('unknown');
    return undefined;
  }
  $('account-plan').textContent = account.plan ?? t('unknown');
  $('account-credits').textContent =
    account.creditsLeft === null || account.creditsLeft === undefined ? t('unknown') : num(account.creditsLeft);
  show($('sandbox-badge'), Boolean(account.sandbox));
  showPrices(account.endpointCosts);
  return account;
}

/** While a run goes on, the header's credits are read again at most this often. */
const ACCOUNT_EVERY_MS = 2000;
let accountReadAt = 0;

/** The header's credits follow a run as it spends (throttled); a failed read waits for the next. */
function followAccount() {
  if (!canRun || Date.now() - accountReadAt < ACCOUNT_EVERY_MS) return;
  accountReadAt = Date.now();
  loadAccount().catch(() => undefined);
}

/** The run started from step 3 (its figures say what was left before it): priced again when it ends. */
let startedHere;

function onRunProgress({ id, progress }) {
  followRun(id, progress);
  followAccount();
}

/**
 * A run ended: the credits it spent are gone and its answers are free from now on, so step 3's
 * figures (credits left, what Start spends) are those of before: the file is priced again.
 */
function onRunEnded({ id }) {
  const shown = !$('step-cost').hidden;
  if (id !== startedHere && !shown) return;
  startedHere = undefined;
  if (session.upload) price().catch(problem);
}

function hideAfter(step) {
  const order = ['step-columns', 'step-cost', 'step-run', 'step-download'];
  for (const id of order.slice(order.indexOf(step) + 1)) show($(id), false);
}

/** Reads the file again with the current choices, then prices it if it can be used. */
async function check() {
  hideAfter('step-columns');
  lastEstimate = undefined;
  const usable = await inspect(session, (map) => {
    session.map = map;
    check().catch(problem);
  });
  if (!usable) return;
  await price();
}

async function price() {
  try {
    lastEstimate = await estimate(session);
    if (!canRun) $('start').disabled = true;
  } catch (error) {
    if (error.status !== 422 && error.status !== 400) throw error;
    show($('step-cost'), false);
    // The key's refusal is already said at the top: the file is not the problem.
    if (accountProblem && error.code === accountProblem.code) return;
    // A refusal that only the full pass finds (the values of a column): the CLI's message, as step 2 shows it.
    $('refused-message').textContent = error.message;
    show($('refused'));
  }
}

async function chooseFile(file) {
  if (!file) return;
  Object.assign(session, { upload: undefined, sheet: undefined, encoding: undefined, delimiter: undefined, map: {} });
  hideAfter('step-file');
  show($('step-columns'), false);
  show($('sheet-field'), false);
  $('mapping').replaceChildren();
  const bar = $('upload-progress');
  bar.value = 0;
  show(bar);
  $('upload-message').textContent = t('uploading', { name: file.name });
  $('upload-message').className = '';
  try {
    session.upload = await upload(file, (fraction) => {
      bar.value = fraction;
    });
  } catch (error) {
    show(bar, false);
    $('upload-message').textContent = t(error.status === 413 ? 'uploadTooBig' : 'uploadFailed', {
      message: error.message,
    });
    $('upload-message').className = 'alert';
    return;
  } finally {
    $('file-input').value = '';
  }
  show(bar, false);
  $('upload-message').textContent = t('uploaded', { name: session.upload.name, size: size(session.upload.size) });
  const sheets = session.upload.sheets ?? [];
  show($('sheet-field'), sheets.length > 1);
  $('sheet').replaceChildren(...sheets.map((name) => el('option', { value: name }, name)));
  await check();
}

async function start() {
  $('start').disabled = true;
  try {
    const body = {
      ...choicesFor(session),
      upload: session.upload.id,
      endpoint: chosen('endpoint'),
      format: chosen('format'),
    };
    const cap = budget();
    if (cap !== undefined) body.maxCredits = cap;
    const { id } = await api('runs', body);
    // Its figures are those of before the run: hidden while it runs, priced again when it ends.
    startedHere = id;
    lastEstimate = undefined;
    show($('step-cost'), false);
    await watch(id, runsChanged);
    await runsChanged();
  } catch (error) {
    $('start').disabled = false;
    throw error;
  }
}

function wire() {
  const input = $('file-input');
  input.addEventListener('change', () => chooseFile(input.files?.[0]).catch(problem));
  const drop = $('drop');
  for (const type of ['dragenter', 'dragover'])
    drop.addEventListener(type, (event) => {
      event.preventDefault();
      drop.classList.add('over');
    });
  for (const type of ['dragleave', 'drop']) drop.addEventListener(type, () => drop.classList.remove('over'));
  drop.addEventListener('drop', (event) => {
    event.preventDefault();
    chooseFile(event.dataTransfer?.files?.[0]).catch(problem);
  });
  $('sheet').addEventListener('change', () => {
    session.sheet = $('sheet').value;
    session.map = {};
    check().catch(problem);
  });
  wireDialect(session, () => check().catch(problem));
  for (const radio of document.querySelectorAll('input[name="endpoint"]'))
    radio.addEventListener('change', () => price().catch(problem));
  $('budget').addEventListener('input', () => {
    if (!lastEstimate) return;
    showCeiling(lastEstimate);
    if (!canRun) $('start').disabled = true;
  });
  $('start').addEventListener('click', () => start().catch(problem));
  wireRun(runsChanged);
  $('refresh-runs').addEventListener('click', runsChanged);
  $('problem-close').addEventListener('click', () => show($('problem'), false));
  document.addEventListener('server-lost', () => problem({ status: 0 }));
  document.addEventListener('run-progress', (event) => onRunProgress(event.detail));
  document.addEventListener('run-ended', (event) => onRunEnded(event.detail));
  $('again').addEventListener('click', () => {
    hideAfter('step-file');
    show($('step-columns'), false);
    $('upload-message').textContent = '';
    show($('upload-progress'), false);
    show($('sheet-field'), false);
    $('step-file').scrollIntoView({ behavior: 'smooth' });
    $('file-input').focus();
  });
}

/** On opening the page: the header, the runs, and a run still going (the page was reloaded mid-run) on screen. */
async function open() {
  await loadAccount();
  const runs = await refreshRuns(runsActions);
  const live = runs.find((run) => run.status === 'running' || run.status === 'stopping');
  if (live) await watch(live.id, runsChanged);
}

translatePage();
showPrices();
wire();
open().catch(problem);
