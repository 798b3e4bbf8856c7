// Every line of conformance/patch.jsonl (SPEC section 8: PATCH in both media types and
// the tag calls) through the module: the module-level calls and a compiled validator
// give the case's verdict, and the same one.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

import { patch, addTag, removeTag, createValidator } from '../js/index.js';

const file = fileURLToPath(new URL('../../../tests/data/patch.jsonl', import.meta.url));
const cases = readFileSync(file, 'utf8').split('\n').filter((l) => l.trim()).map((l) => JSON.parse(l));

function options(c) {
  const rules = { ...(c.rules ?? {}) };
  const o = {};
  if ('profile' in rules) {
    o.profile = rules.profile;
    delete rules.profile;
  }
  if (Object.keys(rules).length > 0) o.rules = rules;
  return o;
}

function verdict(r) {
  if (r.ok) return { status: r.status, image: r.image };
  const got = r.violations.map((v) => [v.pointer, v.code]).sort();
  return { status: r.status, violations: got };
}

function run(owner, c, opts) {
  if (c.call === 'patch') return owner.patch(c.image, c.body, { now: c.now, mediaType: c.media_type, ...opts });
  if (c.call === 'tag_add') return owner.addTag(c.image, c.tag, { now: c.now, ...opts });
  return owner.removeTag(c.image, c.tag, { now: c.now, ...opts });
}

test('the file is there', () => {
  assert.ok(cases.length >= 44);
});

for (const [i, c] of cases.entries()) {
  test(`patch.jsonl:${i + 1} ${c.name}`, () => {
    const opts = options(c);
    const got = verdict(run({ patch, addTag, removeTag }, c, opts));
    assert.equal(got.status, c.status, JSON.stringify(got));
    if (got.status === 200 || got.status === 204) {
      assert.deepEqual(got.image, c.record);
    } else {
      assert.deepEqual(got.violations, c.violations.map((v) => [...v]).sort());
    }
    const v = createValidator(opts);
    assert.deepEqual(verdict(run(v, c, {})), got);
    assert.deepEqual(verdict(run(v, { ...c, image: JSON.stringify(c.image) }, {})), got);
    v.free();
  });
}
