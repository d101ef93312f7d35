// Subscribe messages (一次性订阅): ask at the moments WeChat allows, report what the shopper accepted.
// WeChat only shows the dialog from a tap, and may refuse it after an await, so the template ids are
// loaded beforehand (`preload` in onLoad/onShow) and `ask` calls wx.requestSubscribeMessage at once,
// inside the tap. The backend counts one grant per accepted template (POST /v1/me/subscriptions) and
// spends one per message. Asking never blocks the action: any failure resolves quietly.
const MAX_PER_ASK = 3; // WeChat's limit of template ids in one dialog

let templates = null; // [{event, template_id, moments}] from GET /v1/me/subscriptions

function preload(api) {
  return api.get('/v1/me/subscriptions').then((res) => { templates = res.templates || []; }, () => {});
}

// The distinct template ids to ask for at `moment` ('pay', 'group_pay', 'apply', 'withdraw', 'refund').
function idsFor(moment) {
  const ids = [];
  (templates || []).forEach((t) => {
    if ((t.moments || []).indexOf(moment) !== -1 && ids.indexOf(t.template_id) === -1) ids.push(t.template_id);
  });
  return ids.slice(0, MAX_PER_ASK);
}

// accepted({tmplA: 'accept', tmplB: 'reject', errMsg}) → ['tmplA']
function accepted(result, ids) {
  return ids.filter((id) => result && result[id] === 'accept');
}

/** ask(api, moment) → Promise<string[]> of accepted ids; resolves (never rejects) once reported. */
function ask(api, moment) {
  const ids = idsFor(moment);
  if (!ids.length || typeof wx.requestSubscribeMessage !== 'function') return Promise.resolve([]);
  return new Promise((resolve) => {
    wx.requestSubscribeMessage({ tmplIds: ids, success: resolve, fail: () => resolve(null) });
  }).then((result) => {
    const ok = accepted(result, ids);
    if (!ok.length) return [];
    return api.post('/v1/me/subscriptions', { template_ids: ok }).then(() => ok, () => ok);
  });
}

function reset() {
  templates = null;
}

module.exports = { ask, idsFor, preload, reset, accepted };
