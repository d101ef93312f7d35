// Page-by-page loading for `{items, page, page_size, total}` lists (reach-bottom pagination).
// Pure state: `fetchPage(page)` is injected, so the rules (no double load, stop at total) are testable.

/**
 * createPager(fetchPage, pageSize) → {state(), next(), reset()}. next() loads the following page and
 * resolves with the new state; calls while a load is running or after the last page resolve at once.
 */
function createPager(fetchPage, pageSize) {
  const size = pageSize || 20;
  let state = { items: [], page: 0, total: null, loading: false, done: false };
  let generation = 0; // a reset() while loading discards the stale answer

  function next() {
    if (state.loading || state.done) return Promise.resolve(state);
    const page = state.page + 1;
    const mine = generation;
    state = Object.assign({}, state, { loading: true });
    return fetchPage(page, size).then((res) => {
      if (mine !== generation) return state;
      const items = state.items.concat(res.items || []);
      const total = typeof res.total === 'number' ? res.total : items.length;
      state = { items, page, total, loading: false,
        done: items.length >= total || (res.items || []).length < size };
      return state;
    }, (err) => {
      if (mine === generation) state = Object.assign({}, state, { loading: false });
      throw err;
    });
  }

  return {
    state: () => state,
    next,
    reset() {
      generation += 1;
      state = { items: [], page: 0, total: null, loading: false, done: false };
      return next();
    },
  };
}

module.exports = { createPager };
