// Every string the page shows, in Portuguese and English. The page follows the browser's
// language list (navigator.languages): the first of them we speak wins, English otherwise.
// Messages from the CLI itself (a refused file, an invalid row's reason) stay as the CLI wrote them.

const STRINGS = {
  en: {
    title: 'Enrich a contact spreadsheet',
    tagline:
      "Your file stays on this computer: only each contact's name and company go to Fluence, one request per contact.",
    plan: 'Plan',
    creditsLeft: 'Credits left',
    unknown: 'unknown',
    sandbox: 'Trial mode (sandbox): nothing is really charged',
    notConnected:
      'The local server is not running (or cannot be reached): start `fluence-enrich serve` again and reload this page. A run it was running is listed as stopped: Resume finishes it without paying twice.',

    step1: '1. Choose your file',
    step1Help: 'A CSV or Excel (.xlsx) export of contacts, for example from RD Station, HubSpot or Pipedrive.',
    dropHere: 'Drop the file here',
    or: 'or',
    chooseFile: 'Choose a file',
    uploading: 'Sending {name} to the local server…',
    uploaded: '{name} ({size}) is ready.',
    uploadTooBig: 'This file is too big for this server: {message}',
    uploadFailed: 'The file could not be sent: {message}',
    sheet: 'Sheet',
    sheetHelp: 'This workbook has several sheets: pick the one with the contacts.',
    anotherFile: 'Choose another file',

    step2: '2. Check the columns',
    step2Help:
      'We found these columns. If one is wrong, pick the right column in its list: nothing is sent until you press Start.',
    encoding: 'Text encoding',
    delimiter: 'Column separator',
    delimComma: 'comma ( , )',
    delimSemicolon: 'semicolon ( ; )',
    delimPipe: 'vertical bar ( | )',
    delimTab: 'tab',
    fieldFirst: 'First name',
    fieldLast: 'Last name',
    fieldCompany: 'Company',
    fieldFull: 'Full name (split into first and last name)',
    notUsed: '— not used —',
    previewTitle: 'The first rows, as they will be sent',
    line: 'Line',
    status: 'Check',
    rowOk: 'ready',
    rowRepeat: 'repeat of row {row}: asked once, its answer written on both',
    rowInvalid: 'skipped: {reason}',
    refused: 'This file cannot be used as it is. Nothing was sent or spent.',
    refusedHow:
      'The message below comes from the enrichment tool. Choose another column in the lists above, or fix the file and choose it again.',
    checking: 'Reading the file…',

    step3: '3. See what it costs',
    step3Help: 'Each contact asked costs credits. Repeats and contacts already answered before are free.',
    endpoint: 'What to find out',
    endpointBasic: 'Profile (role, company, seniority, location, summary)',
    endpointFull: 'Profile and personality (DISC profile, communication style, how to approach)',
    perContact: '{n, plural, one {# credit} other {# credits}} per contact',
    rows: 'Rows in the file',
    valid: 'Rows with a name and a company',
    invalid: 'Rows skipped (not sent, free)',
    duplicates: 'Repeated contacts (asked once)',
    alreadyAnswered: 'Already answered before (free)',
    toAsk: 'Contacts to ask',
    maxCredits: 'Credits at most',
    maxCreditsHelp:
      'Every contact asked is charged, found or not; only answers with too little public data and server errors are refunded, so the real cost can be a little lower.',
    time: "Estimated time at your plan's speed",
    yourFile: 'Your file',
    theCost: 'The cost',
    whySkipped: "Why rows are skipped (the tool's own words):",
    notEnough:
      '{left, plural, one {Your # credit covers} other {Your # credits cover}} {covered} of the {toAsk, plural, one {# contact} other {# contacts}}. The run asks those and leaves the rest for later: you can resume it after buying credits.',
    budget: 'Spend at most (optional)',
    budgetHelp: 'Leave empty to allow up to the figure above.',
    creditsUnit: 'credits',
    format: 'Result file',
    formatCsv: 'CSV (same layout as your file)',
    formatExcelCsv: 'CSV for Excel (opens with a double click)',
    formatXlsx: 'Excel workbook (.xlsx)',
    estimating: 'Counting…',
    costSentence: 'Starting will spend at most {credits} (you have {left}).',
    costSentenceUnknown: 'Starting will spend at most {credits}.',

    step4: '4. Start and watch',
    start: 'Start: up to {credits}',
    stop: 'Stop',
    stopHelp:
      'Stopping lets the contacts already asked finish; the others stay to do, and you can resume later without paying twice.',
    resume: 'Resume',
    'state.running': 'Running',
    'state.stopping': 'Stopping: the contacts already asked are finishing…',
    'state.stopped': 'Stopped',
    'state.finished': 'Finished',
    'state.failed': 'Failed',
    'state.disconnected': 'Not connected: the local server does not answer, so this run is not known to go on',
    burstNote: 'Your plan allows short bursts above its limit, so your speed can pass the line for a moment.',
    rowsDone: '{rows} of {total, plural, one {# row} other {# rows}}',
    ok: 'Found',
    notFound: 'Not found',
    invalidRows: 'Skipped',
    failed: 'Failed (retried next run)',
    rateValue: '{now} per second (limit {plan})',
    pending: 'Still to do',
    credits: 'Credits spent',
    timeLeft: 'Time left',
    elapsed: 'Elapsed',
    rateNow: 'Your speed',
    planRate: "Your plan's limit",
    rateChart: "Contacts per second, against your plan's limit",
    rateLimited: 'The API asked us to slow down {n, plural, one {once} other {# times}}.',
    perSecond: 'per second',
    seconds: 'seconds',
    runStopped:
      'Stopped. {pending, plural, one {# row was} other {# rows were}} not asked yet: press Resume to finish them (those already paid are not paid again).',
    runStoppedBudget:
      'Stopped at your limit of {cap}: {pending, plural, one {# row was} other {# rows were}} not asked. Resume asks them, spending at most the limit below (answers already paid are not paid again).',
    resumeBudget: 'Spend at most on resuming',
    resumeBudgetHelp: 'Leave empty for no limit beyond your credits.',
    runStoppedCredits:
      'Stopped: the account has no credits left. {pending, plural, one {# row was} other {# rows were}} not asked: add credits, then press Resume (answers already paid are not paid again).',
    runStoppedQuota:
      "Stopped: the plan's monthly quota is used up. {pending, plural, one {# row was} other {# rows were}} not asked: press Resume once it renews (answers already paid are not paid again).",
    runElsewhere:
      'This run is going on in another fluence-enrich page on this computer (another serve using the same work folder): follow or stop it there. Refresh the list here to see when it ends.',
    runFinished: 'Finished: {ok, plural, one {# row} other {# rows}} found, {credits} spent in all.',
    runFailed: 'The run stopped with an error: {error}',

    step5: '5. Download the result',
    step5Help: 'Your file with the new columns added on the right. The report explains every row that needs attention.',
    download: 'Download the enriched file',
    report: 'Open the run report',
    newTab: '(opens in a new tab)',

    step6: 'Earlier runs',
    step6Help: 'Everything run from this page, kept in the work folder on this computer.',
    noRuns: 'No runs yet.',
    runName: 'File',
    runWhen: 'Started',
    runStatus: 'Status',
    runCredits: 'Credits',
    runRows: 'Rows done',
    runActions: 'Actions',
    watch: 'Watch',
    refresh: 'Refresh the list',
    'status.running': 'running',
    'status.stopping': 'stopping',
    'status.stopped': 'stopped',
    'status.finished': 'finished',
    'status.failed': 'failed',

    secondsShort: '{n} s',
    minutesShort: '{n} min',
    hoursShort: '{h} h {m} min',
    underSecond: 'under 1 s',
    bytes: '{n, plural, one {# byte} other {# bytes}}',
    kb: '{n} KB',
    mb: '{n} MB',
    credit: '{n, plural, one {# credit} other {# credits}}',
    atLeast: 'at least {n}',
    unfinishedRequests:
      '({n, plural, one {# request was} other {# requests were}} cut off unanswered when the server stopped: each may have cost one more charge)',
    errorGeneric: 'Something went wrong: {message}',
    close: 'Close',
    keyProblem:
      'The API key this server uses cannot enrich contacts: {message}. Your file is fine, and nothing was spent: start the server again with another key (FLUENCE_API_KEY or --api-key-file).',
    noKey:
      'This server has no API key: you can check your file and its cost, but not start. Start it again with FLUENCE_API_KEY set (or --api-key-file), or try it with --sandbox.',
  },
  pt: {
    title: 'Enriquecer uma planilha de contatos',
    tagline:
      'Seu arquivo fica neste computador: só o nome e a empresa de cada contato vão para a Fluence, uma consulta por contato.',
    plan: 'Plano',
    creditsLeft: 'Créditos restantes',
    unknown: 'desconhecido',
    sandbox: 'Modo de teste (sandbox): nada é cobrado de verdade',
    notConnected:
      'O servidor local não está rodando (ou não responde): inicie o `fluence-enrich serve` de novo e recarregue esta página. Uma execução em andamento aparecerá como parada: Retomar a conclui sem pagar duas vezes.',

    step1: '1. Escolha o arquivo',
    step1Help: 'Um CSV ou Excel (.xlsx) exportado com os contatos, por exemplo do RD Station, HubSpot ou Pipedrive.',
    dropHere: 'Solte o arquivo aqui',
    or: 'ou',
    chooseFile: 'Escolher um arquivo',
    uploading: 'Enviando {name} para o servidor local…',
    uploaded: '{name} ({size}) está pronto.',
    uploadTooBig: 'Este arquivo é grande demais para este servidor: {message}',
    uploadFailed: 'Não foi possível enviar o arquivo: {message}',
    sheet: 'Aba',
    sheetHelp: 'Esta planilha tem várias abas: escolha a que tem os contatos.',
    anotherFile: 'Escolher outro arquivo',

    step2: '2. Confira as colunas',
    step2Help:
      'Encontramos estas colunas. Se alguma estiver errada, escolha a coluna certa na lista: nada é enviado antes de você apertar Começar.',
    encoding: 'Codificação do texto',
    delimiter: 'Separador de colunas',
    delimComma: 'vírgula ( , )',
    delimSemicolon: 'ponto e vírgula ( ; )',
    delimPipe: 'barra vertical ( | )',
    delimTab: 'tabulação',
    fieldFirst: 'Nome',
    fieldLast: 'Sobrenome',
    fieldCompany: 'Empresa',
    fieldFull: 'Nome completo (separado em nome e sobrenome)',
    notUsed: '— não usado —',
    previewTitle: 'As primeiras linhas, como serão enviadas',
    line: 'Linha',
    status: 'Situação',
    rowOk: 'pronta',
    rowRepeat: 'repete a linha {row}: consultada uma só vez, a resposta vale para as duas',
    rowInvalid: 'ignorada: {reason}',
    refused: 'Este arquivo não pode ser usado como está. Nada foi enviado nem gasto.',
    refusedHow:
      'A mensagem abaixo vem da ferramenta de enriquecimento (em inglês). Escolha outra coluna nas listas acima, ou corrija o arquivo e escolha-o de novo.',
    checking: 'Lendo o arquivo…',

    step3: '3. Veja quanto custa',
    step3Help: 'Cada contato consultado custa créditos. Repetidos e contatos já respondidos antes não custam nada.',
    endpoint: 'O que descobrir',
    endpointBasic: 'Perfil (cargo, empresa, senioridade, localização, resumo)',
    endpointFull: 'Perfil e personalidade (perfil DISC, estilo de comunicação, como abordar)',
    perContact: '{n, plural, one {# crédito} other {# créditos}} por contato',
    rows: 'Linhas no arquivo',
    valid: 'Linhas com nome e empresa',
    invalid: 'Linhas ignoradas (não enviadas, grátis)',
    duplicates: 'Contatos repetidos (consultados uma só vez)',
    alreadyAnswered: 'Já respondidos antes (grátis)',
    toAsk: 'Contatos a consultar',
    maxCredits: 'Créditos, no máximo',
    maxCreditsHelp:
      'Cada contato consultado é cobrado, encontrado ou não; só respostas com poucos dados públicos e erros do servidor são reembolsados, então o custo real pode ser um pouco menor.',
    time: 'Tempo estimado na velocidade do seu plano',
    yourFile: 'Seu arquivo',
    theCost: 'O custo',
    whySkipped: 'Por que linhas são ignoradas (nas palavras da ferramenta, em inglês):',
    notEnough:
      '{left, plural, one {Seu # crédito cobre} other {Seus # créditos cobrem}} {covered} {toAsk, plural, one {do # contato} other {dos # contatos}}. A execução consulta esses contatos e deixa os demais para depois: você pode retomá-la quando comprar mais créditos.',
    budget: 'Gastar no máximo (opcional)',
    budgetHelp: 'Deixe vazio para permitir até o valor acima.',
    creditsUnit: 'créditos',
    format: 'Arquivo de resultado',
    formatCsv: 'CSV (no mesmo formato do seu arquivo)',
    formatExcelCsv: 'CSV para Excel (abre com dois cliques)',
    formatXlsx: 'Planilha do Excel (.xlsx)',
    estimating: 'Calculando…',
    costSentence: 'Começar vai gastar no máximo {credits} (você tem {left}).',
    costSentenceUnknown: 'Começar vai gastar no máximo {credits}.',

    step4: '4. Comece e acompanhe',
    start: 'Começar: até {credits}',
    stop: 'Parar',
    stopHelp:
      'Ao parar, as consultas já enviadas são concluídas; os demais contatos ficam para depois, e você pode retomar sem pagar duas vezes.',
    resume: 'Retomar',
    'state.running': 'Em andamento',
    'state.stopping': 'Parando: aguardando as respostas das consultas já enviadas…',
    'state.stopped': 'Parada',
    'state.finished': 'Concluída',
    'state.failed': 'Falhou',
    'state.disconnected': 'Sem conexão: o servidor local não responde, então não se sabe se a execução continua',
    burstNote:
      'Seu plano permite rajadas curtas acima do limite, então sua velocidade pode passar da linha por um momento.',
    rowsDone: '{rows} de {total, plural, one {# linha} other {# linhas}}',
    ok: 'Encontrados',
    notFound: 'Não encontrados',
    invalidRows: 'Linhas ignoradas',
    failed: 'Com falha (tentados de novo na próxima execução)',
    rateValue: '{now} por segundo (limite {plan})',
    pending: 'Faltam',
    credits: 'Créditos gastos',
    timeLeft: 'Tempo restante',
    elapsed: 'Tempo decorrido',
    rateNow: 'Sua velocidade',
    planRate: 'Limite do seu plano',
    rateChart: 'Contatos por segundo, comparados ao limite do seu plano',
    rateLimited: 'A API pediu para reduzir a velocidade {n, plural, one {uma vez} other {# vezes}}.',
    perSecond: 'por segundo',
    seconds: 'segundos',
    runStopped:
      'Parada. {pending, plural, one {# linha ainda não foi consultada} other {# linhas ainda não foram consultadas}}: aperte Retomar para terminá-las (as já pagas não são pagas de novo).',
    runStoppedBudget:
      'Parada no seu limite de {cap}: {pending, plural, one {# linha não foi consultada} other {# linhas não foram consultadas}}. Ao retomar, essas linhas são consultadas, gastando no máximo o limite abaixo (as respostas já pagas não são pagas de novo).',
    resumeBudget: 'Gastar no máximo ao retomar',
    resumeBudgetHelp: 'Deixe vazio para não ter limite além dos seus créditos.',
    runStoppedCredits:
      'Parada: a conta ficou sem créditos. {pending, plural, one {# linha não foi consultada} other {# linhas não foram consultadas}}: adicione créditos e aperte Retomar (as respostas já pagas não são pagas de novo).',
    runStoppedQuota:
      'Parada: a cota mensal do plano acabou. {pending, plural, one {# linha não foi consultada} other {# linhas não foram consultadas}}: aperte Retomar quando ela renovar (as respostas já pagas não são pagas de novo).',
    runElsewhere:
      'Esta execução está rodando em outra página do fluence-enrich neste computador (outro serve com a mesma pasta de trabalho): acompanhe ou pare por lá. Atualize a lista aqui para ver quando terminar.',
    runFinished:
      'Concluída: {ok, plural, one {# linha encontrada} other {# linhas encontradas}}; gasto total: {credits}.',
    runFailed: 'A execução parou com um erro: {error}',

    step5: '5. Baixe o resultado',
    step5Help: 'Seu arquivo com as novas colunas à direita. O relatório explica cada linha que precisa de atenção.',
    download: 'Baixar o arquivo enriquecido',
    report: 'Abrir o relatório da execução',
    newTab: '(abre em outra aba)',

    step6: 'Execuções anteriores',
    step6Help: 'Tudo o que foi executado por esta página, guardado na pasta de trabalho deste computador.',
    noRuns: 'Nenhuma execução ainda.',
    runName: 'Arquivo',
    runWhen: 'Início',
    runStatus: 'Situação',
    runCredits: 'Créditos',
    runRows: 'Linhas processadas',
    runActions: 'Ações',
    watch: 'Acompanhar',
    refresh: 'Atualizar a lista',
    'status.running': 'em andamento',
    'status.stopping': 'parando',
    'status.stopped': 'parada',
    'status.finished': 'concluída',
    'status.failed': 'falhou',

    secondsShort: '{n} s',
    minutesShort: '{n} min',
    hoursShort: '{h} h {m} min',
    underSecond: 'menos de 1 s',
    bytes: '{n, plural, one {# byte} other {# bytes}}',
    kb: '{n} KB',
    mb: '{n} MB',
    credit: '{n, plural, one {# crédito} other {# créditos}}',
    atLeast: 'pelo menos {n}',
    unfinishedRequests:
      '({n, plural, one {# consulta ficou} other {# consultas ficaram}} sem resposta quando o servidor parou: cada uma pode ter sido cobrada)',
    errorGeneric: 'Algo deu errado: {message}',
    close: 'Fechar',
    keyProblem:
      'A chave de API deste servidor não pode enriquecer contatos: {message}. Não há problema com o seu arquivo e nada foi gasto: inicie o servidor de novo com outra chave (FLUENCE_API_KEY ou --api-key-file).',
    noKey:
      'Este servidor não tem chave de API: dá para conferir o arquivo e o custo, mas não começar. Inicie-o de novo com FLUENCE_API_KEY definida (ou --api-key-file), ou experimente com --sandbox.',
  },
};

