// Showing API errors to the shopper. The backend answers every error with a Chinese `message` from its
// one error catalogue (fenxiao/errors.py), so the mini-program shows that message as is and keeps NO
// code→text table of its own (two tables drift). Only failures that never reached the backend — no
// network, or a gateway answering without the JSON envelope — get generic Chinese text here.
const NETWORK_TEXT = '网络不给力，请稍后再试';
const FALLBACK_TEXT = '操作失败，请稍后再试';

function errorText(err) {
  if (!err) return FALLBACK_TEXT;
  if (err.code === 'NETWORK_ERROR') return NETWORK_TEXT;
  return err.message || FALLBACK_TEXT;
}

function showError(err) {
  wx.showToast({ title: errorText(err), icon: 'none' });
}

function confirm(content) {
  return new Promise((resolve) => {
    wx.showModal({ title: '提示', content, success: (res) => resolve(Boolean(res.confirm)), fail: () => resolve(false) });
  });
}

module.exports = { errorText, showError, confirm, NETWORK_TEXT };
