// Cursor paging for the API's lists (`{items, next_cursor}`; the next page is `?cursor=<next_cursor>`,
// docs/api-notes.md "Cursors"). A cursor page costs the backend one page however long the list is, where
// `?page=n` reads the n − 1 pages before it. Pure state: `fetchPage(cursor, size)` is injected (cursor is
// undefined for the first page), so the rules (no double load, stop when next_cursor is null, a reset
// starts again from the first page) are testable without a page.

/**
 * createPager(fetchPage, pageSize) → {state(), next(), reset()}. next() loads the following page and
 * resolves with the new state; calls while a load is running or after the last page resolve at once.
 */
function createPager(fetchPage, pageSize) {
  const size = pageSize || 20;
  const empty = () => ({ items: [], cursor: undefined, loading: false, done: false });
  let state = empty();
  let generation = 0; // a reset() while loading discards the stale answer

  function next() {
    if (state.loading || state.done) return Promise.resolve(state);
    const mine = generation;
    state = Object.assign({}, state, { loading: true });
    return fetchPage(state.cursor, size).then((res) => {
      if (mine !== generation) return state;
      const cursor = res.next_cursor || undefined;
      state = { items: state.items.concat(res.items || []), cursor, loading: false, done: !cursor };
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
      state = empty();
      return next();
    },
  };
}

module.exports = { createPager };
