/* 商品, 分类, 首页轮播: products with the spec/SKU editor and picture lists, categories, home banners. */
import { fill, h } from './dom.js';
import { api } from './api.js';
import { bpToPercent, fenToYuanText, time, toBp, toFen, yuan } from './format.js';
import { categoryList, getProduct, productSearch } from './pickers.js';
import { can } from './roles.js';
import { specEditor } from './specs.js';
import { act, actions, badge, confirmButton, errorBox, filterBar, formDialog, imageList, loading, openDialog, options, pagedTable,
  panel, searchBox, spacer, table, toolbar } from './ui.js';

const enc = encodeURIComponent;

async function categoryOptions() {
  const items = await categoryList();
  const names = Object.fromEntries(items.map((c) => [c.id, c.name]));
  return items.map((c) => [c.id, c.parent_id ? `${names[c.parent_id] || ''} › ${c.name}` : c.name]);
}

/** [[id, name]] of the shipping templates, for the product editor's 运费 select (a shop has a handful). */
async function templateOptions() {
  const items = (await api('GET', '/v1/admin/shipping-templates', { query: { page_size: 100 } })).items || [];
  return items.map((t) => [t.id, `${t.name}（${t.mode === 'weight' ? '按重量' : '按件数'}）`]);
}

const commissionText = (c) => (c ? c.levels.map((v) => (c.mode === 'rate' ? bpToPercent(v) : fenToYuanText(v))).join(', ') : '');

async function editProduct(id, reload) {
  openDialog(id ? '编辑商品' : '新建商品', loading());
  try {
    const [product, categories, templates] = await Promise.all([id ? api('GET', `/v1/admin/products/${enc(id)}`) : null, categoryOptions(),
      templateOptions()]);
    const p = product || { specs: [], skus: [], images: [], detail_images: [], status: 'off_sale' };
    const editor = specEditor(p.specs, p.skus);
    const images = imageList(p.images, { label: '商品图' });
    const details = imageList(p.detail_images, { max: 30, label: '详情图' });
    const commission = p.commission || null;
    formDialog(id ? `编辑商品 · ${p.title}` : '新建商品', [
      { name: 'title', label: '商品名称', required: true, value: p.title },
      { name: 'subtitle', label: '副标题', value: p.subtitle },
      { name: 'category_id', label: '分类', type: 'select', options: [['', '请选择分类'], ...categories], value: p.category_id,
        read: (form) => { if (!form.elements.category_id.value) throw new Error('请选择分类'); return form.elements.category_id.value; } },
      { name: 'images', label: '商品图', render: () => images.el, read: () => {
        const list = images.read();
        if (!list.length) throw new Error('请至少上传一张商品图');
        return list;
      }, hint: '第一张为封面，最多 20 张' },
      { section: '规格与价格' },
      { name: 'specs', label: '规格 / SKU', render: () => editor.el, read: () => editor.read(),
        hint: '添加规格名和规格值，下方自动生成每个组合的 SKU；价格单位为元' },
      { name: 'status', label: '状态', type: 'select', options: [['on_sale', '上架'], ['off_sale', '下架']], value: p.status === 'on_sale' ? 'on_sale' : 'off_sale' },
      { name: 'shipping_template_id', label: '运费', type: 'select', nullable: true, value: p.shipping_template_id || '',
        options: [['', '店铺统一运费（设置 → 店铺设置）'], ...templates], hint: '运费模板在 商品 → 运费模板 中管理；按重量计费的模板读取各 SKU 的重量' },
      { section: '详情' },
      { name: 'description', label: '文字介绍', type: 'textarea', value: p.description, rows: 3 },
      { name: 'detail_images', label: '详情图', render: () => details.el, read: () => details.read(), hint: '商品详情页从上到下展示，最多 30 张' },
      { section: '商品佣金（不设置则使用全局比例）' },
      { name: 'commission_mode', label: '佣金方式', type: 'select', options: [['', '使用全局设置'], ['rate', '按比例 (%)'], ['fixed', '固定金额 (元/件)']], value: commission ? commission.mode : '' },
      { name: 'commission_levels', label: '各级佣金', placeholder: '如 10, 5', value: commissionText(commission), hint: '一级, 二级, 三级，逗号分隔' },
    ], (values) => {
      const { commission_mode: mode, commission_levels: levels, specs, ...rest } = values;
      const body = { ...rest, ...specs, commission: null };  // specs: {specs, skus} from the editor
      if (mode) {
        const parts = (levels || '').split(/[,，\s]+/).filter(Boolean);
        if (!parts.length) throw new Error('请填写各级佣金');
        body.commission = { mode, levels: parts.map((v) => (mode === 'rate' ? toBp(v, '佣金比例') : toFen(v, '佣金金额'))) };
      }
      return id ? api('PUT', `/v1/admin/products/${enc(id)}`, { body }) : api('POST', '/v1/admin/products', { body });
    }, reload, id ? '商品已保存' : '商品已创建');
  } catch (err) {
    openDialog('商品', errorBox(err));
  }
}

