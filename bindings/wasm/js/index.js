// ims-image-meta for JavaScript: the Rust core compiled to WebAssembly, behind a small
// C ABI (bytes in, JSON out, explicit alloc/free). This file only moves bytes and
// options across; every rule and every option check is in the Rust core and its
// adapter (bindings/adapter). Works in Node >= 18 (the module is read with fs) and in
// browsers (fetched, compiled with instantiateStreaming), from ims_image_meta.wasm
// beside this file.

const WASM_URL = new URL('./ims_image_meta.wasm', import.meta.url);

const isNode =
  typeof process === 'object' && process !== null && typeof process.versions?.node === 'string';

async function instantiate() {
  if (isNode && WASM_URL.protocol === 'file:') {
    const { readFile } = await import('node:fs/promises');
    const { instance } = await WebAssembly.instantiate(await readFile(WASM_URL), {});
    return instance;
  }
  if (typeof WebAssembly.instantiateStreaming === 'function') {
    try {
      const { instance } = await WebAssembly.instantiateStreaming(fetch(WASM_URL), {});
      return instance;
    } catch (e) {
      // A server that does not send `application/wasm`: compile from the bytes.
      if (!(e instanceof TypeError)) throw e;
    }
  }
  const response = await fetch(WASM_URL);
  if (!response.ok) throw new Error(`cannot load ${WASM_URL}: HTTP ${response.status}`);
  const { instance } = await WebAssembly.instantiate(await response.arrayBuffer(), {});
  return instance;
}

const wasm = (await instantiate()).exports;
const encoder = new TextEncoder();
const decoder = new TextDecoder();
const strictDecoder = new TextDecoder('utf-8', { fatal: true });

/** Options the core cannot honour (not a verdict on the body). */
export class OptionsError extends Error {
  /**
   * @param {string} message
   * @param {'invalid'} kind
   */
  constructor(message, kind) {
    super(message);
    this.name = 'OptionsError';
    /** `'invalid'`: options that make no sense. */
    this.kind = kind;
  }
}

function bytesOf(body) {
  if (typeof body === 'string') return encoder.encode(body);
  if (body instanceof Uint8Array) return body;
  if (body instanceof ArrayBuffer) return new Uint8Array(body);
  throw new TypeError(`body must be a string or a Uint8Array, not ${typeof body}`);
}

/** Copies bytes into the module's memory: [pointer, length] (to free with ims_free). */
function put(bytes) {
  if (bytes.length === 0) return [0, 0];
  const ptr = wasm.ims_alloc(bytes.length) >>> 0;
  if (ptr === 0) throw new RangeError('the WebAssembly module is out of memory');
  new Uint8Array(wasm.memory.buffer, ptr, bytes.length).set(bytes);
  return [ptr, bytes.length];
}

function free([ptr, len]) {
  if (ptr !== 0) wasm.ims_free(ptr, len);
}

/** Reads and frees an answer: a little-endian u32 length, then UTF-8 JSON. */
function take(ptr) {
  ptr >>>= 0;
  if (ptr === 0) throw new RangeError('the WebAssembly module is out of memory');
  const len = new DataView(wasm.memory.buffer).getUint32(ptr, true);
  const text = decoder.decode(new Uint8Array(wasm.memory.buffer, ptr + 4, len));
  wasm.ims_free(ptr, 4 + len);
  const answer = JSON.parse(text);
  if (answer.error) throw new OptionsError(answer.error.message, answer.error.kind);
  return answer;
}

/** The options as the adapter reads them (JSON): catalog and `now` marshalled. */
function wireOptions(options) {
  if (options === undefined || options === null) return new Uint8Array(0);
  if (typeof options !== 'object') throw new TypeError('options must be an object');
  const out = {};
  for (const [key, value] of Object.entries(options)) {
    if (value === undefined) continue;
    if (key === 'catalog' && typeof value === 'string') {
      out.catalog = { csv: value };
    } else if (key === 'catalog' && value instanceof Uint8Array) {
      out.catalog = { osVersionJson: strictDecoder.decode(value) };
    } else if (key === 'now' && value instanceof Date) {
      out.now = Math.floor(value.getTime() / 1000);
    } else {
      out[key] = value;
    }
  }
  return encoder.encode(JSON.stringify(out));
}

function call(fn, body, options) {
  const b = put(bytesOf(body));
  try {
    const o = put(wireOptions(options));
    try {
      return take(fn(b[0], b[1], o[0], o[1]));
    } finally {
      free(o);
    }
  } finally {
    free(b);
  }
}

/**
 * Validates a create body.
 * @returns {{ok: true, request: object, warnings: object[]} |
 *           {ok: false, status: number, violations: object[], problem: object}}
 */
export function validate(body, options) {
  return call(wasm.ims_validate, body, options);
}

/**
 * Validates a create body and derives the record (the 201 body) for
 * `options.imageId`, `options.owner` and `options.now` (Unix seconds or a Date).
 * @returns {{ok: true, record: object, warnings: object[]} |
 *           {ok: false, status: number, violations: object[], problem: object}}
 */
export function derive(body, options) {
  return call(wasm.ims_derive, body, options);
}

/** The JSON Schema of a create body under `options.profile` (and rules, catalog). */
export function requestSchema(options) {
  const o = put(wireOptions(options));
  try {
    return take(wasm.ims_request_schema(o[0], o[1])).schema;
  } finally {
    free(o);
  }
}

/** The JSON Schema of the derived record. */
export function recordSchema() {
  return take(wasm.ims_record_schema()).schema;
}
