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
//   `createValidator()`'s `.validate(body)`; the same two with a knob (`{rules:
//   {max_tags: 200}}`);
// - ajv 8, draft 2020-12 (`ajv/dist/2020`), `allErrors: true`, with the crate's own
//   request schema (`requestSchema()`, the same as `ims-image-meta --schema request`),
//   compiled once, called on `JSON.parse(body)`;
// - `JSON.parse(body)` alone, the floor of anything that parses in JavaScript.
//
// A rejection counts as a call: each tool's verdict (the module's result, ajv's
// `errors`) is produced as a caller would get it. The module renders the request, the
// messages and the problem document only when they are read, so the bare call is not
// the whole cost of a caller that uses them: the "read" rows read the result as a
// caller does, on both sides - one field of an accepted request (`r.request.name`;
// ajv: `data.name` of the object it validated), or of a rejection the count of
// violations (`r.violations.length`; `validate.errors.length`) or the first one's
// message (`r.violations[0].message`; `validate.errors[0].message`) - and each is
// compared with ajv's same read.
//
// Every figure is in ns per call: the median of `--repeat` timed runs of ~`--run-ms`
// each. A run of a quarter millisecond mostly fits in one time slice (on a machine
// shared with other work, runs of 100 ms measured the share of the CPU the bench got).
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
const REPEAT = opt('--repeat', 101);
const RUN_MS = opt('--run-ms', 0.25);

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

// The bare calls: each tool's verdict as a caller gets it, nothing read from it.
const AJV = 'ajv 8 (2020-12, allErrors, crate schema) + JSON.parse';
const tools = [['wasm validate', (b) => ims.validate(b)]];
if (typeof ims.createValidator === 'function') {
  const v = ims.createValidator();
  tools.push(['wasm createValidator().validate', (b) => v.validate(b)]);
}
// Options other than the defaults: the module-level call finds its kept validator by
// the options' JSON at each call, a compiled validator has it.
const KNOBS = { rules: { max_tags: 200 } };
tools.push(['wasm validate(b, {rules: …})', (b) => ims.validate(b, KNOBS)]);
if (typeof ims.createValidator === 'function') {
  const v = ims.createValidator(KNOBS);
  tools.push(['wasm createValidator({rules: …}).validate', (b) => v.validate(b)]);
}
tools.push([AJV, (b) => (ajvValidate(JSON.parse(b)) ? true : ajvValidate.errors)], ['JSON.parse', (b) => JSON.parse(b)]);

// The result read as a caller reads it, the same read on each side: one field of an
// accepted request (the module's `r.request.name`, ajv's `data.name` of the object it
// validated), or of a rejection the count of violations (`r.violations.length`,
// `validate.errors.length`) or the first one's message (`r.violations[0].message`,
// `validate.errors[0].message`). Each read row is compared with ajv's same read.
const READS = [
  ['read name, else count', (r) => (r.ok ? r.request.name : r.violations.length), (d) => (ajvValidate(d) ? d.name : ajvValidate.errors.length)],
  ['read name, else first message', (r) => (r.ok ? r.request.name : r.violations[0].message), (d) => (ajvValidate(d) ? d.name : ajvValidate.errors[0].message)],
];
/** The read rows' pairs: [wasm row, ajv row]. */
const readPairs = [];
for (const [what, wasmRead, ajvRead] of READS) {
  const w = `wasm validate, ${what}`;
  const a = `ajv + JSON.parse, ${what}`;
  tools.push([w, (b) => wasmRead(ims.validate(b))], [a, (b) => ajvRead(JSON.parse(b))]);
  readPairs.push([w, a]);
}

/** The verdict of each tool's answer (a read row's verdict comes from its own call). */
function verdict(name, b) {
  if (name === 'JSON.parse') return 'ok';
  if (name.startsWith('ajv')) return ajvValidate(JSON.parse(b)) ? 'ok' : 'rejected';
  return ims.validate(b).ok ? 'ok' : 'rejected';
}