/** The first language of the browser's list that the page speaks. */
export function pickLanguage(languages) {
  for (const tag of languages ?? []) {
    const base = String(tag).toLowerCase().split('-')[0];
    if (base in STRINGS) return base;
  }
  return 'en';
}

export const lang = pickLanguage(globalThis.navigator?.languages ?? [globalThis.navigator?.language]);
const locale = lang === 'pt' ? 'pt-BR' : 'en';
const numbers = new Intl.NumberFormat(locale);
// Portuguese counts zero in the plural ("0 créditos"); CLDR's pt-BR rule puts 0 with 1 ("0 crédito"),
// its pt-PT rule does not.
const plurals = new Intl.PluralRules(lang === 'pt' ? 'pt-PT' : 'en');

/** A number as people read it here (1.234 in Portuguese, 1,234 in English). */
export const num = (n) => (typeof n === 'number' && Number.isFinite(n) ? numbers.format(n) : '—');

/**
 * The string `key` with `{name}` filled from `vars`, and `{n, plural, one {...} other {...}}`
 * chosen by the language's plural rules (`#` is the number).
 */
export function t(key, vars = {}) {
  const text = STRINGS[lang][key] ?? STRINGS.en[key] ?? key;
  return text
    .replace(/\{(\w+), plural, one \{([^}]*)\} other \{([^}]*)\}\}/g, (_, name, one, other) => {
      // A count, not its text: "1.468" (a Portuguese thousand) would read as 1.468.
      const n = Number(vars[name]);
      return (plurals.select(n) === 'one' ? one : other).replace('#', num(n));
    })
    .replace(/\{(\w+)\}/g, (_, name) => (name in vars ? String(vars[name]) : `{${name}}`));
}

