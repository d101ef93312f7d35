// Distributor centre: the application form until approved; then balances, stats, share poster, team,
// commissions and rankings.
const api = require('../../utils/api');
const { APPLICATION_TEXT, COMMISSION_FILTERS, balanceView, commissionView, gradeView, memberView } = require('../../utils/distributor');
const { fenToYuan } = require('../../utils/money');
const { bindPager } = require('../../utils/page');
const { showError } = require('../../utils/ui');
const { currentUser, rememberUser, shareCard } = require('../../utils/share');
const posters = require('../../utils/poster');
const subscribe = require('../../utils/subscribe');

const NOT_APPLIED = ['NOT_DISTRIBUTOR', 'DISTRIBUTOR_NOT_FOUND'];
const LEVEL_LABELS = { 1: '一级', 2: '二级', 3: '三级' };
// 排行榜 filters: everything, or what came in at one commission level (GET …/rankings?level=)
const RANK_LEVELS = [{ value: 0, label: '全部' }, { value: 1, label: '一级' }, { value: 2, label: '二级' },
  { value: 3, label: '三级' }];

// stats.levels {"1": {orders, sales, commission}, …} → rows labelled 一级/二级/三级 (one order counts at
// the level it came in at; the totals above count it once)
function levelRows(levels) {
  return Object.keys(levels || {}).sort().map((n) => ({ level: n, label: LEVEL_LABELS[n] || `${n}级`,
    orders: levels[n].orders, sales_text: fenToYuan(levels[n].sales), commission_text: fenToYuan(levels[n].commission) }));
}

const SECTIONS = [
  { value: 'team1', label: '一级团队' }, { value: 'team2', label: '二级团队' }, { value: 'team3', label: '三级团队' },
  { value: 'commissions', label: '佣金明细' }, { value: 'rankings', label: '排行榜' },
];

Page({
  data: {
    state: 'loading', distributor: null, statusText: '', balance: null, salesText: '0.00', grade: null,
    form: { real_name: '', phone: '', reason: '' }, submitting: false,
    sections: SECTIONS, section: 'team1', items: [], done: false, period: 'week', rankings: [],
    levelRows: [], rankLevels: RANK_LEVELS, rankLevel: 0,
    commissionFilters: COMMISSION_FILTERS, commissionStatus: '', posterPath: '', posterBusy: false,
    posterTemplates: [], posterTemplate: '',
  },

  onLoad() {
    this.list = bindPager(this, (cursor, size) => this.fetchSection(cursor, size), { map: (x) => x });
  },

  onShow() {
    subscribe.preload(api);
    this.load();
  },

  load() {
    return api.get('/v1/distributor').then((d) => {
      // share cards read the code from the stored user: keep it current (e.g. approved a moment ago)
      rememberUser(Object.assign({}, currentUser(), { distributor: { status: d.status, code: d.code } }));
      this.setData({ state: d.status, distributor: d, statusText: APPLICATION_TEXT[d.status] || d.status,
        balance: balanceView(d.balance), salesText: fenToYuan(d.stats.sales), levelRows: levelRows(d.stats.levels),
        grade: gradeView(d) });
      if (d.status === 'approved') this.openSection(this.data.section);
    }, (err) => {
      if (NOT_APPLIED.indexOf(err.code) !== -1) this.setData({ state: 'none' });
      else showError(err);
    });
  },

  onField(e) {
    this.setData({ ['form.' + e.currentTarget.dataset.field]: e.detail.value });
  },

  apply() {
    const form = this.data.form;
    if (!form.real_name.trim() || !/^1\d{10}$/.test(form.phone)) {
      wx.showToast({ title: '请填写姓名和11位手机号', icon: 'none' });
      return;
    }
    this.setData({ submitting: true });
    subscribe.ask(api, 'apply').then(() => api.post('/v1/distributor/application', { real_name: form.real_name.trim(), phone: form.phone,
      reason: form.reason.trim() || undefined }))
      .then(() => this.load())
      .catch(showError)
      .then(() => this.setData({ submitting: false }));
  },

  fetchSection(cursor, size) {
    const section = this.data.section;
    if (section === 'commissions') {
      return api.get('/v1/distributor/commissions', { status: this.data.commissionStatus, cursor, page_size: size })
        .then((res) => Object.assign({}, res, { items: res.items.map(commissionView) }));
    }
    return api.get('/v1/distributor/team', { level: Number(section.slice('team'.length)), cursor, page_size: size })
      .then((res) => Object.assign({}, res, { items: res.items.map(memberView) }));
  },

  openSection(section) {
    this.setData({ section, items: [] });
    if (section === 'rankings') return this.loadRankings();
    return this.list.reload();
  },

  changeSection(e) {
    this.openSection(e.currentTarget.dataset.value);
  },

  // 佣金明细 by status (GET /v1/distributor/commissions?status=…); '' lists all.
  changeCommissionStatus(e) {
    this.setData({ commissionStatus: e.currentTarget.dataset.value, items: [] });
    this.list.reload();
  },

  onPullDownRefresh() {
    this.load().then(() => wx.stopPullDownRefresh());
  },

  changePeriod(e) {
    this.setData({ period: e.currentTarget.dataset.value });
    this.loadRankings();
  },

  changeRankLevel(e) {
    this.setData({ rankLevel: Number(e.currentTarget.dataset.value) });
    this.loadRankings();
  },

  loadRankings() {
    const level = this.data.rankLevel;
    return api.get('/v1/distributor/rankings', { period: this.data.period, level: level || undefined })
      .then((res) => this.setData({ rankings: res.items.map((r) => Object.assign({}, r, {
        sales_text: fenToYuan(r.sales), level_text: level ? `${LEVEL_LABELS[level]} · ${r.orders}单` : `${r.orders}单` })) }))
      .catch(showError);
  },

  onReachBottom() {
    if (this.data.state === 'approved' && this.data.section !== 'rankings') this.list.more();
  },

  // The shop poster: the distributor's avatar and nickname beside the shop wxacode carrying their code,
  // drawn from the poster template they picked (the merchant's default first).
  makePoster() {
    this.setData({ posterBusy: true, posterPath: '' });
    Promise.all([api.get('/v1/distributor/share'), posters.pickedTemplate(this, api, 'shop')])
      .then(([share, template]) => {
        const user = currentUser();
        return posters.makePoster(this, '#poster', { image: '', title: '分销商城 · 好物邀你一起逛', priceText: '',
          avatar: user.avatar_url, nickname: user.nickname, qrcode: share.qrcode_url }, template);
      })
      .then((posterPath) => this.setData({ posterPath, posterBusy: false }))
      .catch((err) => { this.setData({ posterBusy: false }); showError(err); });
  },

  chooseTemplate(e) {
    if (this.data.posterBusy || e.currentTarget.dataset.id === this.data.posterTemplate) return;
    this.setData({ posterTemplate: e.currentTarget.dataset.id });
    this.makePoster();
  },

  previewPoster() {
    wx.previewImage({ urls: [this.data.posterPath] });
  },

  savePoster() {
    posters.saveToAlbum(this.data.posterPath).then(() => wx.showToast({ title: '已保存到相册' })).catch(showError);
  },

  withdraw() {
    wx.navigateTo({ url: '/pages/distributor/withdraw' });
  },

  onShareAppMessage() {
    return shareCard('分销商城', '/pages/index/index');
  },
});
