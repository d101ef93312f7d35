const test = require('node:test');
const assert = require('node:assert/strict');

function configFor(envVersion) {
  const saved = global.wx;
  global.wx = envVersion === undefined ? undefined
    : { getAccountInfoSync: () => ({ miniProgram: { envVersion, appId: 'wx0' } }) };
  delete require.cache[require.resolve('../config')];
  try {
    return require('../config');
  } finally {
    global.wx = saved;
    delete require.cache[require.resolve('../config')];
  }
}

test('the develop build and node use the local stack', () => {
  assert.equal(configFor('develop').BASE_URL, 'http://127.0.0.1:8000');
  assert.equal(configFor(undefined).BUILD, 'develop');
});

test('trial and release builds use the one public HTTPS base URL', () => {
  for (const build of ['trial', 'release']) {
    const config = configFor(build);
    assert.equal(config.BUILD, build);
    assert.match(config.BASE_URL, /^https:\/\/[^/]+$/);
    assert.equal(typeof config.MCH_ID, 'string');
  }
});
