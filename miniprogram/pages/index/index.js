const api = require('../../utils/api');

Page({
  data: { categories: [], products: [] },
  onLoad() {
    api.request('GET', '/v1/categories').then((res) => this.setData({ categories: res.items }));
    api.request('GET', '/v1/products?page_size=20').then((res) => this.setData({ products: res.items }));
  },
});
