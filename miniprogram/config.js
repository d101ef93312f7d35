// Where the mini-program finds the backend, per environment. Every page goes through utils/api.js, which
// reads BASE_URL here. The values live in env.config.js, keyed by the envVersion WeChat reports for the
// running build (develop / trial / release), so the same code runs against the local stack in DevTools and
// against production once released — no source edit between stages.
const ENVS = require('./env.config');

// WeChat's envVersion, or 'develop' outside WeChat (node tests) or on a base library without it.
function envVersion() {
  try {
    const info = typeof wx !== 'undefined' && wx.getAccountInfoSync ? wx.getAccountInfoSync() : null;
    return (info && info.miniProgram && info.miniProgram.envVersion) || 'develop';
  } catch (e) {
    return 'develop';
  }
}

function settings(version) {
  if (version === 'trial' && !ENVS.trial) return ENVS.release;
  return ENVS[version] || ENVS.develop;
}

const ENV = envVersion();
const chosen = settings(ENV);

module.exports = {
  ENV,
  BASE_URL: chosen.BASE_URL,
  // WeChat Pay merchant id, needed only by wx.requestMerchantTransfer (withdrawals paid by transfer).
  MCH_ID: chosen.MCH_ID,
  // Transport failures retried for safe requests (GET, and writes carrying an Idempotency-Key).
  NETWORK_RETRIES: 1,
  REQUEST_TIMEOUT_MS: 15000,
  settings,
};
