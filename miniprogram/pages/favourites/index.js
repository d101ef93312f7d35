// My favourites (收藏), newest first, page by page; a product taken off sale stays, marked 已下架.
const api = require('../../utils/api');
const { productCard } = require('../../utils/catalog');
const { bindPager, openProduct } = require('../../utils/page');
const { showError } = require('../../utils/ui');

function favouriteView(entry) {
  return Object.assign({}, entry, { card: entry.product ? productCard(entry.product) : null });
}

Page({
  data: { items: [], done: false, loading: false },

  onLoad() {
    this.list = bindPager(this, (page, size) => api.get('/v1/me/favourites', { page, page_size: size }),
      { map: favouriteView });
    return this.list.reload();
  },

  onReachBottom() { this.list.more(); },

  onPullDownRefresh() { this.list.refresh(); },

  open(e) {
    if (e.currentTarget.dataset.available) openProduct(e);
    else wx.showToast({ title: '该商品已下架', icon: 'none' });
  },

  remove(e) {
    api.del('/v1/me/favourites/' + encodeURIComponent(e.currentTarget.dataset.id))
      .then(() => this.list.reload())
      .catch(showError);
  },
});
