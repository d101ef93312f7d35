// Withdraw commission: amount typed in yuan, sent in fen with an Idempotency-Key; my withdrawals below.
// An approved WeChat transfer waits for the shopper to confirm it (wx.requestMerchantTransfer).
const api = require('../../utils/api');
const config = require('../../config');
const { yuanToFen, fenToYuan } = require('../../utils/money');
const { withdrawalView } = require('../../utils/distributor');
const { createKeyKeeper } = require('../../utils/idempotency');
const { listPage } = require('../../utils/page');
const { showError } = require('../../utils/ui');
const subscribe = require('../../utils/subscribe');

Page(listPage({
  fetch(cursor, size) { return api.get('/v1/distributor/withdrawals', { cursor, page_size: size }); },
  map: withdrawalView,
  refresh() { return this.refresh(); },
}, {
  data: { amount: '', available: 0, availableText: '0.00', submitting: false },

  onLoad() {
    subscribe.preload(api);
    this.keys = createKeyKeeper();
  },

  onShow() {
    this.refresh();
  },

  refresh() {
    api.get('/v1/distributor').then((d) => this.setData({ available: d.balance.available,
      availableText: fenToYuan(d.balance.available) })).catch(showError);
    return this.list.reload();
  },

  onAmount(e) {
    this.setData({ amount: e.detail.value });
  },

  all() {
    if (this.data.available > 0) this.setData({ amount: fenToYuan(this.data.available) });
  },

  submit() {
    const amount = yuanToFen(this.data.amount);
    if (!amount) {
      wx.showToast({ title: '请输入正确的金额（最多两位小数）', icon: 'none' });
      return;
    }
    if (amount > this.data.available) {
      wx.showToast({ title: '超出可提现余额', icon: 'none' });
      return;
    }
    const body = { amount };
    this.setData({ submitting: true });
    subscribe.ask(api, 'withdraw')
      .then(() => api.post('/v1/distributor/withdrawals', body, { idempotencyKey: this.keys.keyFor(body) }))
      .then(() => {
        this.keys.done();
        this.setData({ amount: '' });
        wx.showToast({ title: '已提交' });
        return this.refresh();
      })
      .catch(showError)
      .then(() => this.setData({ submitting: false }));
  },

  // WeChat Pay "商家转账": the money arrives once the distributor confirms in this sheet.
  confirmTransfer(e) {
    const item = this.data.items[e.currentTarget.dataset.index];
    if (!wx.canIUse('requestMerchantTransfer')) {
      wx.showToast({ title: '请升级微信后再确认收款', icon: 'none' });
      return;
    }
    wx.requestMerchantTransfer({
      mchId: config.MCH_ID,
      appId: wx.getAccountInfoSync().miniProgram.appId,
      package: item.package_info,
      success: () => this.refresh(),
      fail: (err) => { if (!/cancel/.test(err.errMsg || '')) wx.showToast({ title: '确认收款失败', icon: 'none' }); },
    });
  },
}));
