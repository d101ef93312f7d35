// Share cards from every shareable page carry the sharer's own distributor code (`ref`), so a friend who
// opens the card is bound to them (utils/ref.js reads it on the other side). The code comes from the
// user record the login and GET /v1/me store (`distributor: {status, code}`); only an approved
// distributor's code is added, because the backend ignores any other.
const keys = require('./storage');

// The signed-in user as last stored ({nickname, avatar_url, distributor, …}), or {}.
function currentUser() {
  return wx.getStorageSync(keys.USER) || {};
}

function ownRef() {
  const user = currentUser();
  const d = user && user.distributor;
  return d && d.status === 'approved' && d.code ? d.code : '';
}

// sharePath('/pages/group/index', {id: 'g1'}) → "/pages/group/index?id=g1&ref=CODE" (empty values dropped).
function sharePath(path, query) {
  const q = Object.assign({}, query || {}, { ref: ownRef() });
  const parts = Object.keys(q).filter((k) => q[k] !== undefined && q[k] !== null && q[k] !== '')
    .map((k) => k + '=' + encodeURIComponent(q[k]));
  return parts.length ? path + '?' + parts.join('&') : path;
}

/** shareCard(title, path, query?, imageUrl?) → what onShareAppMessage returns. */
function shareCard(title, path, query, imageUrl) {
  const card = { title, path: sharePath(path, query) };
  if (imageUrl) card.imageUrl = imageUrl;
  return card;
}

// Remember the latest user record (e.g. just approved as a distributor) for the next share.
function rememberUser(user) {
  if (user) wx.setStorageSync(keys.USER, user);
}

module.exports = { currentUser, ownRef, sharePath, shareCard, rememberUser };
