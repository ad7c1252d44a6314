// Tiny DOM helpers: elements are built with text nodes, never from HTML strings, so a header
// or a name from the file can never become markup.

export const $ = (id) => document.getElementById(id);

/** `el('td', { className: 'x' }, 'text', child)`. */
export function el(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (value === undefined || value === null || value === false) continue;
    if (key === 'dataset') Object.assign(node.dataset, value);
    else if (key in node && !key.includes('-')) node[key] = value;
    else node.setAttribute(key, value === true ? '' : String(value));
  }
  for (const child of children.flat()) {
    if (child === undefined || child === null || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

export const show = (node, visible = true) => {
  node.hidden = !visible;
};

/**
 * A definition list's rows: [[term, shown value, note?, className?, name?, raw value?], ...]. A
 * named figure keeps its raw value in `data-figure`/`data-value`, so a test can read the number
 * behind the text as the person sees it.
 */
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
