// Distributor share codes ("ref") the shop was opened with, in every form a share can take:
// - a share card or link path: `?ref=CODE` (product pages also carry `id`);
// - a shop wxacode: the page gets `scene` = the code itself, or `r=CODE`;
// - a product wxacode: `scene` = `s=<share link id>` (a scene holds at most 32 characters, too few for a
//   code plus a product id), resolved through GET /v1/share-links/{id} → {ref, product_id, path}.
// The code is stored and sent with every login (the backend binds a new customer to that distributor);
// when the shopper is already logged in it is sent once through POST /v1/referrals/bind.
const keys = require('./storage');

// The backend's ShareRef: 1–64 characters of [0-9A-Za-z_-]. Anything else is dropped here, because a
// malformed ref would make the login call itself fail validation.
const REF_PATTERN = /^[0-9A-Za-z_-]{1,64}$/;

function isValidRef(ref) {
  return typeof ref === 'string' && REF_PATTERN.test(ref);
}

function decode(text) {
  try {
    return decodeURIComponent(text);
  } catch (e) {
    return text;
  }
}

// "r=CODE" | "CODE" | "s=LINK" (possibly URL-encoded, possibly with other `k=v` pairs) → {ref} | {linkId} | {}.
function parseScene(scene) {
  if (!scene) return {};
  const text = decode(String(scene)).trim();
  if (text.indexOf('=') === -1) return isValidRef(text) ? { ref: text } : {};
  const pairs = {};
  text.split('&').forEach((pair) => {
    const at = pair.indexOf('=');
    if (at > 0) pairs[pair.slice(0, at)] = pair.slice(at + 1);
  });
  if (isValidRef(pairs.s)) return { linkId: pairs.s };
  if (isValidRef(pairs.r)) return { ref: pairs.r };
  if (isValidRef(pairs.ref)) return { ref: pairs.ref };
  return {};
}

// A page's or the launch's query → {ref?, linkId?, productId?}. An explicit `ref` wins over a scene.
function parseQuery(query) {
  const q = query || {};
  const found = {};
  const ref = q.ref ? decode(String(q.ref)) : '';
  if (isValidRef(ref)) found.ref = ref;
  else Object.assign(found, parseScene(q.scene));
  if (q.id) found.productId = String(q.id);
  return found;
}

/**
 * resolveQuery(query, get) → Promise<{ref, productId}> (either may be null). `get(path)` is the API
 * client's GET; a share link that no longer exists simply yields no ref (the page still opens).
 */
function resolveQuery(query, get) {
  const found = parseQuery(query);
  if (!found.linkId) return Promise.resolve({ ref: found.ref || null, productId: found.productId || null });
  return get('/v1/share-links/' + encodeURIComponent(found.linkId)).then(
    (link) => ({ ref: isValidRef(link.ref) ? link.ref : null, productId: link.product_id || found.productId || null }),
    () => ({ ref: null, productId: found.productId || null }),
  );
}

/**
 * remember(ref, api) → Promise<{stored, bound}>: store the code, and when the shopper is logged in and
 * the backend has not seen this code yet, bind it now. `api` is utils/api (injected for the tests).
 * Waits for a login already under way: that login carries the code, so it need not be bound again.
 */
function remember(ref, api) {
  if (!isValidRef(ref)) return Promise.resolve({ stored: false, bound: null });
  wx.setStorageSync(keys.REF, ref);
  return api.pendingLogin().then(() => {
    if (wx.getStorageSync(keys.REF_SENT) === ref || !api.hasToken()) return { stored: true, bound: null };
    wx.setStorageSync(keys.REF_SENT, ref);
    return api.post('/v1/referrals/bind', { ref }).then(
      (res) => ({ stored: true, bound: res }),
      (err) => {
        wx.removeStorageSync(keys.REF_SENT); // try again next time the code is seen
        return { stored: true, bound: null, error: err };
      },
    );
  });
}

// resolveQuery + remember: what app.js and the product page do with the query they were opened with.
function capture(query, api) {
  const publicGet = (path) => api.request('GET', path, undefined, { auth: false });
  return resolveQuery(query, publicGet).then((found) =>
    remember(found.ref, api).then((result) => Object.assign({}, found, result)));
}

module.exports = { isValidRef, parseScene, parseQuery, resolveQuery, remember, capture };
