// My addresses. With `?select=1` (from checkout) tapping one hands it back through the event channel.
const api = require('../../utils/api');
const { oneLine } = require('../../utils/address');
const { showError } = require('../../utils/ui');

Page({
  data: { items: [], selecting: false, loaded: false },

  onLoad(query) {
    this.setData({ selecting: Boolean(query && query.select) });
  },

  onShow() {
    this.load();
  },

  // The address book is short (API.md: one list, no pages): pull-down reloads it whole.
  onPullDownRefresh() {
    this.load().then(() => wx.stopPullDownRefresh());
  },

  load() {
    return api.get('/v1/me/addresses')
      .then((res) => this.setData({ loaded: true,
        items: (res.items || []).map((a) => Object.assign({}, a, { text: oneLine(a) })) }))
      .catch(showError);
  },

  choose(e) {
    const address = this.data.items[e.currentTarget.dataset.index];
    if (!this.data.selecting) return this.edit(e);
    this.getOpenerEventChannel().emit('selected', address);
    return wx.navigateBack();
  },

  edit(e) {
    const address = this.data.items[e.currentTarget.dataset.index];
    wx.navigateTo({ url: '/pages/address/edit', success: (res) => res.eventChannel.emit('address', address) });
  },

  add() {
    wx.navigateTo({ url: '/pages/address/edit' });
  },
});
