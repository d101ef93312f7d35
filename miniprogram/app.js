// Fenxiao mini-program: remembers the distributor share code it was opened with, then logs in once
// (the login carries the code). `ready` lets pages wait for that, so a page opened from the same share
// does not bind the code a second time.
const api = require('./utils/api');
const refs = require('./utils/ref');
const keys = require('./utils/storage');

App({
  globalData: {},

  onLaunch(options) {
    this.launched = false;
    this.ready = refs.resolveQuery(options && options.query, (path) => api.request('GET', path, undefined, { auth: false }))
      .then((found) => { if (found.ref) wx.setStorageSync(keys.REF, found.ref); })
      .then(() => api.login())
      .catch((err) => console.warn('login failed', err));
  },

  // A hot start from another share card or code: bind that code now (the user is logged in).
  onShow(options) {
    if (!this.launched) {
      this.launched = true; // the launch's own onShow: onLaunch handled its query
      return;
    }
    refs.capture(options && options.query, api).catch(() => null);
  },
});
