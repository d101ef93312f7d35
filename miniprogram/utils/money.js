// Money is integer fen everywhere in the API. Formatting and parsing use integer arithmetic and
// string handling only: 0.1 + 0.2 style float errors must never reach a price or a withdrawal.

const MAX_FEN = 1e12; // far above any amount the backend accepts, below Number.MAX_SAFE_INTEGER

function toFenInt(value) {
  if (typeof value === 'string' && /^-?\d+$/.test(value.trim())) return Number(value.trim());
  return value;
}

// 12345 → "123.45", -150 → "-1.50" (a balance can go negative after a commission clawback).
// Anything that is not an integer number of fen renders as "--" rather than a wrong price.
function fenToYuan(fen) {
  const value = toFenInt(fen);
  if (!Number.isSafeInteger(value)) return '--';
  const sign = value < 0 ? '-' : '';
  const abs = Math.abs(value);
  const cents = abs % 100;
  return sign + String((abs - cents) / 100) + '.' + (cents < 10 ? '0' : '') + String(cents);
}

// "¥123.45"
function price(fen) {
  const text = fenToYuan(fen);
  return text === '--' ? text : '¥' + text;
}

// A product card's price: "25.00" or "25.00-35.00" when its SKUs differ.
function priceRange(minFen, maxFen) {
  if (maxFen === undefined || maxFen === null || maxFen === minFen) return fenToYuan(minFen);
  return fenToYuan(minFen) + '-' + fenToYuan(maxFen);
}

// What a shopper types ("12", "12.5", "12.50", " 0.01 ") → fen, or null when it is not a valid
// non-negative amount with at most two decimals. Parsed as text: "0.29" is 29 fen, never 28.999….
function yuanToFen(text) {
  if (typeof text === 'number') text = String(text);
  if (typeof text !== 'string') return null;
  const match = /^(\d*)(?:\.(\d{0,2}))?$/.exec(text.trim());
  if (!match || (match[1] === '' && !match[2])) return null;
  const whole = match[1] === '' ? 0 : Number(match[1]);
  const cents = Number(((match[2] || '') + '00').slice(0, 2));
  const fen = whole * 100 + cents;
  return Number.isSafeInteger(fen) && fen <= MAX_FEN ? fen : null;
}

// 5000 → "50", 550 → "5.50": whole yuan without ".00", for labels like 满50减10.
function yuanShort(fen) {
  const text = fenToYuan(fen);
  return text.slice(-3) === '.00' ? text.slice(0, -3) : text;
}

module.exports = { fenToYuan, price, priceRange, yuanToFen, yuanShort };
