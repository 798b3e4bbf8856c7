// Every line of both conformance files through the WebAssembly module. Lines of a
// profile this core does not have yet are strict expected failures: they pass only
// while the core says "unsupported", and fail as soon as it accepts the profile (then
// drop the expectation and let them assert).
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { derive, validate, OptionsError } from '../js/index.js';
import { CASE_ID, CASE_NOW, CASE_OWNER, bodyOf, check, load, optionsOf, profileOf } from './cases.mjs';

const ctx = { imageId: CASE_ID, owner: CASE_OWNER, now: CASE_NOW };

function run(c) {
  const body = bodyOf(c);
  const opts = optionsOf(c);
  const out = derive(body, { ...opts, ...ctx });
  check(c, out);
  const again = validate(body, opts);
  assert.equal(again.ok, out.ok);
  if (!again.ok) assert.deepEqual([again.status, again.violations], [out.status, out.violations]);
}

for (const file of ['cases.jsonl', 'profiles.jsonl']) {
  const cases = load(file);
  test(`${file} has its cases`, () => assert.ok(cases.length >= (file === 'cases.jsonl' ? 50 : 13)));
  for (const [line, c] of cases) {
    const name = `${file}:${line} ${c.name}`;
    if (profileOf(c) === 'ims-2022') {
      test(name, () => run(c));
    } else {
      test(`${name} (expected to fail: core: profiles)`, () => {
        assert.throws(
          () => run(c),
          (e) => e instanceof OptionsError && e.kind === 'unsupported',
          'the core now supports this profile: remove the expected failure',
        );
      });
    }
  }
}
