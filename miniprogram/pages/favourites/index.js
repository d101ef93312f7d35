// My favourites (收藏), newest first; a product taken off sale stays, marked 已下架.
const api = require('../../utils/api');
const { productCard } = require('../../utils/catalog');
const { listPage, openProduct } = require('../../utils/page');
const { showError } = require('../../utils/ui');

function favouriteView(entry) {
  return Object.assign({}, entry, { card: entry.product ? productCard(entry.product) : null });
}

Page(listPage({
  fetch(cursor, size) { return api.get('/v1/me/favourites', { cursor, page_size: size }); },
  map: favouriteView,
  reload: 'load',
}, {
  open(e) {
    if (e.currentTarget.dataset.available) openProduct(e);
    else wx.showToast({ title: '该商品已下架', icon: 'none' });
  },

  remove(e) {
    api.del('/v1/me/favourites/' + encodeURIComponent(e.currentTarget.dataset.id))
      .then(() => this.list.reload())
      .catch(showError);
  },
}));
