// Used by tests/admin/test_page_errors.py: imports the admin page's api.js (an ES module) with the few
// browser globals it reads, calls POST /v1/admin/login with fetch answering `answer` (JSON {status, body},
// body null for a non-JSON page, or "offline" for a network failure), and prints what the page would
// show: {shown, headers}. The real browser run is tests/admin/test_browser.py.
const { pathToFileURL } = require('url');
const [moduleFile, answer] = [process.argv[2], process.argv[3]];

const requests = [];
Object.assign(globalThis, {
  location: { pathname: '/admin', origin: 'http://shop.test', hash: '' },
  sessionStorage: { store: {}, getItem(k) { return this.store[k] || null; }, setItem(k, v) { this.store[k] = v; },
    removeItem(k) { delete this.store[k]; } },
  fetch: async (url, init) => {
    requests.push(init.headers);
    if (answer === 'offline') throw new TypeError('Failed to fetch');
    const { status, body } = JSON.parse(answer);
    return { status, ok: status < 400,
      json: async () => { if (body === null) throw new SyntaxError('not JSON'); return body; } };
  },
});

import(pathToFileURL(moduleFile).href).then(async ({ api }) => {
  let shown = null;
  try {
    await api('POST', '/v1/admin/login', { body: { username: 'owner', password: 'wrong' } });
  } catch (err) {
    shown = err.message;
  }
  process.stdout.write(JSON.stringify({ shown, headers: requests[0] }));
});