/** The PUT body (API.md ProductIn) of a product as the admin API returns it, with another status. */
const productBody = (p, status) => ({
  title: p.title, subtitle: p.subtitle || '', category_id: p.category_id, images: p.images, description: p.description || '',
  detail_images: p.detail_images || [], specs: p.specs || [], status, commission: p.commission || null,
  shipping_template_id: p.shipping_template_id ?? null,
  skus: (p.skus || []).map((s) => ({ specs: s.specs, price: s.price, original_price: s.original_price ?? null, stock: s.stock,
    weight: s.weight ?? 0, image: s.image ?? null })),
});

async function toggleSale(button, row, reload) {
  const next = row.status === 'on_sale' ? 'off_sale' : 'on_sale';
  await act(button, async () => {
    const p = await api('GET', `/v1/admin/products/${enc(row.id)}`);
    await api('PUT', `/v1/admin/products/${enc(row.id)}`, { body: productBody(p, next) });
  }, reload, next === 'on_sale' ? '已上架' : '已下架');
}

export async function renderProducts(view) {
  const search = searchBox('搜索商品名称', () => list.load());
  const filters = filterBar([['on_sale', '在售'], ['off_sale', '已下架'], ['archived', '已删除']], () => list.load(), [...search.el, spacer(),
    can('catalog') ? h('button', { class: 'primary', onclick: () => editProduct(null, () => list.reload()) }, '新建商品') : null]);
  const reload = () => list.reload();
  const list = pagedTable((paging) => api('GET', '/v1/admin/products', { query: { ...paging, status: filters.select.value, q: search.input.value.trim() } }), [
    ['图片', (p) => (p.cover ? h('img', { class: 'thumb', src: p.cover, alt: '' }) : '')],
    ['商品', (p) => p.title],
    ['价格', (p) => (p.price_min === p.price_max ? yuan(p.price_min) : `${yuan(p.price_min)} ~ ${yuan(p.price_max)}`), 'num'],
    ['销量', (p) => p.sales ?? 0, 'num'],
    ['状态', (p) => badge(p.status)],
    ['创建时间', (p) => time(p.created_at)],
    ['操作', (p) => {
      if (!can('catalog')) return '—';
      const toggle = h('button', { class: 'small', onclick: () => toggleSale(toggle, p, reload) }, p.status === 'on_sale' ? '下架' : '上架');
      if (p.status === 'archived') return actions(h('button', { class: 'small', onclick: () => editProduct(p.id, reload) }, '编辑后恢复'));
      return actions(h('button', { class: 'small', onclick: () => editProduct(p.id, reload) }, '编辑'), toggle,
        confirmButton('删除', 'danger', `删除「${p.title}」？商品从店铺和后台列表移除，已有订单的记录完整保留。`,
          () => api('DELETE', `/v1/admin/products/${enc(p.id)}`), reload, '商品已删除'));
    }],
  ]);
  view.append(panel(null, filters.el, list.el));
  await list.load();
}

// ---- 分类 categories -------------------------------------------------------------------------------

