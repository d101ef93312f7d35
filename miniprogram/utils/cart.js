// The cart page's view of GET /v1/cart: display strings and the "all selected" state. The total comes
// from the backend (`selected_total`, the prices checkout charges now); the page never adds prices up.
// `price` is the unit price charged (a running limited-time price), `list_price` the SKU price shown
// struck through beside it.
const money = require('./money');

function cartView(cart) {
  const items = ((cart && cart.items) || []).map((item) => Object.assign({}, item, {
    price_text: money.fenToYuan(item.price),
    was_text: item.list_price > item.price ? money.fenToYuan(item.list_price) : '',
    line_total_text: money.fenToYuan(item.price * item.quantity),
    specs_text: specsText(item.specs),
    max_quantity: item.stock > 0 ? item.stock : item.quantity,
  }));
  const selectable = items.filter((item) => item.available);
  const chosen = selectable.filter((item) => item.selected);
  return {
    items,
    all_selected: selectable.length > 0 && chosen.length === selectable.length,
    selected_count: chosen.reduce((sum, item) => sum + item.quantity, 0),
    total_text: money.fenToYuan((cart && cart.selected_total) || 0),
    can_checkout: chosen.length > 0,
    empty: items.length === 0,
  };
}

// {颜色: 红, 尺码: M} → "红 / M"
function specsText(specs) {
  return Object.keys(specs || {}).map((name) => specs[name]).join(' / ');
}

// A quantity the stepper may send: at least 1, at most the stock (when known).
function clampQuantity(quantity, stock) {
  const n = Math.floor(Number(quantity));
  if (!(n >= 1)) return 1;
  return stock > 0 ? Math.min(n, stock) : n;
}

module.exports = { cartView, specsText, clampQuantity };
