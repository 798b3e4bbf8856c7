// Results read as a caller reads them (issue 27): each part of a result is rendered
// apart, when read - the accepted request from the kept outcome, a rejection's
// violations (the Glance report) and its problem document each alone - and reads the
// same, byte for byte once stringified, as the core's whole answer, in whatever order
// and after whatever other calls.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';

import { createValidator } from '../js/index.js';
import { CASE_ID, CASE_NOW, CASE_OWNER, bodyOf, load, optionsOf } from './cases.mjs';

const ctx = { imageId: CASE_ID, owner: CASE_OWNER, now: CASE_NOW };
const SAMPLE = readFileSync(new URL('../../../examples/sample-request.json', import.meta.url), 'utf8');
const BAD = '{"min_disk": 1, "status": "active", "tags": [5]}';
const text = (bytes) => new TextDecoder().decode(bytes);

/** The answer's report in `format`, as the core writes it (the bytes, parsed). */
function report(opts, body, format) {
  return JSON.parse(text(createValidator({ ...opts, format }).answer(body, ctx).body));
}

for (const file of ['cases.jsonl', 'profiles.jsonl']) {
  for (const [line, c] of load(file)) {
    if (c.status === 201) continue;
    test(`${file}:${line} violations and problem, each read alone, are the answer's`, () => {
      const body = bodyOf(c);
      for (const locale of ['en', 'zh-CN']) {
        const opts = { ...optionsOf(c), locale };
        const glance = report(opts, body, 'glance');
        const problem = report(opts, body, 'problem');
        const v = createValidator(opts);
        // Violations first, problem first, and each after other calls in between.
        const a = v.validate(body);
        assert.equal(JSON.stringify(a.violations), JSON.stringify(glance.violations));
        assert.equal(JSON.stringify(a.problem), JSON.stringify(problem));
        const b = v.validate(body);
        v.validate(BAD);
        v.validate(SAMPLE);
        assert.equal(JSON.stringify(b.problem), JSON.stringify(problem));
        assert.equal(JSON.stringify(b.violations), JSON.stringify(glance.violations));
        assert.equal(a.violations.length, glance.violations.length);
        const d = v.derive(body, ctx);
        v.derive(BAD, ctx);
        assert.equal(JSON.stringify(d.violations), JSON.stringify(glance.violations));
        assert.equal(JSON.stringify(d.problem), JSON.stringify(problem));
      }
    });
  }
}

test('an accepted request read at once, or after other calls, is the same', () => {
  const v = createValidator();
  const whole = JSON.stringify(v.validate(SAMPLE).toJSON());
  const first = v.validate(SAMPLE);
  const named = v.validate('{"name": "second"}');
  v.validate(BAD);
  // The last accepted outcome is kept (a rejection in between does not drop it)...
  assert.equal(named.request.name, 'second');
  assert.deepEqual(named.warnings.map((w) => w.code), ['os_version_defaulted']);
  // ...an earlier one is validated again when read.
  assert.equal(first.request.name, 'test');
  assert.equal(JSON.stringify(first.toJSON()), whole);
  // From bytes the caller changes afterwards, too.
  const bytes = new TextEncoder().encode(SAMPLE);
  const third = v.validate(bytes);
  v.validate('{}');
  bytes.fill(32);
  assert.equal(JSON.stringify(third.toJSON()), whole);
});

test('results of two validators kept apart', () => {
  const en = createValidator();
  const zh = createValidator({ locale: 'zh-CN' });
  const a = en.validate(BAD);
  const b = zh.validate(BAD);
  const c = en.validate('{"name": "en"}');
  const d = zh.validate('{"name": "zh"}');
  assert.match(a.violations[0].message, /must be/);
  assert.match(b.violations[0].message, /[\u4e00-\u9fff]/);
  assert.equal(c.request.name, 'en');
  assert.equal(d.request.name, 'zh');
});

test('a result read after its validator was freed is an error, not a wrong answer', () => {
  const v = createValidator();
  const ok = v.validate(SAMPLE);
  const bad = v.validate(BAD);
  v.free();
  assert.throws(() => ok.request, /freed/);
  assert.throws(() => bad.problem, /freed/);
});
