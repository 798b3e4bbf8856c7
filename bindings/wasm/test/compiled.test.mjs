// createValidator (issue 21): the same results as the module-level calls on every
// conformance case, every knob of the core reaching it, results rendered when read.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';

import { OptionsError, answer, createValidator, derive, requestSchema, validate } from '../js/index.js';
import { CASE_ID, CASE_NOW, CASE_OWNER, bodyOf, load, optionsOf } from './cases.mjs';

const ctx = { imageId: CASE_ID, owner: CASE_OWNER, now: CASE_NOW };
const SAMPLE = readFileSync(new URL('../../../examples/sample-request.json', import.meta.url));
const KNOBS = readFileSync(new URL('../../knobs.jsonl', import.meta.url), 'utf8')
  .split('\n')
  .filter((l) => l.trim() !== '')
  .map((l) => JSON.parse(l));

/** Everything a caller can read of a result, as a plain object. */
const plain = (out) => JSON.parse(JSON.stringify(out));

for (const file of ['cases.jsonl', 'profiles.jsonl']) {
  for (const [line, c] of load(file)) {
    test(`${file}:${line} module calls and a compiled validator agree`, () => {
      const body = bodyOf(c);
      const opts = optionsOf(c);
      for (const locale of ['en', 'zh-CN']) {
        const v = createValidator({ ...opts, locale });
        assert.deepEqual(plain(v.validate(body)), plain(validate(body, { ...opts, locale })));
        assert.deepEqual(plain(v.derive(body, ctx)), plain(derive(body, { ...opts, ...ctx, locale })));
      }
    });
  }
}

for (const k of KNOBS) {
  test(`knob ${k.knob} reaches the core`, () => {
    for (const [which, options] of [['default', undefined], ['with', { rules: k.rules }]]) {
      const want = k[which];
      for (const out of [createValidator(options).validate(k.body), validate(k.body, options)]) {
        const status = out.ok ? 201 : out.status;
        assert.equal(status, want.status, `${which}: ${JSON.stringify(out)}`);
        for (const [key, value] of Object.entries(want.request ?? {})) assert.deepEqual(out.request[key], value);
        const violations = out.ok ? [] : out.violations;
        if ('count' in want) assert.equal(violations.length, want.count);
        if ('message_has' in want) assert.ok(violations.some((v) => v.message.includes(want.message_has)));
        if ('message_lacks' in want) assert.ok(violations.every((v) => !v.message.includes(want.message_lacks)));
      }
    }
  });
}

test('the knobs file names every knob once', () => {
  const names = KNOBS.map((k) => k.knob);
  assert.equal(new Set(names).size, names.length);
  assert.ok(names.length >= 17);
});

test('results: own ok/status, fields rendered when read and kept, toJSON', () => {
  const v = createValidator();
  const ok = v.validate('{}');
  assert.deepEqual(Object.keys(ok), ['ok']);
  assert.equal(ok.request, ok.request, 'rendered once, then kept');
  assert.equal(ok.request.min_disk, 40);
  assert.deepEqual(Object.keys(ok.toJSON()), ['ok', 'request', 'warnings']);
  assert.equal(ok.warnings.length, 2);
  const clean = v.validate(SAMPLE);
  assert.deepEqual(clean.warnings, []);
  assert.equal(clean.warnings, clean.warnings);
  const bad = v.validate('{"min_disk": 1, "status": "active", "tags": [5]}');
  assert.deepEqual(Object.keys(bad), ['ok', 'status']);
  assert.equal(bad.status, 403);
  assert.equal(bad.violations, bad.violations);
  assert.equal(bad.problem.errors.length, 3);
  assert.deepEqual(Object.keys(JSON.parse(JSON.stringify(bad))), ['ok', 'status', 'violations', 'problem']);
});

test('bytes changed after the call do not change what is rendered later', () => {
  const v = createValidator();
  const bytes = new TextEncoder().encode('{"name": "first"}');
  const out = v.validate(bytes);
  bytes.set(new TextEncoder().encode('{"name": "other"}'));
  assert.equal(out.request.name, 'first');
  // And another call in between does not either.
  const bad = v.validate('{"min_disk": 1}');
  v.validate(SAMPLE);
  assert.equal(bad.violations[0].pointer, '/min_disk');
  // Rendered from the kept report, or validated again once another rejection came:
  // the same fields either way.
  const first = v.validate('{"tags": "x"}');
  const second = v.validate('{"name": 5}');
  assert.deepEqual(first.toJSON(), v.validate('{"tags": "x"}').toJSON());
  assert.equal(first.violations[0].pointer, '/tags');
  assert.equal(second.violations[0].pointer, '/name');
  const d1 = v.derive('{"tags": "x"}', ctx);
  v.validate('{"name": 5}');
  assert.equal(d1.problem.errors[0].pointer, '/tags');
  // A validator freed before its results were read: an OptionsError, not a wrong answer.
  const w = createValidator({ locale: 'zh-CN' });
  const late = w.validate('{"min_disk": 1}');
  w.free();
  createValidator();
  // The count came with the call; a field is read from the module.
  assert.equal(late.violations.length, 1);
  assert.throws(() => late.violations[0].message, OptionsError);
});

