import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import { DEFAULT_LANG, t, type Lang } from '../i18n/index.js';
import type { TimelinePoint } from './timeline.js';

/**
 * The report's charts as Vega-Lite specs, rendered to SVG when the report is written (vega's
 * headless `toSVG`): the page needs no script and no network to show them.
 */

/** A chart's size: drawn twice, wide for screens and print, narrow for phones (the page picks one with CSS, no script). */
export interface ChartSize {
  width: number;
  narrow: boolean;
  /** Points drawn at most: about one per 2 px (a longer run's seconds are summed). */
  points: number;
}
export const WIDE: ChartSize = { width: 860, narrow: false, points: 430 };
export const NARROW: ChartSize = { width: 310, narrow: true, points: 155 };

const FONT = 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif';
const CONFIG = {
  font: FONT,
  background: 'white',
  axis: { labelFontSize: 11, titleFontSize: 12, titleFontWeight: 'normal' as const, gridColor: '#e5e7eb' },
  legend: { labelFontSize: 11, orient: 'bottom' as const, direction: 'horizontal' as const },
  view: { stroke: null },
};

/** d3-format's words for numbers on the axes: Brazilian `1.468,5`; vega's default is English. */
const NUMBER_LOCALES: Partial<Record<Lang, object>> = {
  'pt-BR': { decimal: ',', thousands: '.', grouping: [3], currency: ['R$ ', ''] },
};

/** The charts' look, and their axes' numbers in `lang`. */
const configFor = (lang: Lang): object => {
  const number = NUMBER_LOCALES[lang];
  return number ? { ...CONFIG, locale: { number } } : CONFIG;
};

/** Renders one spec to an SVG string (no DOM, no canvas: vega's string renderer). */
export async function toSvg(spec: TopLevelSpec): Promise<string> {
  const view = new vega.View(vega.parse(compile(spec).spec), { renderer: 'none' });
  try {
    const svg = await view.toSVG();
    // A fixed width would overflow a phone: let the page size it, keeping its proportions.
    return svg.replace(
      /^<svg([^>]*?) width="([\d.]+)" height="([\d.]+)"/,
      (_, rest: string, w: string, h: string) =>
        `<svg${rest} viewBox="0 0 ${w} ${h}" width="100%" preserveAspectRatio="xMinYMin meet" style="max-width:${w}px;height:auto"`,
    );
  } finally {
    view.finalize();
  }
}

const seconds = (width: number, lang: Lang): string =>
  width === 1 ? t(lang, 'report.chart.seconds') : t(lang, 'report.chart.secondsPer', { width });

/** Requests per second against the plan's rate, with the seconds that met 429s or retries marked. */
export function rateChart(
  points: readonly TimelinePoint[],
  planRate: number,
  width: number,
  size: ChartSize,
  lang: Lang = DEFAULT_LANG,
): TopLevelSpec {
  const [limited, retry] = [t(lang, 'report.chart.rateLimited'), t(lang, 'report.chart.retry')];
  const marks = points.flatMap((p) => [
    ...(p.rateLimited > 0 ? [{ at: p.at, y: p.requestsPerSecond, kind: limited, n: p.rateLimited }] : []),
    ...(p.retries > 0 ? [{ at: p.at, y: p.requestsPerSecond, kind: retry, n: p.retries }] : []),
  ]);
  // The legend names only what happened.
  const kinds = [limited, retry].filter((kind) => marks.some((m) => m.kind === kind));
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    width: size.width,
    height: size.narrow ? 160 : 220,
    config: configFor(lang),
    layer: [
      {
        data: { values: points.map((p) => ({ at: p.at, rate: p.requestsPerSecond })) },
        mark: { type: 'area', line: { color: '#2563eb' }, color: '#bfdbfe', interpolate: 'step-after' },
        encoding: {
          x: {
            field: 'at',
            type: 'quantitative',
            title: seconds(width, lang),
            axis: { tickCount: size.narrow ? 4 : 10 },
          },
          y: { field: 'rate', type: 'quantitative', title: t(lang, 'report.chart.rate') },
        },
      },
      ...(planRate > 0
        ? [
            {
              data: { values: [{ plan: planRate, label: t(lang, 'report.chart.plan', { rate: planRate }) }] },
              layer: [
                {
                  mark: { type: 'rule' as const, color: '#111827', strokeDash: [6, 4] },
                  encoding: { y: { field: 'plan', type: 'quantitative' as const } },
                },
                {
                  mark: { type: 'text' as const, align: 'left' as const, dx: 4, dy: -7, x: 0, fontSize: 11 },
                  encoding: {
                    y: { field: 'plan', type: 'quantitative' as const },
                    text: { field: 'label', type: 'nominal' as const },
                  },
                },
              ],
            },
          ]
        : []),
      ...(marks.length > 0
        ? [
            {
              data: { values: marks },
              mark: { type: 'point' as const, filled: true, size: 90, stroke: 'white', strokeWidth: 1 },
              encoding: {
                x: { field: 'at', type: 'quantitative' as const },
                y: { field: 'y', type: 'quantitative' as const },
                color: {
                  field: 'kind',
                  type: 'nominal' as const,
                  title: null,
                  scale: { domain: kinds, range: kinds.map((k) => (k === retry ? '#f59e0b' : '#dc2626')) },
                },
                shape: {
                  field: 'kind',
                  type: 'nominal' as const,
                  title: null,
                  scale: { domain: kinds, range: kinds.map((k) => (k === retry ? 'triangle-up' : 'circle')) },
                },
              },
            },
          ]
        : []),
    ],
  } as TopLevelSpec;
}

