// The live chart of the run's rate against the plan's: embedded once, then fed new points
// through the Vega view (view.change), so a long run never re-draws the chart from scratch.
import { t } from './i18n.js';

const DATA = 'rate';

function spec() {
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    width: 'container',
    height: 180,
    autosize: { type: 'fit-x', contains: 'padding' },
    data: { name: DATA },
    mark: { type: 'line', interpolate: 'monotone', strokeWidth: 2 },
    encoding: {
      x: { field: 't', type: 'quantitative', title: t('elapsed') + ` (${t('seconds')})`, axis: { tickMinStep: 1 } },
      y: { field: 'rate', type: 'quantitative', title: t('perSecond'), scale: { zero: true } },
      color: {
        field: 'series',
        type: 'nominal',
        title: null,
        scale: { domain: [t('rateNow'), t('planRate')], range: ['#1f6feb', '#9a6700'] },
        legend: { orient: 'bottom', labelFontSize: 12, labelLimit: 300 },
      },
      strokeDash: {
        field: 'series',
        type: 'nominal',
        scale: { domain: [t('rateNow'), t('planRate')], range: [[1, 0], [6, 4]] },
        legend: null,
      },
    },
    config: { axis: { labelFontSize: 12, titleFontSize: 12 }, view: { stroke: null } },
  };
}

/** A chart in `element`; `add(progress)` appends one point per series. */
export async function rateChart(element) {
  element.replaceChildren();
  const embed = globalThis.vegaEmbed;
  if (!embed) return { add() {}, clear() {} };
  const { view } = await embed(element, spec(), { actions: false, renderer: 'svg' });
  let last = -1;
  return {
    add(progress) {
      const at = Math.round((progress.elapsedSeconds ?? 0) * 10) / 10;
      if (at <= last) return;
      last = at;
      const points = [{ t: at, series: t('rateNow'), rate: progress.rateNow ?? 0 }];
      if (typeof progress.planRate === 'number') points.push({ t: at, series: t('planRate'), rate: progress.planRate });
      view.change(DATA, globalThis.vega.changeset().insert(points)).run();
    },
    clear() {
      last = -1;
      view.change(DATA, globalThis.vega.changeset().remove(() => true)).run();
    },
  };
}
