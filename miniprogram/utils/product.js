// The product page's derived view: spec picker state, the price header and the commission badge for the
// current selection. Kept out of the page so the rules are tested without a mini-program runtime.
const money = require('./money');
const sku = require('./sku');

function rangeText(bounds) {
  return bounds ? money.priceRange(bounds.min, bounds.max) : '--';
}

/**
 * productView(product, selection) → {picker, sku, price_text, was_text, group_price_text, commission_text,
 * stock}. Prices follow the selected SKU once the choice is complete, else the range over in-stock SKUs.
 */
function productView(product, selection) {
  const picker = sku.pickerView(product.specs, product.skus, selection || {});
  const chosen = picker.sku;
  const groupBuy = product.group_buy || null;
  const groupSku = chosen && groupBuy && groupBuy.sku_prices[chosen.id] !== undefined;
  let commission = product.commission;
  if (chosen && chosen.commission !== undefined) commission = chosen.commission;
  return {
    picker,
    sku: chosen,
    price_text: chosen ? money.fenToYuan(sku.unitPrice(chosen)) : rangeText(sku.priceBounds(product.skus)),
    was_text: chosen && sku.unitPrice(chosen) < chosen.price ? money.fenToYuan(chosen.price)
      : chosen && chosen.original_price ? money.fenToYuan(chosen.original_price) : '',
    group_price_text: !groupBuy ? ''
      : chosen ? (groupSku ? money.fenToYuan(groupBuy.sku_prices[chosen.id]) : '')
        : rangeText(sku.priceBounds((product.skus || []).filter((s) => groupBuy.sku_prices[s.id] !== undefined), groupBuy)),
    can_group: Boolean(groupBuy) && (!chosen || groupSku),
    commission_text: commission !== undefined && commission !== null ? money.fenToYuan(commission) : '',
    promotion_price_text: product.promotion ? money.fenToYuan(product.promotion.price) : '',
    stock: chosen ? chosen.stock : null,
  };
}

module.exports = { productView };
