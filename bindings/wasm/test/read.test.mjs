// Results read as a caller reads them (issue 27): each part of a result is rendered
// apart, when read - the accepted request from the kept outcome, a rejection's
// violations (the Glance report) and its problem document each alone - and reads the
// same, byte for byte once stringified, as the core's whole answer, in whatever order
// and after whatever other calls.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { inspect } from 'node:util';

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

const FIELDS = ['pointer', 'code', 'message', 'ims_code'];

for (const file of ['cases.jsonl', 'profiles.jsonl']) {
  for (const [line, c] of load(file)) {
    if (c.status === 201) {
      test(`${file}:${line} each field of the request read alone is the whole request's`, () => {
        const body = bodyOf(c);
        const v = createValidator(optionsOf(c));
        const whole = v.validate(body).toJSON().request;
        const keys = Object.keys(whole);
        assert.ok(keys.length >= 5, `${keys}`);
        // At once (the kept outcome), one crossing a field...
        const a = v.validate(body);
        for (const k of keys) assert.deepEqual(a.request[k], whole[k], k);
        assert.equal(a.request.nope, undefined);
        // ...and after other calls replaced it, in reverse order.
        const b = v.validate(body);
        v.validate('{"name": "other"}');
        v.validate(BAD);
        for (const k of [...keys].reverse()) assert.deepEqual(b.request[k], whole[k], k);
        // Whatever was read first, it is the plain object.
        for (const r of [a, b]) {
          assert.deepEqual(Object.keys(r.request), keys);
          assert.deepEqual(r.request, whole);
          assert.equal(JSON.stringify(r.request), JSON.stringify(whole));
        }
      });
      continue;
    }
    test(`${file}:${line} each field of each violation read alone is the report's`, () => {
      const body = bodyOf(c);
      for (const locale of ['en', 'zh-CN']) {
        const opts = { ...optionsOf(c), locale };
        const glance = report(opts, body, 'glance').violations;
        const v = createValidator(opts);
        // Read at once, one field of one violation at a time, last field first.
        const a = v.validate(body);
        assert.equal(a.violations.length, glance.length);
        for (const f of [...FIELDS].reverse()) {
          a.violations.forEach((x, i) => assert.equal(x[f], glance[i][f], `${i} ${f}`));
        }
        a.violations.forEach((x, i) => assert.deepEqual(x.params, glance[i].params, `${i} params`));
        // Read after other calls replaced the kept report (validated again once).
        const b = v.validate(body);
        v.validate(BAD);
        v.validate(SAMPLE);
        b.violations.forEach((x, i) => {
          for (const f of FIELDS) assert.equal(x[f], glance[i][f], `${i} ${f}`);
        });
        assert.deepEqual(b.violations.map((x) => x.toJSON()), glance);
        // A derive's rejection reads the same.
        const d = v.derive(body, ctx);
        d.violations.forEach((x, i) => assert.equal(x.message, glance[i].message));
      }
    });
  }
}

test('the request reads as a plain object', () => {
  const v = createValidator();
  const whole = v.validate(SAMPLE).toJSON().request;
  const r = v.validate(SAMPLE).request;
  assert.equal(r.tags, r.tags, 'a field read twice is the same object');
  const tags = r.tags;
  assert.ok('name' in r && !('nope' in r));
  assert.equal(r.tags, tags, 'and still once the whole was rendered');
  assert.equal(typeof r.toString, 'function');
  assert.equal(Object.getPrototypeOf(r), Object.prototype);
  assert.deepEqual({ ...r }, whole);
  r.name = 'changed';
  delete r.min_disk;
  assert.equal(r.name, 'changed');
  assert.equal(r.min_disk, undefined);
  assert.deepEqual(Object.keys(r), Object.keys(whole).filter((k) => k !== 'min_disk'));
  // Changed before anything else was read, too.
  const s = v.validate(SAMPLE).request;
  s.name = 'set first';
  assert.equal(s.name, 'set first');
  assert.equal(s.min_disk, whole.min_disk);
  // A custom property named like something inherited is the request's own.
  const o = v.validate('{"toString": "x", "constructor": "y"}').request;
  assert.equal(o.toString, 'x');
  assert.equal(o.constructor, 'y');
  assert.equal(v.validate('{}').request.toJSON, undefined);
  // Values decoded alone: escapes, non-ASCII, short and long, numbers and booleans.
  const body = '{"s": "a\\"b", "l": "line\\nbreak \\"quoted\\" and more", "u": "é", "w": "ééééééééééééé", "n": "0", "protected": true, "min_ram": 2048}';
  const plain = v.validate(body).toJSON().request;
  const one = v.validate(body).request;
  for (const k of ['s', 'l', 'u', 'w', 'n', 'protected', 'min_ram', 'min_disk', 'tags']) {
    assert.deepEqual(one[k], plain[k], k);
  }
  assert.deepEqual([one.s, one.l, one.n, one.protected, one.min_ram], ['a"b', 'line\nbreak "quoted" and more', '0', true, 2048]);
  assert.match(inspect(v.validate(SAMPLE).request), /name: 'test'/);
  // What structuredClone and postMessage take: toJSON() (documented).
  const sent = v.validate(SAMPLE);
  sent.request.name;
  assert.deepEqual(structuredClone(sent.toJSON()), { ok: true, request: whole, warnings: [] });
  const refused = v.validate(BAD);
  assert.deepEqual(structuredClone(refused.toJSON()).violations, report({}, BAD, 'glance').violations);
  assert.match(inspect(v.validate(BAD).violations[0]), /pointer: '\/min_disk'/);
});

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
  assert.throws(() => ok.request.name, /freed/);
  assert.throws(() => bad.problem, /freed/);
});

test('more violations than the call can count (0xFFFF) are all there', () => {
  const v = createValidator({ rules: { max_body_bytes: 400_000, max_violations: 100_000 } });
  const r = v.validate(`{"tags": [${Array(70_000).fill(5).join(',')}]}`);
  assert.equal(r.violations.length, 70_001);
  assert.equal(r.violations[69_999].pointer, '/tags/69999');
  assert.equal(r.violations[69_999].code, 'wrong_type');
});
