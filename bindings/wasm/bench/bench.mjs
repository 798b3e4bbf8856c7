// The WebAssembly module against what a JavaScript user would otherwise pick, side by
// side, in one run.
//
//   node bench/bench.mjs            # the table (a few seconds per row)
//   node bench/bench.mjs --quick    # CI: every call runs a few times, no timing worth reading
//
// Compared, each with its package's default call on the same body (a string, as a
// server framework hands it over):
//
// - the module: `validate(body)` (defaults) and, where the module has it, a compiled
//   `createValidator()`'s `.validate(body)`;
// - ajv 8, draft 2020-12 (`ajv/dist/2020`), `allErrors: true`, with the crate's own
//   request schema (`requestSchema()`, the same as `ims-image-meta --schema request`),
//   compiled once, called on `JSON.parse(body)`;
// - `JSON.parse(body)` alone, the floor of anything that parses in JavaScript.
//
// A rejection counts as a call: each tool's verdict (the module's result, ajv's
// `errors`) is produced as a caller would get it; nothing is rendered further. Every
// figure is the median of `--repeat` timed runs (each ~`--target` ms), in ns per call.
// Bench, not a test: nothing here asserts a time.
import { readFileSync } from 'node:fs';
import process from 'node:process';

import Ajv2020 from 'ajv/dist/2020.js';

import * as ims from '../js/index.js';

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const opt = (name, dflt) => {
  const i = args.indexOf(name);
  return i >= 0 ? Number(args[i + 1]) : dflt;
};
const REPEAT = opt('--repeat', 7);
const TARGET_MS = opt('--target', 100);

// --- the bodies -------------------------------------------------------------------

const SAMPLE = readFileSync(new URL('../../../examples/sample-request.json', import.meta.url), 'utf8');
const MAX_BODY_BYTES = 114688; // the default cap (Rules::default().max_body_bytes())

/** benches/bodies.rs `maximal()`, built the same way: 128 tags of 255 chars, 128 custom
 * properties with 255-char keys and values as long as fit under the cap, keys sorted
 * (serde_json's map), compact. */
function maximal() {
  const pad = (i) => String(i).padStart(3, '0');
  const tags = Array.from({ length: 128 }, (_, i) => pad(i) + 't'.repeat(252));
  const build = (valueLen) => {
    const m = { name: 'maximal', __os_version: 'Ubuntu 14.04 server 64bit', min_disk: 40, tags };
    for (let i = 0; i < 128; i++) m[pad(i) + 'k'.repeat(252)] = 'v'.repeat(valueLen);
    const sorted = {};
    for (const k of Object.keys(m).sort()) sorted[k] = m[k];
    return JSON.stringify(sorted);
  };
  const base = build(0).length;
  const body = build(Math.floor((MAX_BODY_BYTES - base) / 128));
  if (!(body.length > MAX_BODY_BYTES - 128 && body.length <= MAX_BODY_BYTES)) {
    throw new Error(`maximal body of ${body.length} bytes`);
  }
  return body;
}

const BODIES = [
  ['sample', SAMPLE],
  ['{}', '{}'],
  ['bad', '{"min_disk": 1, "status": "active", "tags": [5]}'],
  ['unknown OS', '{"__os_version": "Ubuntu 99.04 server 64bit"}'],
  ['maximal', maximal()],
];

// --- ajv 8, 2020-12, allErrors, the crate's schema ---------------------------------

const SCHEMA = ims.requestSchema();
// Default options but `allErrors` (every violation, as the crate reports them); the
// schema's `type: ["string", "null"]` with string keywords is what strictTypes logs
// about, so its logger is quiet.
const ajv = new Ajv2020({ allErrors: true, logger: false });
const ajvValidate = ajv.compile(SCHEMA);

// --- the calls --------------------------------------------------------------------

const tools = [['wasm validate', (b) => ims.validate(b)]];
if (typeof ims.createValidator === 'function') {
  const v = ims.createValidator();
  tools.push(['wasm createValidator().validate', (b) => v.validate(b)]);
}
tools.push(
  ['ajv 8 (2020-12, allErrors, crate schema) + JSON.parse', (b) => (ajvValidate(JSON.parse(b)) ? true : ajvValidate.errors)],
  ['JSON.parse', (b) => JSON.parse(b)],
);

function verdict(name, out) {
  if (name === 'JSON.parse') return 'ok';
  if (name.startsWith('ajv')) return out === true ? 'ok' : 'rejected';
  return out.ok ? 'ok' : 'rejected';
}

let sink = 0;
function runs(fn, body, n) {
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < n; i++) {
    const out = fn(body);
    if (out === undefined) sink++;
  }
  return Number(process.hrtime.bigint() - t0);
}

function nsPerCall(fn, body) {
  // Warm up (the JIT) and calibrate to ~TARGET_MS a run.
  let n = 16;
  for (;;) {
    const took = runs(fn, body, n);
    if (took > 20e6 || n >= 1 << 26) {
      n = Math.max(1, Math.round((n * TARGET_MS * 1e6) / took));
      break;
    }
    n *= 4;
  }
  const times = [];
  for (let r = 0; r < REPEAT; r++) times.push(runs(fn, body, n) / n);
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)];
}

const fmt = (ns) => Math.round(ns).toLocaleString('en-US').replaceAll(',', ' ');

const verdicts = tools.map(([name, fn]) => [name, BODIES.map(([, b]) => verdict(name, fn(b)))]);
if (quick) {
  for (const [, fn] of tools) for (const [, b] of BODIES) for (let i = 0; i < 3; i++) fn(b);
  console.log('bench ran (quick: no timing):');
  for (const [name, v] of verdicts) console.log(`  ${name}: ${v.join(', ')}`);
  process.exit(0);
}

const table = new Map();
for (const [name, fn] of tools) {
  table.set(name, BODIES.map(([, b]) => nsPerCall(fn, b)));
  console.error(`  measured ${name}`);
}
const ajvRow = table.get('ajv 8 (2020-12, allErrors, crate schema) + JSON.parse');
const ajvVersion = JSON.parse(readFileSync(new URL('../node_modules/ajv/package.json', import.meta.url), 'utf8')).version;
console.log(`Node ${process.version} (${process.arch}), ajv ${ajvVersion}; median of ${REPEAT} runs, ns per call.`);
console.log();
console.log(`| ns per call | ${BODIES.map(([n]) => n).join(' | ')} |`);
console.log(`|---|${'---:|'.repeat(BODIES.length)}`);
for (const [name, row] of table) console.log(`| ${name} | ${row.map(fmt).join(' | ')} |`);
for (const [name, row] of table) {
  if (!name.startsWith('wasm')) continue;
  console.log(`| **${name} / (ajv + JSON.parse)** | ${row.map((x, i) => `${(x / ajvRow[i]).toFixed(2)} ×`).join(' | ')} |`);
}
console.log();
console.log('Verdicts (each tool on each body, in the order of the columns):');
console.log();
for (const [name, v] of verdicts) console.log(`- ${name}: ${v.join(', ')}`);
if (sink === -1) console.log(sink);
