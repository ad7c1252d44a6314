export { catalogOf, type Catalog, type MessageKey } from './catalog.js';
export { formatDate, formatDuration, formatNumber, formatPercent } from './format.js';
export { chooseLang, DEFAULT_LANG, LANGS, langFromAcceptLanguage, langFromLocale, langOf, type Lang } from './lang.js';
export { message, render, t, type Message, type MessageParams } from './message.js';
export { renderNested, type NestedMessage } from './nested.js';
