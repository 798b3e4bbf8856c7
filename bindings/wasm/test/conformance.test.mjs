// Every line of both conformance files through the WebAssembly module, each under its
// profile.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { derive, validate } from '../js/index.js';
import { CASE_ID, CASE_NOW, CASE_OWNER, bodyOf, check, load, optionsOf } from './cases.mjs';

const ctx = { imageId: CASE_ID, owner: CASE_OWNER, now: CASE_NOW };

function run(c) {
  const body = bodyOf(c);
  const opts = optionsOf(c);
  const out = derive(body, { ...opts, ...ctx });
  check(c, out);
  const again = validate(body, opts);
  assert.equal(again.ok, out.ok);
  if (!again.ok) {
    const plain = (r) => r.violations.map((v) => v.toJSON());
    assert.deepEqual([again.status, plain(again)], [out.status, plain(out)]);
  }
}

for (const file of ['cases.jsonl', 'profiles.jsonl']) {
  const cases = load(file);
  test(`${file} has its cases`, () => assert.ok(cases.length >= (file === 'cases.jsonl' ? 50 : 13)));
  for (const [line, c] of cases) {
    test(`${file}:${line} ${c.name}`, () => run(c));
  }
}
