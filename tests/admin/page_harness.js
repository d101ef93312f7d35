// Used by tests/admin/test_page_errors.py: loads the admin page's app.js against a minimal fake DOM,
// signs in through the login form with fetch answering `answer` (JSON {status, body}, body null for a
// non-JSON page, or "offline" for a network failure), and prints what the page showed: {shown, headers}.
const fs = require('fs');
const vm = require('vm');
const [source, answer] = [fs.readFileSync(process.argv[2], 'utf8'), process.argv[3]];

class Node {}
function element() {
  const el = new Node();
  Object.assign(el, {
    hidden: false, textContent: '', disabled: false, open: false, listeners: {},
    elements: { username: { value: 'owner', focus() {} }, password: { value: 'wrong' } },
    addEventListener(type, fn) { el.listeners[type] = fn; },
    querySelector() { return element(); },
    replaceChildren() {}, append() {}, setAttribute() {}, close() {},
  });
  return el;
}
const elements = {};
const requests = [];
const context = {
  Node, URL, console, setTimeout, clearTimeout,
  location: { pathname: '/admin/', origin: 'http://shop.test', hash: '' },
  sessionStorage: { store: {}, getItem(k) { return this.store[k] || null; }, setItem(k, v) { this.store[k] = v; },
    removeItem(k) { delete this.store[k]; } },
  window: { addEventListener() {} },
  document: {
    querySelector: (sel) => (elements[sel] = elements[sel] || element()),
    createElement: element, createElementNS: element, addEventListener() {},
  },
  fetch: async (url, init) => {
    requests.push(init.headers);
    if (answer === 'offline') throw new TypeError('Failed to fetch');
    const { status, body } = JSON.parse(answer);
    return { status, ok: status < 400,
      json: async () => { if (body === null) throw new SyntaxError('not JSON'); return body; } };
  },
};
vm.runInNewContext(source, context);
const form = elements['#login-form'];
form.listeners.submit({ preventDefault() {}, target: form }).then(() => {
  process.stdout.write(JSON.stringify({ shown: elements['#login-error'].textContent, headers: requests[0] }));
});
