// @ts-check
// The live chart of the run's rate against the plan's: embedded once, then fed new points
// through the Vega view (view.change), so a long run never re-draws the chart from scratch.
// Vega's browser builds are globals without types here: they are reached through `vegaGlobals()`.
import { lang, t } from './i18n.js';

/** @typedef {import('./api.js').ProgressEvent} ProgressEvent */
/** @typedef {{ t: number, series: string, rate: number }} Point */

/** The axes' numbers as the page's language writes them ("0,5" in Portuguese). */
const formatLocale = () =>
  lang() === 'pt-BR' ? { decimal: ',', thousands: '.', grouping: [3], currency: ['R$ ', ''] } : undefined;

/** @returns {{ vegaEmbed?: (el: HTMLElement, spec: object, options: object) => Promise<{ view: any }>, vega: any }} */
const vegaGlobals = () => /** @type {any} */ (globalThis);

const DATA = 'rate';
const WINDOW_SECONDS = 600;

function spec(/** @type {Point[]} */ values) {
  const series = { domain: [t('rateNow'), t('planRate')] };
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    width: 'container',
    height: 180,
    autosize: { type: 'fit-x', contains: 'padding' },
    data: { name: DATA, values },
    mark: { type: 'line', interpolate: 'monotone', strokeWidth: 2 },
    encoding: {
      x: {
        field: 't',
        type: 'quantitative',
        title: `${t('elapsed')} (${t('seconds')})`,
        axis: { tickMinStep: 1, format: 'd' },
      },
      y: { field: 'rate', type: 'quantitative', title: t('perSecond'), scale: { zero: true } },
      color: { field: 'series', type: 'nominal', title: null, scale: { ...series, range: ['#1f6feb', '#9a6700'] } },
      strokeDash: {
        field: 'series',
        type: 'nominal',
        title: null,
        scale: {
          ...series,
          range: [
            [1, 0],
            [6, 4],
          ],
        },
      },
    },
    config: {
      axis: { labelFontSize: 12, titleFontSize: 12 },
      legend: { orient: 'bottom', labelFontSize: 12, labelLimit: 300 },
      view: { stroke: null },
    },
  };
}

const pointsOf = (/** @type {ProgressEvent} */ progress, /** @type {number} */ at) => {
  const points = [{ t: at, series: t('rateNow'), rate: progress.rateNow ?? 0 }];
  // Before the plan is known (the run's first moments) there is no limit to draw.
  if (progress.planRate > 0) points.push({ t: at, series: t('planRate'), rate: progress.planRate });
  return points;
};

/**
 * A chart in `element`; `add(progress)` appends one point per series. It is embedded with the
 * first points (an empty chart has no extent to draw), then fed through `view.change`.
 */
export function rateChart(/** @type {HTMLElement} */ element) {
  element.replaceChildren();
  let last = -1;
  /** @type {any} */
  let view;
  /** @type {Point[] | undefined} */
  let waiting;
  return {
    add(/** @type {ProgressEvent} */ progress) {
      const embed = vegaGlobals().vegaEmbed;
      const at = Math.round((progress.elapsedSeconds ?? 0) * 10) / 10;
      if (!embed || at <= last) return;
      last = at;
      const points = pointsOf(progress, at);
      // The last ten minutes only: an hours-long run keeps a light chart (two pushes a second at most).
      const changes = () =>
        vegaGlobals()
          .vega.changeset()
          .remove((/** @type {Point} */ d) => d.t < at - WINDOW_SECONDS);
      if (view) view.change(DATA, changes().insert(points)).run();
      else if (waiting) waiting.push(...points);
      else {
        waiting = [];
        embed(element, spec(points), {
          actions: false,
          renderer: 'svg',
          ...(formatLocale() ? { formatLocale: formatLocale() } : {}),
        }).then((result) => {
          view = result.view;
          if (waiting?.length) view.change(DATA, vegaGlobals().vega.changeset().insert(waiting)).run();
        });
      }
    },
  };
}