test('a validator: options, schema, free', () => {
  const v = createValidator({ profile: 'otc', rules: { max_tags: 3 }, locale: 'zh-CN' });
  assert.equal(v.requestSchema().properties.tags.maxItems, 3);
  assert.deepEqual(v.requestSchema(), requestSchema({ profile: 'otc', rules: { max_tags: 3 } }));
  assert.match(v.validate('{"min_disk": "x"}').violations[0].message, /[\u4e00-\u9fff]/);
  v.free();
  v.free();
  assert.throws(() => v.validate('{}'), OptionsError);
  assert.throws(() => createValidator({ profile: 'nope' }), (e) => e instanceof OptionsError && /profile/.test(e.message));
  assert.throws(() => createValidator({ imageId: 'x' }), /unknown option/);
  assert.throws(() => createValidator('otc'), TypeError);
});

test('a body bigger than any before grows the scratch buffer', () => {
  const v = createValidator();
  const props = Object.fromEntries(Array.from({ length: 10 }, (_, i) => [`p${i}`, 'é'.repeat(5000)]));
  const big = JSON.stringify({ name: 'big', ...props });
  assert.equal(v.validate(big).ok, true);
  assert.equal(v.validate(big).request.p9.length, 5000);
  // Read one field at a time after the memory grew (the old views are detached).
  assert.equal(v.validate(big).request.name, 'big');
  const grown = v.validate(`{"a": "${'x'.repeat(400_000)}"}`);
  assert.equal(grown.violations[0].code, 'body_too_large');
  assert.equal(v.validate('{}').ok, true);
  // Over the cap (413), and a scratch buffer over 1 MiB, given back after the call.
  const huge = v.validate(`{"a": "${'x'.repeat(400_000)}"}`);
  assert.equal(huge.status, 413);
  assert.equal(huge.violations[0].code, 'body_too_large');
  assert.deepEqual(v.validate(SAMPLE).toJSON(), validate(SAMPLE).toJSON());
});

// --- answer: the core's one road -------------------------------------------------------

const parse = (bytes) => JSON.parse(new TextDecoder().decode(bytes));

for (const file of ['cases.jsonl', 'profiles.jsonl']) {
  for (const [line, c] of load(file)) {
    test(`${file}:${line} answer is the record or the report in each format`, () => {
      const body = bodyOf(c);
      const opts = optionsOf(c);
      for (const format of ['glance', 'ims', 'problem']) {
        const v = createValidator({ ...opts, format, locale: 'zh-CN' });
        const a = v.answer(body, ctx);
        const again = answer(body, { ...opts, ...ctx, format, locale: 'zh-CN' });
        assert.deepEqual([a.status, a.contentType, a.body], [again.status, again.contentType, again.body]);
        assert.equal(a.status, c.status);
        const got = parse(a.body);
        if (a.status === 201) {
          assert.equal(a.contentType, 'application/json');
          assert.deepEqual(got, v.derive(body, ctx).record);
          continue;
        }
        const out = v.validate(body);
        if (format === 'problem') {
          assert.equal(a.contentType, 'application/problem+json');
          assert.deepEqual(got, out.problem);
        } else if (format === 'glance') {
          assert.equal(a.contentType, 'application/json');
          assert.deepEqual(got, { status: out.status, violations: out.violations.map((x) => x.toJSON()) });
        } else {
          assert.deepEqual(Object.keys(got.error), ['code', 'message']);
        }
      }
    });
  }
}

test('answer: options and context errors', () => {
  assert.throws(() => createValidator({ format: 'xml' }), (e) => e instanceof OptionsError && /format/.test(e.message));
  assert.throws(() => answer('{}', { ...ctx, imageId: 'nope' }), OptionsError);
  assert.throws(() => answer('{}', { ...ctx, now: 'soon' }), /now/);
  const a = answer(SAMPLE, ctx);
  assert.ok(a.body instanceof Uint8Array);
  assert.equal(parse(a.body).id, CASE_ID);
});
