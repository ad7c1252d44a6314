export { catalogOf, type Catalog, type MessageKey } from './catalog.js';
export { formatDate, formatDuration, formatNumber, formatPercent } from './format.js';
export { chooseLang, DEFAULT_LANG, LANGS, langFromAcceptLanguage, langFromLocale, langOf, type Lang } from './lang.js';
export { message, render, t, wordList, type Message, type MessageParams, type WordList } from './message.js';
