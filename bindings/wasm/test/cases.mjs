// The conformance vectors and their checks, as the Rust suite does them
// (tests/common/mod.rs): status, the exact [pointer, code] set or `match: includes`,
// the record's fields.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';

export const DATA = new URL('../../../tests/data/', import.meta.url);
export const CASE_ID = '4ca46bf1-5c61-48ff-b4f3-0ad4e5e3ba86';
export const CASE_OWNER = 'b912fb4a4c464b568ecfca1071b21b10';
export const CASE_NOW = 1464853788;

/** [line number, case] for every non-empty line of tests/data/NAME. */
export function load(name) {
  return readFileSync(new URL(name, DATA), 'utf8')
    .split('\n')
    .map((line, i) => [i + 1, line])
    .filter(([, line]) => line.trim() !== '')
    .map(([n, line]) => [n, JSON.parse(line)]);
}

/** The raw body: the text itself (the string path) or the decoded bytes. */
export function bodyOf(c) {
  return 'body' in c ? c.body : new Uint8Array(Buffer.from(c.body_b64, 'base64'));
}

/** The case's `rules` as options: `profile` apart, the other keys as knobs. */
export function optionsOf(c) {
  const { profile, ...knobs } = c.rules ?? {};
  for (const k of Object.keys(knobs)) assert.equal(k, 'min_disk_range', `unknown rule override ${k}`);
  const opts = {};
  if (profile !== undefined) opts.profile = profile;
  if (Object.keys(knobs).length) opts.rules = knobs;
  return opts;
}

export function profileOf(c) {
  return c.rules?.profile ?? 'ims-2022';
}

/** Asserts a verdict of derive() against the case. */
export function check(c, out) {
  if (out.ok) {
    assert.equal(201, c.status, `accepted, want ${c.status}`);
    for (const [k, v] of Object.entries(c.record)) assert.deepEqual(out.record[k], v, `record.${k}`);
    return;
  }
  assert.equal(out.status, c.status, JSON.stringify(out.violations));
  const got = out.violations.map((v) => `${v.pointer} ${v.code}`);
  const want = (c.violations ?? []).map(([p, code]) => `${p} ${code}`);
  if (c.match === 'includes') {
    for (const w of want) assert.ok(got.includes(w), `missing ${w} in ${got}`);
  } else {
    assert.deepEqual(new Set(got), new Set(want));
    assert.equal(got.length, want.length, `${got}`);
  }
}
