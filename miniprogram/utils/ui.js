// Showing errors to the shopper. The backend words every error in Chinese from its one error catalogue
// (docs/errors.md), so an answer's `message` is shown as it is, whatever the code; the client's own
// failures (no network, WeChat login or payment failing) carry Chinese messages built in utils/api.js and
// utils/pay.js. Only what has no such message (a bug's exception) gets the generic line.
const NETWORK_FAILURE = '网络不给力，请稍后再试';
const GENERIC = '操作失败，请稍后再试';

function errorText(err) {
  if (!err) return GENERIC;
  if (err.code === 'NETWORK_ERROR') return NETWORK_FAILURE;
  // an error without a code is a JavaScript exception: its message is English and for developers
  return (typeof err.code === 'string' && err.code && typeof err.message === 'string' && err.message.trim())
    ? err.message : GENERIC;
}

function showError(err) {
  wx.showToast({ title: errorText(err), icon: 'none' });
}

function confirm(content) {
  return new Promise((resolve) => {
    wx.showModal({ title: '提示', content, success: (res) => resolve(Boolean(res.confirm)), fail: () => resolve(false) });
  });
}

module.exports = { errorText, showError, confirm };
