// The playground's pointer -> range locator (presentation only).
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { locate, tokens } from '../playground/locate.js';

const at = (text, pointer) => locate(text, pointer).map(({ start, end }) => text.slice(start, end));

test('members, elements, nesting and the whole document', () => {
  const text = '{\n  "name": "a",\n  "tags": ["x", 5],\n  "o": {"k": [1, {"z": null}]}\n}';
  assert.deepEqual(at(text, '/name'), ['"name": "a"']);
  assert.deepEqual(at(text, '/tags'), ['"tags": ["x", 5]']);
  assert.deepEqual(at(text, '/tags/1'), ['5']);
  assert.deepEqual(at(text, '/o/k/1/z'), ['"z": null']);
  assert.deepEqual(at(text, ''), [text]);
  assert.deepEqual(at(text, '/missing'), []);
  assert.deepEqual(at(text, '/tags/2'), []);
  assert.deepEqual(at(text, '/tags/01'), []);
});

test('escapes in keys and pointers', () => {
  const text = '{"a/b": 1, "m~n": 2, "\\u0041": 3, "q\\"": 4}';
  assert.deepEqual(at(text, '/a~1b'), ['"a/b": 1']);
  assert.deepEqual(at(text, '/m~0n'), ['"m~n": 2']);
  assert.deepEqual(at(text, '/A'), ['"\\u0041": 3']);
  assert.deepEqual(at(text, '/q"'), ['"q\\"": 4']);
  assert.deepEqual(tokens('x'), null);
});

test('a repeated key is found at every occurrence', () => {
  assert.deepEqual(at('{"a": 1, "a": 2}', '/a'), ['"a": 1', '"a": 2']);
});

test('a broken text still locates what came before the break', () => {
  assert.deepEqual(at('{"min_disk": 1, "name": ', '/min_disk'), ['"min_disk": 1']);
  assert.deepEqual(at('{"tags": [1, 2', '/tags/1'), ['2']);
  assert.deepEqual(at('', '/a'), []);
});