/** Rows per status, each bar labelled with its count and the credits those rows cost. */
export function statusChart(
  rows: ReadonlyArray<{ status: string; rows: number; credits: number }>,
  size: ChartSize,
  lang: Lang = DEFAULT_LANG,
): TopLevelSpec {
  const colors: Record<string, string> = {
    ok: '#16a34a',
    not_found: '#64748b',
    ambiguous: '#a855f7',
    insufficient_data: '#0ea5e9',
    invalid_input: '#f59e0b',
    failed: '#dc2626',
    pending: '#9ca3af',
  };
  const values = rows.map((r) => ({
    ...r,
    label: t(lang, 'report.chart.barLabel', { rows: r.rows, credits: r.credits }),
  }));
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    // Room on the right for each bar's label (a phone reads the numbers in the table below).
    width: size.narrow ? size.width - 110 : size.width - 320,
    height: { step: 26 },
    config: configFor(lang),
    data: { values },
    encoding: {
      y: { field: 'status', type: 'nominal', sort: null, title: null, axis: { labelFontSize: 12 } },
      x: {
        field: 'rows',
        type: 'quantitative',
        title: t(lang, 'report.chart.rows'),
        axis: { tickMinStep: 1, tickCount: size.narrow ? 3 : 8 },
      },
    },
    layer: [
      {
        mark: { type: 'bar', height: 18 },
        encoding: {
          color: {
            field: 'status',
            type: 'nominal',
            legend: null,
            scale: { domain: Object.keys(colors), range: Object.values(colors) },
          },
        },
      },
      ...(size.narrow
        ? []
        : [
            {
              mark: { type: 'text' as const, align: 'left' as const, dx: 4, fontSize: 11 },
              encoding: { text: { field: 'label', type: 'nominal' as const } },
            },
          ]),
    ],
  } as TopLevelSpec;
}

/** Median and p95 answer time per point. */
export function latencyChart(
  points: readonly TimelinePoint[],
  width: number,
  size: ChartSize,
  lang: Lang = DEFAULT_LANG,
): TopLevelSpec {
  const [median, p95] = [t(lang, 'report.chart.median'), t(lang, 'report.chart.p95')];
  const values = points.flatMap((p) =>
    p.medianMs === undefined
      ? []
      : [
          { at: p.at, ms: p.medianMs, series: median },
          { at: p.at, ms: p.p95Ms!, series: p95 },
        ],
  );
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    width: size.width,
    height: size.narrow ? 150 : 180,
    config: configFor(lang),
    data: { values },
    mark: { type: 'line', point: values.length < 40 },
    encoding: {
      x: { field: 'at', type: 'quantitative', title: seconds(width, lang), axis: { tickCount: size.narrow ? 4 : 10 } },
      y: { field: 'ms', type: 'quantitative', title: t(lang, 'report.chart.answerTime') },
      color: {
        field: 'series',
        type: 'nominal',
        title: null,
        scale: { domain: [median, p95], range: ['#2563eb', '#dc2626'] },
      },
    },
  } as TopLevelSpec;
}
