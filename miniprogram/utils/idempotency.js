// Idempotency-Key values for writes that create money obligations (orders, withdrawals).
// The backend stores the key with a hash of the body: the same key with the same body replays the first
// result; the same key with a DIFFERENT body is refused (IDEMPOTENCY_KEY_REUSED). So a page keeps one key
// per body ("place this exact order") and only takes a new one when the shopper changes what they ask for.

function randomHex(length) {
  let out = '';
  while (out.length < length) out += Math.floor(Math.random() * 0x100000000).toString(16).padStart(8, '0');
  return out.slice(0, length);
}

// 128 random bits plus the time: unique per user without needing a crypto API on old base libraries.
function newKey() {
  return Date.now().toString(36) + '-' + randomHex(32);
}

// JSON with sorted object keys, so {a, b} and {b, a} count as the same request.
function canonical(value) {
  if (Array.isArray(value)) return '[' + value.map(canonical).join(',') + ']';
  if (value && typeof value === 'object') {
    return '{' + Object.keys(value).sort().filter((k) => value[k] !== undefined)
      .map((k) => JSON.stringify(k) + ':' + canonical(value[k])).join(',') + '}';
  }
  return JSON.stringify(value);
}

/**
 * A key holder for one page: keyFor(body) answers the same key while the body stays the same (a retry
 * after a timeout or a failed payment screen), a fresh one once it changes; done() forgets it after
 * success so the next, new order gets its own key.
 */
function createKeyKeeper(generate) {
  const make = generate || newKey;
  let current = null;
  return {
    keyFor(body) {
      const signature = canonical(body);
      if (!current || current.signature !== signature) current = { signature, key: make() };
      return current.key;
    },
    done() {
      current = null;
    },
  };
}

module.exports = { newKey, canonical, createKeyKeeper };
