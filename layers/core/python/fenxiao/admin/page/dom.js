/* DOM building without innerHTML: text typed by shoppers (titles, nicknames) can never become markup. */

export const $ = (selector) => document.querySelector(selector);

export function append(el, children) {
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    el.append(child instanceof Node ? child : String(child));
  }
  return el;
}

/** Replace an element's children (null / false children are skipped, arrays flattened). */
export function fill(el, ...children) {
  el.replaceChildren();
  return append(el, children);
}

/** h('button', {class: 'small', onclick}, '发货'): attributes, `on…` listeners, value/checked as properties. */
export function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (key.startsWith('on')) el.addEventListener(key.slice(2), value);
    else if (key === 'value' || key === 'checked') el[key] = value;
    else el.setAttribute(key, value === true ? '' : value);
  }
  return append(el, children);
}

export function svg(tag, attrs, ...children) {
  const el = document.createElementNS('http://www.w3.org/2000/svg', tag);
  for (const [key, value] of Object.entries(attrs || {})) el.setAttribute(key, value);
  return append(el, children);
}
