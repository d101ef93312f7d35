// Per-environment settings, keyed by WeChat's envVersion (wx.getAccountInfoSync().miniProgram.envVersion):
// `develop` (DevTools and real-device preview), `trial` (体验版), `release` (正式版). config.js picks one at
// start, so one build serves every stage. Fill these with `node miniprogram/scripts/configure.js`
// (see README "Environments") rather than by hand; `trial` falls back to `release` when left null.
module.exports = {
  develop: { BASE_URL: 'http://127.0.0.1:8000', MCH_ID: '' },
  trial: null,
  release: { BASE_URL: '', MCH_ID: '' },
};
