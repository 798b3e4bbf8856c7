// The JavaScript face: verdict shapes, the problem object, derive's context, the
// schemas, the options, the locales.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';

import { derive, recordSchema, requestSchema, validate, OptionsError, Violation } from '../js/index.js';
import { CASE_ID, CASE_NOW, CASE_OWNER } from './cases.mjs';

const SAMPLE = readFileSync(new URL('../../../examples/sample-request.json', import.meta.url));
const ctx = { imageId: CASE_ID, owner: CASE_OWNER, now: CASE_NOW };

test('validate accepts the sample, from bytes and from a string alike', () => {
  const a = validate(new Uint8Array(SAMPLE));
  const b = validate(SAMPLE.toString('utf8'));
  assert.equal(a.ok, true);
  assert.deepEqual(a.toJSON(), b.toJSON());
  assert.deepEqual(JSON.parse(JSON.stringify(a)), a.toJSON());
  assert.equal(a.request.min_disk, 40);
  assert.deepEqual(a.warnings, []);
  assert.deepEqual(Object.keys(a.request).at(-1), 'aaaa', 'custom properties last');
});

test('warnings of defaults', () => {
  const out = validate('{}');
  assert.deepEqual(
    out.warnings.map((w) => [w.pointer, w.code]),
    [['/name', 'name_defaulted'], ['/__os_version', 'os_version_defaulted']],
  );
});

test('a rejection: status, violations, problem', () => {
  const out = validate('{"min_disk": 1, "status": "active", "tags": [5]}');
  assert.equal(out.ok, false);
  assert.equal(out.status, 403);
  assert.deepEqual(
    out.violations.map((v) => [v.pointer, v.code]),
    [['/min_disk', 'out_of_range'], ['/status', 'read_only'], ['/tags/0', 'wrong_type']],
  );
  for (const v of out.violations) {
    // Light objects (issue 27): the fields are getters, the plain object is toJSON().
    assert.ok(v instanceof Violation);
    assert.deepEqual(Object.keys(v.toJSON()), ['pointer', 'code', 'message', 'ims_code', 'params']);
    assert.equal(JSON.stringify(v), JSON.stringify(v.toJSON()));
    assert.deepEqual(Object.values(v.toJSON()), [v.pointer, v.code, v.message, v.ims_code, v.params]);
  }
  assert.deepEqual(out.violations[0].params, { min: 40, max: 1024, actual: 1 });
  assert.deepEqual(out.violations[1].params, { key: 'status' });
  assert.equal(out.violations[0].ims_code, 'IMG.0055');
  assert.equal(out.problem.type, 'about:blank');
  assert.equal(out.problem.title, 'Forbidden');
  assert.equal(out.problem.status, 403);
  assert.deepEqual(out.problem.errors.map((e) => e.pointer), ['/min_disk', '/status', '/tags/0']);
});

test('413 for an oversized body, 400 for an empty one', () => {
  assert.equal(validate(new Uint8Array(200_000).fill(32)).status, 413);
  assert.equal(validate('').status, 400);
});

test('derive gives the record, with a number or a Date for now', () => {
  const a = derive(SAMPLE, ctx);
  const b = derive(SAMPLE, { ...ctx, now: new Date(CASE_NOW * 1000 + 900) });
  assert.equal(a.ok, true);
  assert.deepEqual(a, b);
  assert.equal(a.record.id, CASE_ID);
  assert.equal(a.record.created_at, '2016-06-02T07:49:48Z');
  assert.equal(a.record.__platform, 'Ubuntu');
  assert.equal(derive('{"min_disk": 1}', ctx).status, 400);
});

test('derive needs its context', () => {
  assert.throws(() => derive('{}', { owner: CASE_OWNER, now: CASE_NOW }), OptionsError);
  assert.throws(() => derive('{}', { ...ctx, now: 'yesterday' }), /now/);
});

test('schemas', () => {
  const s = requestSchema();
  assert.equal(s.type, 'object');
  assert.equal(s.properties.min_disk.minimum, 40);
  assert.equal(requestSchema({ rules: { min_disk_range: [1, 1024] } }).properties.min_disk.minimum, 1);
  const r = recordSchema();
  const record = derive(SAMPLE, ctx).record;
  assert.ok(r.required.length > 0);
  for (const k of r.required) assert.ok(k in record, k);
});

test('options: min_disk_range, unknown names, knobs by name, catalog', () => {
  assert.equal(validate('{"min_disk": 1}', { rules: { min_disk_range: [1, 1024] } }).ok, true);
  assert.throws(() => validate('{}', { profile: 'nope' }), (e) => e.kind === 'invalid');
  assert.throws(() => validate('{}', { locale: 'xx' }), (e) => e.kind === 'invalid');
  assert.equal(validate('{"tags": ["a", "b", "c", "d"]}', { rules: { max_tags: 3 } }).status, 413);
  assert.throws(() => validate('{}', { rules: { max_tagz: 3 } }), (e) => e.kind === 'invalid' && /max_tagz/.test(e.message));
  assert.throws(() => validate('{}', { imageId: 'x' }), /unknown option/);
  assert.throws(() => validate(42), TypeError);
  const csv = 'os_version,os_type,platform,os_bit\nMy OS 1 64bit,Linux,Other,64\n';
  assert.equal(validate('{"__os_version": "My OS 1 64bit"}', { catalog: csv }).ok, true);
  assert.equal(validate('{"__os_version": "Ubuntu 14.04 server 64bit"}', { catalog: csv }).violations[0].code, 'unknown_os_version');
});

test('profile otc', () => {
  assert.equal(validate('{"min_disk": 1}', { profile: 'otc' }).ok, true);
  assert.equal(validate('{"min_disk": 1}').ok, false);
});

test('locale en is English', () => {
  assert.match(validate('{"min_disk": 1}', { locale: 'en' }).violations[0].message, /must be/);
});

test('locale zh-CN, params and problem+json', () => {
  const out = validate('{"min_disk": 1}', { locale: 'zh-CN' });
  const v = out.violations[0];
  assert.match(v.message, /[\u4e00-\u9fff]/);
  assert.equal(v.code, 'out_of_range');
  assert.deepEqual(v.params, { min: 40, max: 1024, actual: 1 });
  assert.equal(out.problem.errors[0].detail, v.message);
  assert.equal(out.problem.type, 'about:blank');
});
