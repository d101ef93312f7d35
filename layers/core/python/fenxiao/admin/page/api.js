/* The admin API beside the page: signed-in session, JSON calls, file downloads and image uploads. */

// /admin -> /, or /release/admin -> /release/ behind a gateway stage prefix
const BASE = location.pathname.replace(/admin(\/[^/]*)?$/, '');
const TOKEN_KEY = 'fenxiao.admin.token';
const ADMIN_KEY = 'fenxiao.admin.who';

export class ApiError extends Error {
  constructor(message, error) { super(message); this.error = error; }
}

// The server words every error in Chinese from its error catalogue (docs/errors.md), naming the wrong
// fields of invalid input in Chinese, so its message is shown as it is; only an answer without the
// error envelope (a gateway's page) or no answer at all gets a line of our own.
const NETWORK_FAILURE = '网络连接失败，请检查网络后重试';
const explain = (error, status) => (error && error.message ? error.message : `服务暂时不可用，请稍后再试（HTTP ${status}）`);

/** The signed-in admin ({id, username, role}) or null. */
export const session = {
  token: () => sessionStorage.getItem(TOKEN_KEY),
  admin: () => JSON.parse(sessionStorage.getItem(ADMIN_KEY) || 'null'),
  start(token, admin) { sessionStorage.setItem(TOKEN_KEY, token); sessionStorage.setItem(ADMIN_KEY, JSON.stringify(admin)); },
  end() { sessionStorage.removeItem(TOKEN_KEY); sessionStorage.removeItem(ADMIN_KEY); },
  onExpired: () => {},  // the shell shows the login form
};

function request(method, path, query, body, extra) {
  const url = new URL(BASE + path.replace(/^\//, ''), location.origin);
  for (const [key, value] of Object.entries(query || {})) {
    if (value !== '' && value !== null && value !== undefined) url.searchParams.set(key, value);
  }
  // the page is Chinese: ask for Chinese messages whatever language the browser itself prefers
  const headers = { 'Accept-Language': 'zh-CN', ...extra };
  const token = session.token();
  if (token) headers.Authorization = `Bearer ${token}`;
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  return fetch(url, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) })
    .catch(() => { throw new ApiError(NETWORK_FAILURE); });
}

async function failure(res, path) {
  const data = await res.json().catch(() => null);
  const error = data && data.error;
  if (res.status === 401 && !path.endsWith('/login')) {
    session.end();
    session.onExpired();
    return new ApiError(error && error.message ? error.message : '登录已失效，请重新登录', error);
  }
  return new ApiError(explain(error, res.status), error);
}

/** `headers`: extra request headers, e.g. an `Idempotency-Key` that makes a retried write happen once. */
export async function api(method, path, { query, body, headers } = {}) {
  const res = await request(method, path, query, body, headers);
  if (!res.ok) throw await failure(res, path);
  return res.status === 204 ? null : res.json().catch(() => null);
}

/** GET a file (an export) with the admin token and hand it to the browser as a download. */
export async function download(path, query, fallbackName) {
  const res = await request('GET', path, query);
  if (!res.ok) throw await failure(res, path);
  const disposition = res.headers.get('Content-Disposition') || '';
  const named = /filename\*=UTF-8''([^;]+)/i.exec(disposition) || /filename="?([^";]+)"?/i.exec(disposition);
  const name = named ? decodeURIComponent(named[1]) : fallbackName;
  const url = URL.createObjectURL(await res.blob());
  const link = Object.assign(document.createElement('a'), { href: url, download: name });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10000);
  return name;
}

/** Ask the API for a presigned POST, send the file straight to object storage, hand back its URL. */
export async function uploadImage(file) {
  const form = await api('POST', '/v1/admin/uploads', { body: { filename: file.name, content_type: file.type, size: file.size } });
  const data = new FormData();
  for (const [key, value] of Object.entries(form.fields)) data.append(key, value);
  data.append('file', file);
  const res = await fetch(form.url, { method: 'POST', body: data }).catch(() => { throw new ApiError(NETWORK_FAILURE); });
  if (!res.ok) throw new ApiError(`图片上传失败（HTTP ${res.status}）`);
  return form.public_url;
}
