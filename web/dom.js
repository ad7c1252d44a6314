// @ts-check
// Tiny DOM helpers: elements are built with text nodes, never from HTML strings, so a header
// or a name from the file can never become markup.

/**
 * The element `id` of the page as the kind it is (`$('start', HTMLButtonElement)`); a missing
 * one is a bug in index.html, said at once rather than as "cannot read properties of null".
 * @template {HTMLElement} [T=HTMLElement]
 * @param {string} id
 * @param {new () => T} [kind]
 * @returns {T}
 */
export function $(id, kind) {
  const node = document.getElementById(id);
  if (!node || (kind && !(node instanceof kind)))
    throw new Error(`web/index.html has no ${kind?.name ?? 'element'} #${id}`);
  return /** @type {T} */ (node);
}

/**
 * `el('td', { className: 'x' }, 'text', child)`.
 * @param {string} tag
 * @param {Record<string, unknown>} [props]
 * @param {...unknown} children
 */
export function el(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (value === undefined || value === null || value === false) continue;
    if (key === 'dataset') Object.assign(node.dataset, value);
    else if (key in node && !key.includes('-'))
      /** @type {Record<string, unknown>} */ (/** @type {unknown} */ (node))[key] = value;
    else node.setAttribute(key, value === true ? '' : String(value));
  }
  for (const child of children.flat()) {
    if (child === undefined || child === null || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

export const show = (/** @type {HTMLElement} */ node, visible = true) => {
  node.hidden = !visible;
};

/**
 * One figure of a definition list: [term, shown value, note?, className?, name?, raw value?]. A
 * named figure keeps its raw value in `data-figure`/`data-value`, so a test can read the number
 * behind the text as the person sees it.
 * @typedef {[string, string, (string | undefined)?, (string | undefined)?, (string | undefined)?, unknown?]} Figure
 */

/** @param {HTMLElement} list @param {Figure[]} rows */
export function figures(list, rows) {
  list.replaceChildren(
    ...rows.map(([term, value, note, className, name, raw]) =>
      el(
        'div',
        { className, dataset: name ? { figure: name, value: JSON.stringify(raw ?? null) } : undefined },
        el('dt', {}, term),
        el('dd', {}, value),
        note ? el('p', { className: 'help' }, note) : null,
      ),
    ),
  );
}
