// Catalog view helpers: the category tree from the flat GET /v1/categories list, and product cards.
const money = require('./money');

function bySort(a, b) {
  return (a.sort || 0) - (b.sort || 0);
}

// [{id, parent_id, sort, ...}] → top-level categories (sorted) each with `children` (sorted).
function categoryTree(items) {
  const list = items || [];
  const roots = list.filter((c) => !c.parent_id).slice().sort(bySort);
  return roots.map((root) => Object.assign({}, root, {
    children: list.filter((c) => c.parent_id === root.id).slice().sort(bySort),
  }));
}

// A product list card with its display strings: a running promotion price replaces the range.
function productCard(p) {
  const onPromotion = Boolean(p.promotion && p.promotion.price !== undefined);
  return Object.assign({}, p, {
    price_text: onPromotion ? money.fenToYuan(p.promotion.price) : money.priceRange(p.price_min, p.price_max),
    was_text: onPromotion ? money.fenToYuan(p.price_min) : '',
    commission_text: p.commission !== undefined && p.commission !== null ? money.fenToYuan(p.commission) : '',
  });
}

const SORTS = [
  { value: 'default', label: '综合' }, { value: 'sales', label: '销量' }, { value: 'new', label: '新品' },
  { value: 'price_asc', label: '价格↑' }, { value: 'price_desc', label: '价格↓' },
];

module.exports = { categoryTree, productCard, SORTS };
