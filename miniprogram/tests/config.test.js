// Per-environment configuration: config.js picks env.config.js's entry by WeChat's envVersion, and
// scripts/configure.js fills an entry (and the appid) without hand-editing source.
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const ROOT = path.join(__dirname, '..');

function freshConfig(envVersion) {
  global.wx = { getAccountInfoSync: () => ({ miniProgram: { appId: 'wx0', envVersion } }) };
  delete require.cache[require.resolve('../config')];
  const config = require('../config');
  delete global.wx;
  delete require.cache[require.resolve('../config')];
  return config;
}

test('the running build\'s envVersion chooses the settings; trial falls back to release', () => {
  const envs = require('../env.config');
  assert.equal(freshConfig('develop').BASE_URL, envs.develop.BASE_URL);
  assert.equal(freshConfig('release').ENV, 'release');
  assert.equal(freshConfig('release').BASE_URL, envs.release.BASE_URL);
  assert.deepEqual(freshConfig('develop').settings('trial'), envs.trial || envs.release);
  assert.equal(freshConfig(undefined).ENV, 'develop');
});

test('configure.js writes a stage and the appid; bad values are refused', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mp-config-'));
  for (const name of ['env.config.js', 'project.config.json']) fs.copyFileSync(path.join(ROOT, name), path.join(dir, name));
  const { configure } = require('../scripts/configure');
  configure(['release', '--base-url', 'https://api.shop.example/', '--mch-id', '1900000001', '--appid', 'wx0123456789abcdef'], {}, dir);
  configure(['trial'], { FENXIAO_MP_BASE_URL: 'https://trial.shop.example' }, dir);
  delete require.cache[path.join(dir, 'env.config.js')];
  const envs = require(path.join(dir, 'env.config.js'));
  assert.deepEqual(envs.release, { BASE_URL: 'https://api.shop.example', MCH_ID: '1900000001' });
  assert.deepEqual(envs.trial, { BASE_URL: 'https://trial.shop.example', MCH_ID: '1900000001' });
  assert.deepEqual(envs.develop, require('../env.config').develop);
  assert.equal(JSON.parse(fs.readFileSync(path.join(dir, 'project.config.json'), 'utf8')).appid, 'wx0123456789abcdef');
  assert.match(fs.readFileSync(path.join(dir, 'env.config.js'), 'utf8'), /^\/\/ Per-environment settings/);
  assert.throws(() => configure(['release', '--base-url', 'http://api.shop.example'], {}, dir), /https/);
  assert.throws(() => configure(['release', '--mch-id', 'abc'], {}, dir), /mch id/);
  assert.throws(() => configure(['staging'], {}, dir), /one of/);
});
