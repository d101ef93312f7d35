// Fenxiao mini-program: logs in once, keeps the token, remembers the share code it was opened with.
const api = require('./utils/api');

App({
  onLaunch(options) {
    const ref = (options.query && (options.query.ref || options.query.scene)) || '';
    if (ref) wx.setStorageSync('ref', decodeURIComponent(ref));
    api.login().catch((err) => console.warn('login failed', err));
  },
});
