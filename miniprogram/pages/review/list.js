// All reviews of one product (商品评价 → 全部), newest first with the shop's replies, a cursor page at a
// time as the shopper scrolls; the rating summary on top.
const api = require('../../utils/api');
const { reviewCard, summaryText } = require('../../utils/reviews');
const { listPage } = require('../../utils/page');

Page(listPage({
  fetch(cursor, size) {
    return api.get('/v1/products/' + encodeURIComponent(this.productId) + '/reviews', { cursor, page_size: size })
      .then((res) => { if (res.summary) this.setData({ ratingText: summaryText(res.summary) }); return res; });
  },
  map: reviewCard,
  reload: 'load',
}, {
  data: { ratingText: '' },

  onLoad(query) {
    this.productId = query.product_id;
  },

  previewImage(e) {
    wx.previewImage({ current: e.currentTarget.dataset.src, urls: e.currentTarget.dataset.urls });
  },
}));
