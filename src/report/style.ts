import { raw } from './html-tag.js';

/** The report's one stylesheet: cards, tables, the status colours; charts drawn wide or narrow by screen width, both for print. */
export const REPORT_CSS =
  raw(`:root { color-scheme: light; --ink: #111827; --muted: #6b7280; --line: #e5e7eb; --good: #16a34a; --warn: #d97706; --bad: #dc2626; }
* { box-sizing: border-box; }
body { margin: 0; font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--ink); background: #f9fafb; }
main { max-width: 980px; margin: 0 auto; padding: 20px 16px 40px; }
h1 { font-size: 22px; margin: 0 0 4px; }
h2 { font-size: 17px; margin: 28px 0 10px; }
.sub { color: var(--muted); margin: 0; overflow-wrap: anywhere; }
.cards { display: grid; grid-template-columns: repeat(auto-fill, minmax(200px, 1fr)); gap: 10px; margin-top: 16px; }
.card { background: white; border: 1px solid var(--line); border-radius: 8px; padding: 10px 12px; }
.card .label { color: var(--muted); font-size: 13px; }
.card .value { font-size: 24px; font-weight: 600; font-variant-numeric: tabular-nums; }
.card .note { color: var(--muted); font-size: 12px; }
.card.good { border-left: 4px solid var(--good); } .card.warn { border-left: 4px solid var(--warn); } .card.bad { border-left: 4px solid var(--bad); }
section { background: white; border: 1px solid var(--line); border-radius: 8px; padding: 12px 14px; margin-top: 14px; }
section h2 { margin-top: 0; }
figure { margin: 0; } figcaption { color: var(--muted); font-size: 13px; margin-top: 4px; }
.scroll { overflow-x: auto; }
table { border-collapse: collapse; width: 100%; font-size: 14px; }
th, td { text-align: left; padding: 5px 8px; border-bottom: 1px solid var(--line); vertical-align: top; }
th { font-weight: 600; color: var(--muted); font-size: 13px; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
td.error { overflow-wrap: break-word; }
.dot { display: inline-block; width: 10px; height: 10px; border-radius: 50%; margin-right: 6px; }
.dot.ok { background: #16a34a; } .dot.not_found { background: #64748b; } .dot.ambiguous { background: #a855f7; } .dot.insufficient_data { background: #0ea5e9; }
.dot.invalid_input { background: #f59e0b; } .dot.failed { background: #dc2626; } .dot.pending { background: #9ca3af; }
code { background: #f3f4f6; padding: 1px 4px; border-radius: 4px; overflow-wrap: anywhere; }
footer { color: var(--muted); font-size: 12px; margin-top: 24px; }
.narrow { display: none; }
@media (max-width: 640px) {
  main { padding: 14px 10px 30px; }
  .card .value { font-size: 20px; } .cards { grid-template-columns: repeat(2, 1fr); }
  .meaning { display: none; }
  .wide { display: none; } .narrow { display: block; }
  th, td { padding: 5px 4px; }
}
@media print { body { background: white; } section, .card { break-inside: avoid; border-color: #ccc; } .scroll { overflow: visible; } .wide { display: block; } .narrow { display: none; } }`);