export async function renderCategories(view) {
  const body = h('div');
  async function load() {
    try {
      const items = await categoryList();
      const names = Object.fromEntries(items.map((c) => [c.id, c.name]));
      const tops = items.filter((c) => !c.parent_id);
      const ordered = tops.flatMap((t) => [t, ...items.filter((c) => c.parent_id === t.id)]);
      ordered.push(...items.filter((c) => !ordered.includes(c)));
      fill(body, table([
        ['名称', (c) => (c.parent_id ? `└ ${c.name}` : c.name)],
        ['上级分类', (c) => (c.parent_id ? names[c.parent_id] || '—' : '—')],
        ['排序', (c) => c.sort ?? 0, 'num'],
        ['图标', (c) => (c.icon ? h('img', { class: 'thumb', src: c.icon, alt: '' }) : '—')],
        ['操作', (c) => (can('catalog') ? actions(h('button', { class: 'small', onclick: () => editCategory(c, tops) }, '编辑'),
          confirmButton('删除', 'danger', `删除分类「${c.name}」？`, () => api('DELETE', `/v1/admin/categories/${enc(c.id)}`), load, '分类已删除')) : '—')],
      ], ordered, '还没有分类'));
    } catch (err) {
      fill(body, errorBox(err));
    }
  }
  function editCategory(c, tops) {
    const parents = [['', '（顶级分类）'], ...tops.filter((t) => !c || t.id !== c.id).map((t) => [t.id, t.name])];
    formDialog(c ? `编辑分类 · ${c.name}` : '新建分类', [
      { name: 'name', label: '名称', required: true, value: c && c.name },
      { name: 'parent_id', label: '上级分类', type: 'select', options: parents, value: (c && c.parent_id) || '', nullable: true },
      { name: 'sort', label: '排序', type: 'int', value: c ? c.sort : 0, hint: '数字越小越靠前' },
      { name: 'icon', label: '图标', type: 'image', value: c && c.icon, nullable: true },
    ], (values) => (c ? api('PUT', `/v1/admin/categories/${enc(c.id)}`, { body: values })
      : api('POST', '/v1/admin/categories', { body: values })), load);
  }
  view.append(panel(null, toolbar(spacer(), can('catalog') ? h('button', { class: 'primary', onclick: async () =>
    editCategory(null, (await categoryList()).filter((t) => !t.parent_id)) }, '新建分类') : null), body));
  await load();
}

// ---- 首页轮播 home banners -------------------------------------------------------------------------
// A banner opens a mini-program page (`link`); the merchant picks what it opens, the page writes the path.

const PAGES = { coupons: ['/pages/coupons/index', '领券中心'], distributor: ['/pages/distributor/index', '分销中心'],
  category: ['/pages/category/index', '分类页'] };
const PRODUCT_PAGE = '/pages/product/detail?id=';
const SEARCH_PAGE = '/pages/search/index?q=';

/** What a link opens: {kind: '' | product | search | coupons | distributor | category | path, value}. */
function parseLink(link) {
  if (!link) return { kind: '' };
  if (link.startsWith(PRODUCT_PAGE)) return { kind: 'product', value: decodeURIComponent(link.slice(PRODUCT_PAGE.length)) };
  if (link.startsWith(SEARCH_PAGE)) return { kind: 'search', value: decodeURIComponent(link.slice(SEARCH_PAGE.length)) };
  const page = Object.entries(PAGES).find(([, [path]]) => path === link);
  return page ? { kind: page[0] } : { kind: 'path', value: link };
}

