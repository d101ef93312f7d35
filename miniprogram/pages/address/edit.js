// Add or edit an address; the list page passes the address to edit through the event channel.
const api = require('../../utils/api');
const { validate, toBody, fromWechat } = require('../../utils/address');
const { showError, confirm } = require('../../utils/ui');

const EMPTY = { name: '', phone: '', province: '', city: '', district: '', detail: '', is_default: false };

Page({
  data: { address: EMPTY, id: '', region: [], saving: false },

  onLoad() {
    const channel = this.getOpenerEventChannel && this.getOpenerEventChannel();
    if (channel && channel.on) channel.on('address', (address) => this.fill(address, address.id));
  },

  fill(address, id) {
    const merged = Object.assign({}, EMPTY, address);
    this.setData({ address: merged, id: id || this.data.id, region: [merged.province, merged.city, merged.district] });
    wx.setNavigationBarTitle({ title: this.data.id ? '编辑地址' : '新增地址' });
  },

  onField(e) {
    this.setData({ ['address.' + e.currentTarget.dataset.field]: e.detail.value });
  },

  onRegion(e) {
    const [province, city, district] = e.detail.value;
    this.setData({ region: e.detail.value, 'address.province': province, 'address.city': city, 'address.district': district });
  },

  onDefault(e) {
    this.setData({ 'address.is_default': e.detail.value });
  },

  importWechat() {
    wx.chooseAddress({ success: (res) => this.fill(fromWechat(res)) });
  },

  save() {
    const problem = validate(this.data.address);
    if (problem) {
      wx.showToast({ title: problem, icon: 'none' });
      return;
    }
    const body = toBody(this.data.address);
    this.setData({ saving: true });
    const saved = this.data.id ? api.put('/v1/me/addresses/' + this.data.id, body) : api.post('/v1/me/addresses', body);
    saved.then(() => wx.navigateBack()).catch((err) => { this.setData({ saving: false }); showError(err); });
  },

  remove() {
    confirm('确定删除这个地址吗？').then((ok) => {
      if (ok) api.del('/v1/me/addresses/' + this.data.id).then(() => wx.navigateBack()).catch(showError);
    });
  },
});
