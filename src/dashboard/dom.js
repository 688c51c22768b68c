// Small DOM helpers: build elements, and change text or attributes only when they differ (no layout work
// for what did not change, 2 to 20 times a second).

/** An element with attributes (`class`, `data-*`, `aria-*`, ...) or properties (`onclick`, `textContent`). */
export function el(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (value === undefined || value === null || value === false) continue;
    if (key in node && !key.includes('-') && key !== 'list') node[key] = value;
    else node.setAttribute(key, value === true ? '' : String(value));
  }
  node.append(...children.filter((c) => c !== undefined && c !== null && c !== false));
  return node;
}

export const $ = (id) => document.getElementById(id);

export function setText(node, text) {
  const value = String(text);
  if (node.textContent !== value) node.textContent = value;
}

export function setAttr(node, name, value) {
  const text = String(value);
  if (node.getAttribute(name) !== text) node.setAttribute(name, text);
}

/** Replaces a select's options when they differ, keeping the chosen value when it is still offered. */
export function setOptions(select, options) {
  const key = JSON.stringify(options);
  if (select.dataset.options === key) return;
  // An empty select's value is '', which is also the default virtual proxy's prefix: keep only a real choice.
  const chosen = select.options.length > 0 ? select.value : undefined;
  select.replaceChildren(...options.map(([value, label]) => el('option', { value }, label)));
  select.dataset.options = key;
  if (options.some(([value]) => value === chosen)) select.value = chosen;
}
