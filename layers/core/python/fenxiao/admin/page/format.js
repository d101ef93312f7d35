/* Money, numbers and times. The API speaks integer fen, basis points and UTC; people read 元, % and
 * Beijing time (the shop's time zone, whatever the browser's own is). */

export function yuan(fen) {
  if (fen === null || fen === undefined || fen === '') return '—';
  const sign = fen < 0 ? '-' : '';
  const abs = Math.abs(Math.round(fen));
  return `${sign}¥${Math.floor(abs / 100).toLocaleString('zh-CN')}.${String(abs % 100).padStart(2, '0')}`;
}

/** "12.5" 元 -> 1250 fen, exactly (no floating point): the API only takes integer fen. */
export function toFen(text, label) {
  const s = String(text).trim();
  if (!/^\d+(\.\d{1,2})?$/.test(s)) throw new Error(`${label || '金额'}格式不正确（元，最多两位小数）：${s}`);
  const [whole, frac = ''] = s.split('.');
  return Number(whole) * 100 + Number((frac + '00').slice(0, 2));
}

/** "1.25" kg -> 1250 g, exactly: weights (SKUs, by-weight shipping) are stored in grams, entered in kg. */
export function toGrams(text, label) {
  const s = String(text).trim();
  if (!/^\d+(\.\d{1,3})?$/.test(s)) throw new Error(`${label || '重量'}格式不正确（千克，最多三位小数）：${s}`);
  const [whole, frac = ''] = s.split('.');
  return Number(whole) * 1000 + Number((frac + '000').slice(0, 3));
}
export const gramsToKgText = (grams) => (grams === null || grams === undefined ? '' : String(grams / 1000));

export const fenToYuanText = (fen) => (fen === null || fen === undefined ? '' : (fen / 100).toFixed(2));

/** "10.5" % -> 1050 basis points. */
export function toBp(text, label) {
  const s = String(text).trim();
  if (!/^\d+(\.\d{1,2})?$/.test(s)) throw new Error(`${label || '比例'}格式不正确（百分比）：${s}`);
  return Math.round(Number(s) * 100);
}
export const bpToPercent = (bp) => (bp / 100).toString();

export function toInt(text, label) {
  const s = String(text).trim();
  if (!/^-?\d+$/.test(s)) throw new Error(`${label || '数量'}必须是整数：${s}`);
  return Number(s);
}

const BEIJING = 'Asia/Shanghai';
const BEIJING_MS = 8 * 3600e3;  // China keeps no daylight saving time

/** An ISO time as Beijing wall-clock time: 2026/12/1 08:00:00. */
export function time(iso) {
  if (!iso) return '—';
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : d.toLocaleString('zh-CN', { hour12: false, timeZone: BEIJING });
}

/** ISO -> the value of an <input type=datetime-local>, in Beijing time. */
export function localInput(iso) {
  if (!iso) return '';
  return new Date(new Date(iso).getTime() + BEIJING_MS).toISOString().slice(0, 16);
}

/** The value of an <input type=datetime-local> (Beijing time) -> ISO UTC. */
export const fromLocalInput = (value) => new Date(`${value}:00+08:00`).toISOString();

/** The Beijing calendar day `offset` days from today (or from `day`): "2026-12-01". */
export function beijingDay(offset = 0, day) {
  const base = day ? Date.parse(`${day}T00:00:00Z`) : Date.now() + BEIJING_MS;
  return new Date(base + offset * 864e5).toISOString().slice(0, 10);
}

/** Days from `from` to `to` inclusive. */
export const daysBetween = (from, to) => Math.round((Date.parse(to) - Date.parse(from)) / 864e5) + 1;

/** A Beijing day's start as ISO with its offset (what the API's from/to datetimes take). */
export const dayStart = (day) => `${day}T00:00:00+08:00`;

/** {颜色: 红, 尺码: M} -> "红 / M". */
export const specLabel = (specs) => Object.values(specs || {}).join(' / ') || '默认';
