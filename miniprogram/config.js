// Where the mini-program finds the backend. One place, because every page goes through utils/api.js.
// Local stack: `make dev` listens on http://127.0.0.1:8000 (PORT). On a phone use the machine's LAN
// address instead of 127.0.0.1; in production the HTTPS domain registered in the mini-program console.
module.exports = {
  BASE_URL: 'http://127.0.0.1:8000',
  // WeChat Pay merchant id, needed only by wx.requestMerchantTransfer (withdrawals paid by transfer).
  MCH_ID: '',
  // Transport failures retried for safe requests (GET, and writes carrying an Idempotency-Key).
  NETWORK_RETRIES: 1,
  REQUEST_TIMEOUT_MS: 15000,
};
