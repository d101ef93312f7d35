// The product page's spec picker: which SKU a choice of spec values means, and which values can still
// be chosen. A value is disabled when no in-stock SKU has it together with the values already chosen
// for the OTHER specs, so the shopper can always switch a value without first clearing the others.

function inStock(sku) {
  return sku.stock === undefined || sku.stock === null || sku.stock > 0;
}

function matches(sku, selection) {
  const specs = sku.specs || {};
  return Object.keys(selection).every((name) => !selection[name] || specs[name] === selection[name]);
}

// Specs with a single value need no tap: preselect them.
function initialSelection(specs) {
  const selection = {};
  (specs || []).forEach((spec) => {
    if (spec.values && spec.values.length === 1) selection[spec.name] = spec.values[0];
  });
  return selection;
}

// Tapping a value selects it, tapping the selected value again clears it.
function toggle(selection, name, value) {
  const next = Object.assign({}, selection);
  if (next[name] === value) delete next[name];
  else next[name] = value;
  return next;
}

// The SKU the selection names once every spec has a value (null while incomplete or unmatched).
function selectedSku(specs, skus, selection) {
  const names = (specs || []).map((spec) => spec.name);
  if (names.some((name) => !selection[name])) return null;
  return (skus || []).find((sku) => names.every((name) => (sku.specs || {})[name] === selection[name])) || null;
}

/**
 * pickerView(specs, skus, selection) → {groups: [{name, values: [{value, selected, disabled}]}], sku,
 * missing: [spec names without a value], complete}. `sku` is null until the choice is complete and
 * in stock; `complete` says every spec has a value.
 */
function pickerView(specs, skus, selection) {
  const available = (skus || []).filter(inStock);
  const groups = (specs || []).map((spec) => {
    const others = Object.assign({}, selection);
    delete others[spec.name];
    return {
      name: spec.name,
      values: spec.values.map((value) => {
        const probe = Object.assign({}, others, { [spec.name]: value });
        return { value, selected: selection[spec.name] === value,
          disabled: !available.some((sku) => matches(sku, probe)) };
      }),
    };
  });
  const missing = (specs || []).filter((spec) => !selection[spec.name]).map((spec) => spec.name);
  const sku = selectedSku(specs, skus, selection);
  return { groups, sku: sku && inStock(sku) ? sku : null, missing, complete: missing.length === 0 };
}

// What one unit costs the shopper: the running limited-time price when below the list price, or the
// group price when buying in a group.
function unitPrice(sku, groupBuy) {
  if (groupBuy && groupBuy.sku_prices && groupBuy.sku_prices[sku.id] !== undefined) return groupBuy.sku_prices[sku.id];
  return sku.promo_price !== undefined && sku.promo_price !== null && sku.promo_price < sku.price
    ? sku.promo_price : sku.price;
}

// {min, max} of what the in-stock SKUs cost, for the header before a SKU is chosen.
function priceBounds(skus, groupBuy) {
  const prices = (skus || []).filter(inStock).map((sku) => unitPrice(sku, groupBuy));
  if (!prices.length) return null;
  return { min: Math.min.apply(null, prices), max: Math.max.apply(null, prices) };
}

module.exports = { initialSelection, toggle, selectedSku, pickerView, unitPrice, priceBounds, inStock };
