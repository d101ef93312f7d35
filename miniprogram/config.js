// Where the mini-program finds the backend: ONE public base URL serves every API route, chosen by the
// build WeChat runs (wx.getAccountInfoSync().miniProgram.envVersion). Every page goes through utils/api.js.
// - develop (DevTools, 开发版): the local stack, `make dev` on http://127.0.0.1:8000 (PORT); on a phone use
//   the machine's LAN address instead of 127.0.0.1.
// - trial (体验版) and release (正式版): the backend's FENXIAO_PUBLIC_BASE_URL. On Tencent Cloud that is
//   https://<domain> of the SCF custom domain that routes each path to its function (docs/tencent.md);
//   register it as the request 合法域名 in the mini-program console.
// MCH_ID: the WeChat Pay merchant id (FENXIAO_WECHATPAY_MCHID), needed only by wx.requestMerchantTransfer
// (withdrawals paid by transfer).
const BUILDS = {
  develop: { BASE_URL: 'http://127.0.0.1:8000', MCH_ID: '' },
  trial: { BASE_URL: 'https://api.example.com', MCH_ID: '' },
  release: { BASE_URL: 'https://api.example.com', MCH_ID: '' },
};

function build() {
  try {
    return wx.getAccountInfoSync().miniProgram.envVersion || 'develop';
  } catch (e) {
    return 'develop'; // outside WeChat (node tests) or a base library without getAccountInfoSync
  }
}

module.exports = Object.assign({
  BUILD: build(),
  // Transport failures retried for safe requests (GET, and writes carrying an Idempotency-Key).
  NETWORK_RETRIES: 1,
  REQUEST_TIMEOUT_MS: 15000,
}, BUILDS[build()] || BUILDS.develop);