function linkPicker(link) {
  const start = parseLink(link);
  let product = start.kind === 'product' ? { id: start.value, title: '…' } : null;
  const kind = h('select', { name: 'link_kind', 'aria-label': '跳转到' }, options([['', '不跳转'], ['product', '商品详情'], ['search', '搜索结果'],
    ...Object.entries(PAGES).map(([k, [, label]]) => [k, label]), ['path', '其他页面（填写路径）']], start.kind));
  const chosen = h('span', { class: 'chips' });
  const drawChosen = () => fill(chosen, product ? h('span', { class: 'chip' }, product.title) : h('span', { class: 'muted' }, '请搜索并选择商品'));
  if (product) getProduct(product.id).then((p) => { product = { id: p.id, title: p.title }; drawChosen(); }, () => { product.title = '（已删除的商品）'; drawChosen(); });
  drawChosen();
  const productBox = h('div', { class: 'stack-s' }, chosen, productSearch((p) => { product = { id: p.id, title: p.title }; drawChosen(); }));
  const keyword = h('input', { 'aria-label': '搜索词', placeholder: '如 降噪耳机', maxlength: 50, value: start.kind === 'search' ? start.value : '' });
  const path = h('input', { 'aria-label': '页面路径', placeholder: '/pages/…', maxlength: 200, value: start.kind === 'path' ? start.value : '' });
  const parts = { product: productBox, search: keyword, path };
  const show = () => { for (const [k, el] of Object.entries(parts)) el.hidden = kind.value !== k; };
  kind.addEventListener('change', show);
  show();
  const read = () => {
    switch (kind.value) {
      case '': return null;
      case 'product': if (!product) throw new Error('请选择轮播图跳转的商品'); return PRODUCT_PAGE + encodeURIComponent(product.id);
      case 'search': if (!keyword.value.trim()) throw new Error('请填写搜索词'); return SEARCH_PAGE + encodeURIComponent(keyword.value.trim());
      case 'path': return path.value.trim() || null;
      default: return PAGES[kind.value][0];
    }
  };
  return { el: h('div', { class: 'stack-s' }, kind, productBox, keyword, path), read };
}

/** The banner list's 跳转页面 column: what it opens, in words. */
function linkText(link, titles) {
  const { kind, value } = parseLink(link);
  if (!kind) return '不跳转';
  if (kind === 'product') return `商品：${titles.get(value) || '…'}`;
  if (kind === 'search') return `搜索：${value}`;
  return kind === 'path' ? value : PAGES[kind][1];
}

export async function renderBanners(view) {
  const body = h('div');
  const titles = new Map();
  async function load() {
    try {
      const items = (await api('GET', '/v1/admin/banners')).items || [];
      const products = [...new Set(items.map((b) => parseLink(b.link)).filter((l) => l.kind === 'product').map((l) => l.value))];
      await Promise.all(products.filter((id) => !titles.has(id)).map((id) => getProduct(id).then((p) => titles.set(id, p.title),
        () => titles.set(id, '（已删除的商品）'))));
      fill(body, table([
        ['图片', (b) => h('img', { class: 'thumb wide', src: b.image, alt: '' })],
        ['标题', (b) => b.title || '—'],
        ['跳转页面', (b) => linkText(b.link, titles)],
        ['排序', (b) => b.sort, 'num'],
        ['状态', (b) => (b.enabled ? '展示中' : '已隐藏')],
        ['操作', (b) => (can('catalog') ? actions(h('button', { class: 'small', onclick: () => editBanner(b) }, '编辑'),
          confirmButton('删除', 'danger', '删除这张轮播图？', () => api('DELETE', `/v1/admin/banners/${enc(b.id)}`), load, '已删除')) : '—')],
      ], items, '还没有轮播图：首页只显示分类和商品'));
    } catch (err) {
      fill(body, errorBox(err));
    }
  }
  function editBanner(b) {
    const link = linkPicker(b && b.link);
    formDialog(b ? '编辑轮播图' : '新建轮播图', [
      { name: 'image', label: '图片', type: 'image', required: true, value: b && b.image },
      { name: 'title', label: '标题', value: b && b.title, hint: '选填，最多 40 字' },
      { name: 'link', label: '点击后打开', render: () => link.el, read: link.read },
      { name: 'sort', label: '排序', type: 'int', value: b ? b.sort : 0, hint: '数字越小越靠前' },
      { name: 'enabled', label: '展示', type: 'checkbox', value: b ? b.enabled : true },
    ], (values) => (b ? api('PUT', `/v1/admin/banners/${enc(b.id)}`, { body: values })
      : api('POST', '/v1/admin/banners', { body: values })), load);
  }
  view.append(panel(null, toolbar(spacer(), can('catalog') ? h('button', { class: 'primary', onclick: () => editBanner(null) }, '新建轮播图') : null), body));
  await load();
}