/** Fills every `data-i18n` element's text (and `data-i18n-aria` label) from the strings above. */
export function translatePage(root = document) {
  document.documentElement.lang = locale;
  document.title = t('title');
  for (const el of root.querySelectorAll('[data-i18n]')) el.textContent = t(el.dataset.i18n);
  for (const el of root.querySelectorAll('[data-i18n-aria]')) el.setAttribute('aria-label', t(el.dataset.i18nAria));
}

/** Seconds as "about 3 min". */
export function duration(seconds) {
  if (typeof seconds !== 'number' || !Number.isFinite(seconds)) return '—';
  if (seconds < 60) return seconds < 1 ? t('underSecond') : t('secondsShort', { n: Math.round(seconds) });
  if (seconds < 3600) return t('minutesShort', { n: Math.round(seconds / 60) });
  return t('hoursShort', { h: Math.floor(seconds / 3600), m: Math.round((seconds % 3600) / 60) });
}

export function size(bytes) {
  if (bytes < 1024) return t('bytes', { n: bytes });
  if (bytes < 1024 * 1024) return t('kb', { n: num(Math.round(bytes / 1024)) });
  return t('mb', { n: new Intl.NumberFormat(locale, { maximumFractionDigits: 1 }).format(bytes / 1024 / 1024) });
}

export const credits = (n) => t('credit', { n });

/** A date as people read it here. */
export const when = (iso) =>
  iso ? new Date(iso).toLocaleString(locale, { dateStyle: 'short', timeStyle: 'short' }) : '—';
