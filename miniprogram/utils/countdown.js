// Countdown text for group buys, promotions and unpaid orders. Pure: the page passes `now`, so a
// timer on the page only re-renders and the rules stay testable.

function pad(n) {
  return (n < 10 ? '0' : '') + n;
}

// ISO string | Date | epoch ms → epoch ms (NaN when unreadable).
function toMs(when) {
  if (when instanceof Date) return when.getTime();
  if (typeof when === 'number') return when;
  return Date.parse(when);
}

function remainingMs(until, now) {
  const left = toMs(until) - toMs(now === undefined ? Date.now() : now);
  return Number.isFinite(left) ? Math.max(0, left) : 0;
}

// 3723000 → "01:02:03"; over a day → "2天 01:02:03"; nothing left → "已结束".
function countdownText(ms) {
  const total = Math.floor(ms / 1000);
  if (!(total > 0)) return '已结束';
  const days = Math.floor(total / 86400);
  const hms = pad(Math.floor((total % 86400) / 3600)) + ':' + pad(Math.floor((total % 3600) / 60)) + ':' + pad(total % 60);
  return days > 0 ? days + '天 ' + hms : hms;
}

function countdown(until, now) {
  return countdownText(remainingMs(until, now));
}

// ISO time from the API → "2026-11-25 20:18" in the phone's time zone ('' when missing).
function localTime(when) {
  const ms = toMs(when);
  if (!Number.isFinite(ms)) return '';
  const d = new Date(ms);
  return d.getFullYear() + '-' + pad(d.getMonth() + 1) + '-' + pad(d.getDate()) + ' ' + pad(d.getHours()) + ':' + pad(d.getMinutes());
}

module.exports = { remainingMs, countdownText, countdown, localTime };