let sink = 0;
function run(fn, body, n) {
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < n; i++) {
    const out = fn(body);
    if (out === undefined) sink++;
  }
  return Number(process.hrtime.bigint() - t0);
}

/** How many calls make one timed run of about RUN_MS (after warming the JIT up). */
function calibrate(fn, body) {
  let n = 1;
  for (;;) {
    const took = run(fn, body, n);
    if (took > (RUN_MS * 1e6) / 4 || n >= 1 << 24) return Math.max(1, Math.round((n * RUN_MS * 1e6) / took));
    n *= 4;
  }
}

/** ns per call of each tool on `body`: the median of REPEAT short timed runs, one tool
 * after the other (a run of a quarter millisecond mostly fits in one time slice of a
 * busy machine, so the median is a run nobody preempted; the Python bench found tools
 * taking turns run by run disturbing each other). */
function measure(body) {
  return tools.map(([, fn]) => {
    run(fn, body, 2000); // the JIT's warm-up
    const n = calibrate(fn, body);
    const runs = [];
    for (let r = 0; r < REPEAT; r++) runs.push(run(fn, body, n) / n);
    return runs.sort((a, b) => a - b)[Math.floor(runs.length / 2)];
  });
}

const fmt = (ns) => Math.round(ns).toLocaleString('en-US').replaceAll(',', ' ');

// A read row's verdict shows what it read (the sides read the same things).
const shown = (x) => (typeof x === 'string' && x.length > 40 ? `${JSON.stringify(x.slice(0, 37))}…` : JSON.stringify(x));
const verdicts = tools.map(([name, fn]) => [
  name,
  BODIES.map(([, b]) => {
    const out = fn(b);
    return readPairs.some((p) => p.includes(name)) ? `${verdict(name, b)} ${shown(out)}` : verdict(name, b);
  }),
]);
if (quick) {
  for (const [, fn] of tools) for (const [, b] of BODIES) for (let i = 0; i < 3; i++) fn(b);
  console.log('bench ran (quick: no timing):');
  for (const [name, v] of verdicts) console.log(`  ${name}: ${v.join(', ')}`);
  process.exit(0);
}

// Warm every tool up on every body first: V8 compiles the wasm module with its baseline
// compiler and tiers hot functions up in the background, and the JIT compiles the
// JavaScript; measured before that settles, the first column came out 2 x slower.
for (const [, b] of BODIES) for (const [, fn] of tools) run(fn, b, b.length > 10_000 ? 200 : 20_000);

const table = new Map(tools.map(([name]) => [name, []]));
for (const [bodyName, b] of BODIES) {
  measure(b).forEach((ns, i) => table.get(tools[i][0]).push(ns));
  console.error(`  measured ${bodyName}`);
}
const ajvRow = table.get(AJV);
const ajvVersion = JSON.parse(readFileSync(new URL('../node_modules/ajv/package.json', import.meta.url), 'utf8')).version;
console.log(
  `Node ${process.version} (${process.arch}), ajv ${ajvVersion}; ns per call, the median of ${REPEAT} runs of ~${RUN_MS} ms.`,
);
console.log();
console.log(`| ns per call | ${BODIES.map(([n]) => n).join(' | ')} |`);
console.log(`|---|${'---:|'.repeat(BODIES.length)}`);
for (const [name, row] of table) console.log(`| ${name} | ${row.map(fmt).join(' | ')} |`);
const ratio = (name, base) => console.log(`| **${name} / (${base})** | ${table.get(name).map((x, i) => `${(x / table.get(base)[i]).toFixed(2)} ×`).join(' | ')} |`);
for (const [name] of table) if (name.startsWith('wasm') && !readPairs.some(([w]) => w === name)) ratio(name, AJV);
for (const [w, a] of readPairs) ratio(w, a);
if (ajvRow === undefined) throw new Error('no ajv row');
console.log();
console.log('Verdicts (each tool on each body, in the order of the columns):');
console.log();
for (const [name, v] of verdicts) console.log(`- ${name}: ${v.join(', ')}`);
if (sink === -1) console.log(sink);
