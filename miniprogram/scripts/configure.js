#!/usr/bin/env node
// Sets a stage's settings without editing source by hand: rewrites env.config.js (base URL, WeChat Pay
// merchant id) and, when given, project.config.json's appid (WeChat DevTools and the upload CLI read it
// there). Node only, run on the developer's or CI's machine; nothing here ships in the package.
//
//   node miniprogram/scripts/configure.js release --base-url https://api.example.com --mch-id 1900000001 --appid wx0123456789abcdef
//   node miniprogram/scripts/configure.js develop --base-url http://192.168.1.20:8000
//
// Each flag may come from the environment instead: FENXIAO_MP_BASE_URL, FENXIAO_MP_MCH_ID, FENXIAO_MP_APPID.
// A trial or release base URL must be https (WeChat refuses plain HTTP outside development).
const fs = require('node:fs');
const path = require('node:path');

const ROOT = path.join(__dirname, '..');
const STAGES = ['develop', 'trial', 'release'];

function parse(argv, env) {
  const [stage, ...rest] = argv;
  if (STAGES.indexOf(stage) === -1) throw new Error('first argument: one of ' + STAGES.join(', '));
  const flags = { baseUrl: env.FENXIAO_MP_BASE_URL, mchId: env.FENXIAO_MP_MCH_ID, appid: env.FENXIAO_MP_APPID };
  const names = { '--base-url': 'baseUrl', '--mch-id': 'mchId', '--appid': 'appid' };
  for (let i = 0; i < rest.length; i += 2) {
    if (!names[rest[i]] || rest[i + 1] === undefined) throw new Error('unknown or empty flag: ' + rest[i]);
    flags[names[rest[i]]] = rest[i + 1];
  }
  if (flags.baseUrl !== undefined) {
    const pattern = stage === 'develop' ? /^https?:\/\/[^\s/]+(\/[^\s]*)?$/ : /^https:\/\/[^\s/]+(\/[^\s]*)?$/;
    if (!pattern.test(flags.baseUrl)) throw new Error('base URL for ' + stage + ' must be ' + (stage === 'develop' ? 'http(s)' : 'https') + ': ' + flags.baseUrl);
    flags.baseUrl = flags.baseUrl.replace(/\/+$/, '');
  }
  if (flags.mchId !== undefined && !/^\d{8,12}$/.test(flags.mchId)) throw new Error('mch id must be 8-12 digits: ' + flags.mchId);
  if (flags.appid !== undefined && !/^wx[0-9a-f]{16}$/.test(flags.appid)) throw new Error('appid must look like wx + 16 hex: ' + flags.appid);
  return { stage, flags };
}

function render(envs, source) {
  const line = (stage) => '  ' + stage + ': ' + (envs[stage] ? '{ BASE_URL: ' + JSON.stringify(envs[stage].BASE_URL).replace(/"/g, "'")
    + ', MCH_ID: ' + JSON.stringify(envs[stage].MCH_ID).replace(/"/g, "'") + ' }' : 'null') + ',';
  const header = source.slice(0, source.indexOf('module.exports'));
  return header + 'module.exports = {\n' + STAGES.map(line).join('\n') + '\n};\n';
}

function configure(argv, env, root) {
  const base = root || ROOT;
  const { stage, flags } = parse(argv, env || {});
  const file = path.join(base, 'env.config.js');
  delete require.cache[require.resolve(file)];
  const envs = Object.assign({}, require(file));
  const current = envs[stage] || (stage === 'trial' ? Object.assign({}, envs.release) : { BASE_URL: '', MCH_ID: '' });
  envs[stage] = { BASE_URL: flags.baseUrl !== undefined ? flags.baseUrl : current.BASE_URL,
    MCH_ID: flags.mchId !== undefined ? flags.mchId : current.MCH_ID };
  fs.writeFileSync(file, render(envs, fs.readFileSync(file, 'utf8')));
  if (flags.appid) {
    const projectFile = path.join(base, 'project.config.json');
    const project = JSON.parse(fs.readFileSync(projectFile, 'utf8'));
    project.appid = flags.appid;
    fs.writeFileSync(projectFile, JSON.stringify(project, null, 2) + '\n');
  }
  return envs[stage];
}

if (require.main === module) {
  try {
    const result = configure(process.argv.slice(2), process.env);
    console.log('configured', process.argv[2], result);
  } catch (err) {
    console.error(err.message);
    process.exit(2);
  }
}

module.exports = { configure, parse };
