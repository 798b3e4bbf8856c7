// ims-image-meta for JavaScript: the Rust core compiled to WebAssembly, behind a small
// C ABI (src/lib.rs). This file only moves bytes and options across; every rule and
// every option check is in the Rust core and its adapter (bindings/adapter). Works in
// Node >= 18 (the module is read with fs) and in browsers (fetched, compiled with
// instantiateStreaming), from ims_image_meta.wasm beside this file.
//
// The road of a call: the body is copied once into a scratch buffer in the module's
// memory (`encodeInto` for a string), the core answers with one number (status and a
// count), and the result object is built from it. What a caller may not read - the
// request or record object, the messages, the problem document - is rendered by the
// core when first read, from the same body and validator, and kept.

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

// --- memory ---------------------------------------------------------------------------

/** The scratch buffer in the module's memory, and a view of it (remade when the memory
 * grows, which detaches the old views). */
let scratch = 0;
let scratchCap = 0;
let view = null;

function reserve(n) {
  if (n > scratchCap) {
    if (scratch !== 0) wasm.ims_free(scratch, scratchCap);
    scratch = 0;
    scratchCap = 0;
    const cap = Math.max(n, 4096);
    const ptr = wasm.ims_alloc(cap) >>> 0;
    if (ptr === 0) throw new RangeError('the WebAssembly module is out of memory');
    scratch = ptr;
    scratchCap = cap;
    view = null;
  }
  if (view === null || view.buffer !== wasm.memory.buffer) {
    view = new Uint8Array(wasm.memory.buffer, scratch, scratchCap);
  }
  return view;
}

/** After a call with a big body: gives the scratch buffer back (a buffer of a few KiB
 * is kept for the next calls). */
const SCRATCH_KEEP = 1 << 20;
function release() {
  if (scratchCap > SCRATCH_KEEP) {
    wasm.ims_free(scratch, scratchCap);
    scratch = 0;
    scratchCap = 0;
    view = null;
  }
}

function bodyTypeError(body) {
  return new TypeError(`body must be a string, a Uint8Array or an ArrayBuffer, not ${typeof body}`);
}

/** Copies a body into the scratch buffer at `at`: its length in bytes. */
function put(body, at, extra) {
  if (typeof body === 'string') {
    // A UTF-16 code unit is at most 3 bytes of UTF-8.
    const v = reserve(at + body.length * 3 + extra);
    return encoder.encodeInto(body, at === 0 ? v : v.subarray(at)).written;
  }
  let bytes;
  if (body instanceof Uint8Array) bytes = body;
  else if (body instanceof ArrayBuffer) bytes = new Uint8Array(body);
  else throw bodyTypeError(body);
  reserve(at + bytes.length + extra).set(bytes, at);
  return bytes.length;
}

/** The body as the lazy fields will read it again: a string as is, bytes copied (the
 * caller may change them after the call). */
function keep(body) {
  return typeof body === 'string' ? body : (body instanceof ArrayBuffer ? new Uint8Array(body) : body).slice();
}

/** The output buffer's `len` bytes as parsed JSON. */
function out(len) {
  const ptr = wasm.ims_out() >>> 0;
  return JSON.parse(decoder.decode(new Uint8Array(wasm.memory.buffer, ptr, len)));
}

/** Throws the OptionsError the module wrote into the output buffer. */
function throwError() {
  const { error } = out(wasm.ims_out_len() >>> 0);
  throw new OptionsError(error.message, error.kind);
}

// --- results ----------------------------------------------------------------------------

// A result's own properties are `ok` (and `status` when rejected); the others are
// getters that have the core render them on first read - from the same body and
// validator - and keep them. `toJSON()` (and so `JSON.stringify`) gives the plain object.

/** An accepted body: `ok`, `request`, `warnings`. */
class Accepted {
  #render;
  #count;
  #request;
  #warnings;

  constructor(render, warnings) {
    this.ok = true;
    this.#render = render;
    this.#count = warnings;
  }

  #load() {
    const r = this.#render(0);
    this.#request = r.request;
    this.#warnings ??= r.warnings;
  }

  /** The request, every default filled in (the core's key order). */
  get request() {
    if (this.#request === undefined) this.#load();
    return this.#request;
  }

  /** `[{pointer, code, message, params}]`: defaults that may break later use. */
  get warnings() {
    if (this.#warnings === undefined) {
      if (this.#count === 0) this.#warnings = [];
      else this.#load();
    }
    return this.#warnings;
  }

  /** `{ok: true, request, warnings}` as a plain object. */
  toJSON() {
    return { ok: true, request: this.request, warnings: this.warnings };
  }
}

/** A rejected body: `ok` (false), `status`, `violations`, `problem`. */
class Rejected {
  #render;
  #violations;
  #problem;

  /** `render(part)`: the kept rejection's Glance report (1) or problem document (2). */
  constructor(status, render) {
    this.ok = false;
    this.status = status;
    this.#render = render;
  }

  /** `[{pointer, code, message, ims_code, params}]`, in body order: the report in the
   * Glance shape, rendered when first read (the problem document is not). */
  get violations() {
    this.#violations ??= this.#render(1).violations;
    return this.#violations;
  }

  /** The RFC 9457 problem details (`application/problem+json`). */
  get problem() {
    this.#problem ??= this.#render(2);
    return this.#problem;
  }

  /** `{ok: false, status, violations, problem}` as a plain object. */
  toJSON() {
    return { ok: false, status: this.status, violations: this.violations, problem: this.problem };
  }
}

// --- validators ---------------------------------------------------------------------------

/** The options as the adapter reads them (JSON): the catalog marshalled. */
function wireOptions(options) {
  if (options === undefined || options === null) return '';
  if (typeof options !== 'object') throw new TypeError('options must be an object');
  const o = {};
  for (const [key, value] of Object.entries(options)) {
    if (value === undefined) continue;
    if (key === 'catalog' && typeof value === 'string') {
      o.catalog = { csv: value };
    } else if (key === 'catalog' && value instanceof Uint8Array) {
      o.catalog = { osVersionJson: strictDecoder.decode(value) };
    } else {
      o[key] = value;
    }
  }
  for (const _ in o) return JSON.stringify(o);
  return '';
}

const registry =
  typeof FinalizationRegistry === 'function'
    ? new FinalizationRegistry((handle) => wasm.ims_validator_free(handle))
    : null;

function compile(text) {
  const len = put(text, 0, 0);
  const handle = wasm.ims_validator_new(scratch, len) >>> 0;
  release();
  if (handle === 0) throwError();
  return handle;
}

/** The context of a derivation: `now` in Unix seconds (NaN when not a number: the
 * module refuses it). */
function context(ctx) {
  if (ctx === null || typeof ctx !== 'object') throw new TypeError('derive needs {imageId, owner, now}');
  const { imageId, owner } = ctx;
  if (typeof imageId !== 'string') throw new OptionsError('imageId is required', 'invalid');
  if (typeof owner !== 'string') throw new OptionsError('owner is required', 'invalid');
  const now = ctx.now instanceof Date ? Math.floor(ctx.now.getTime() / 1000) : typeof ctx.now === 'number' ? ctx.now : NaN;
  return { imageId, owner, now };
}

/** Options compiled once, for many calls (see `createValidator`). */
class Validator {
  #h;

  constructor(text) {
    this.#h = compile(text);
    registry?.register(this, this.#h, this);
  }

  /**
   * Validates a create body: `{ok: true, request, warnings}` or `{ok: false, status,
   * violations, problem}`. `request`, `violations` and `problem` are rendered when
   * first read.
   */
  validate(body) {
    const len = put(body, 0, 0);
    const v = wasm.ims_validate(this.#h, scratch, len) >>> 0;
    release();
    if (v === 0) throwError();
    const status = v & 0xffff;
    const render = this.#kept(wasm.ims_last() >>> 0, keep(body), (b) => {
      const n = put(b, 0, 0);
      const again = wasm.ims_validate(this.#h, scratch, n) >>> 0;
      release();
      return again;
    });
    if (status === 201) return new Accepted(render, v >>> 16);
    return new Rejected(status, render);
  }

  /**
   * A kept result's reader: `render(part)` has the module render that part of result
   * `number` (see `ims_render_kept`) and parses it. The module keeps the last result of
   * each kind: read at once, it is rendered from there; read later, `again(body)`
   * makes the call again on the same body (the module keeps its result anew).
   */
  #kept(number, body, again) {
    return (part) => {
      let len = wasm.ims_render_kept(number, this.#h, part) >>> 0;
      if (len === 0) {
        if (again(body) === 0) throwError();
        number = wasm.ims_last() >>> 0;
        len = wasm.ims_render_kept(number, this.#h, part) >>> 0;
        if (len === 0) throw new Error('the module did not keep the result it just gave');
      }
      return out(len);
    };
  }

  /**
   * Validates a create body and derives the record (the 201 body) for
   * `ctx.imageId`, `ctx.owner` and `ctx.now` (Unix seconds or a Date):
   * `{ok: true, record, warnings}` or the rejection.
   */
  derive(body, ctx) {
    const { imageId, owner, now } = context(ctx);
    const call = (fn, b) => {
      const n = put(b, 0, imageId.length * 3 + owner.length * 3);
      const i = put(imageId, n, owner.length * 3);
      const o = put(owner, n + i, 0);
      const v = fn(this.#h, scratch, n, scratch + n, i, scratch + n + i, o, now) >>> 0;
      release();
      return v;
    };
    const v = call(wasm.ims_derive, body);
    if (v === 0) throwError();
    const status = v & 0xffff;
    if (status === 201) {
      const { record, warnings } = out(wasm.ims_out_len() >>> 0);
      return { ok: true, record, warnings };
    }
    return new Rejected(status, this.#kept(wasm.ims_last() >>> 0, keep(body), (b) => call(wasm.ims_derive, b)));
  }

  /**
   * The whole answer a server sends for a create body, by the core's one road:
   * `{status, contentType, body}`, `body` the bytes (a Uint8Array) of the 201 record or
   * of the report rendered in this validator's `format` and `locale`. A rejection is
   * an answer too.
   */
  answer(body, ctx) {
    const { imageId, owner, now } = context(ctx);
    const n = put(body, 0, imageId.length * 3 + owner.length * 3);
    const i = put(imageId, n, owner.length * 3);
    const o = put(owner, n + i, 0);
    const v = wasm.ims_answer(this.#h, scratch, n, scratch + n, i, scratch + n + i, o, now) >>> 0;
    release();
    if (v === 0) throwError();
    const ptr = wasm.ims_out() >>> 0;
    const len = wasm.ims_out_len() >>> 0;
    return {
      status: v & 0xffff,
      contentType: v >>> 16 ? 'application/problem+json' : 'application/json',
      body: new Uint8Array(wasm.memory.buffer, ptr, len).slice(),
    };
  }

  /**
   * An update of `image` (a record object, or its JSON) at `now` (Unix seconds or a
   * Date): `{ok: true, status, image}` or `{ok: false, status, violations, problem}`.
   */
  #update(kind, image, arg, mediaType, now) {
    const text = typeof image === 'string' ? image : JSON.stringify(image);
    const media = mediaType ?? '';
    const seconds = now instanceof Date ? Math.floor(now.getTime() / 1000) : typeof now === 'number' ? now : NaN;
    const a = typeof arg === 'string' ? arg.length * 3 : arg.byteLength ?? 0;
    const n = put(text, 0, a + media.length * 3);
    const m = put(arg, n, media.length * 3);
    const t = put(media, n + m, 0);
    const v = wasm.ims_update(this.#h, kind, scratch, n, scratch + n, m, scratch + n + m, t, seconds) >>> 0;
    release();
    if (v === 0) throwError();
    const r = out(wasm.ims_out_len() >>> 0);
    if (v === 200 || v === 204) return { ok: true, status: v, image: r.image };
    return { ok: false, status: v, violations: r.glance.violations, problem: r.problem };
  }

  /** `PATCH /v2/images/{id}` (SPEC §8): `body` sent with `mediaType` (v2.1 by default). */
  patch(image, body, { now, mediaType } = {}) {
    return this.#update(0, image, body, mediaType, now);
  }

  /** `PUT /v2/images/{id}/tags/{tag}`. */
  addTag(image, tag, { now } = {}) {
    return this.#update(1, image, tag, undefined, now);
  }

  /** `DELETE /v2/images/{id}/tags/{tag}` (404 `not_found` when the image has no such tag). */
  removeTag(image, tag, { now } = {}) {
    return this.#update(2, image, tag, undefined, now);
  }

  /** The JSON Schema of a create body under these options. */
  requestSchema() {
    return out(wasm.ims_request_schema(this.#h) >>> 0);
  }

  /** Frees the compiled options now (else when the object is collected). */
  free() {
    if (this.#h !== 0) {
      registry?.unregister(this);
      wasm.ims_validator_free(this.#h);
      this.#h = 0;
    }
  }
}

/**
 * Compiles options once - `profile`, `rules`, `catalog`, `locale`, `format` - into a
 * validator with `validate(body)`, `derive(body, {imageId, owner, now})`,
 * `answer(body, {imageId, owner, now})` and `requestSchema()`.
 * Throws OptionsError for options the core cannot honour.
 */
export function createValidator(options) {
  return new Validator(wireOptions(options));
}

// The module-level calls: a kept validator per distinct options (the default one
// first), so that a call pays nothing for its options after the first.
const kept = new Map();
const KEPT_MAX = 64;

function validatorFor(options) {
  const text = wireOptions(options);
  let v = kept.get(text);
  if (v === undefined) {
    v = new Validator(text);
    if (kept.size >= KEPT_MAX) kept.delete(kept.keys().next().value);
    kept.set(text, v);
  }
  return v;
}

const defaultValidator = validatorFor(undefined);

/**
 * Validates a create body.
 * @returns {{ok: true, request: object, warnings: object[]} |
 *           {ok: false, status: number, violations: object[], problem: object}}
 */
export function validate(body, options) {
  return (options === undefined ? defaultValidator : validatorFor(options)).validate(body);
}

/**
 * Validates a create body and derives the record (the 201 body) for
 * `options.imageId`, `options.owner` and `options.now` (Unix seconds or a Date).
 * @returns {{ok: true, record: object, warnings: object[]} |
 *           {ok: false, status: number, violations: object[], problem: object}}
 */
export function derive(body, options) {
  if (options === null || typeof options !== 'object') throw new TypeError('derive needs options with imageId, owner and now');
  const { imageId, owner, now, ...rest } = options;
  return validatorFor(rest).derive(body, { imageId, owner, now });
}

/**
 * The whole answer a server sends for a create body (the core's one road), for
 * `options.imageId`, `options.owner` and `options.now`, the report rendered in
 * `options.format` (`glance`, the default; `ims`; `problem`) and `options.locale`:
 * `{status, contentType, body}` (body: a Uint8Array).
 */
export function answer(body, options) {
  if (options === null || typeof options !== 'object') throw new TypeError('answer needs options with imageId, owner and now');
  const { imageId, owner, now, ...rest } = options;
  return validatorFor(rest).answer(body, { imageId, owner, now });
}

/** `PATCH /v2/images/{id}` with `options.now`, `options.mediaType` and the options. */
export function patch(image, body, options) {
  const { now, mediaType, ...rest } = options ?? {};
  return validatorFor(rest).patch(image, body, { now, mediaType });
}

/** `PUT /v2/images/{id}/tags/{tag}` with `options.now` and the options. */
export function addTag(image, tag, options) {
  const { now, ...rest } = options ?? {};
  return validatorFor(rest).addTag(image, tag, { now });
}

/** `DELETE /v2/images/{id}/tags/{tag}` with `options.now` and the options. */
export function removeTag(image, tag, options) {
  const { now, ...rest } = options ?? {};
  return validatorFor(rest).removeTag(image, tag, { now });
}

/** The JSON Schema of a create body under `options.profile` (and rules, catalog). */
export function requestSchema(options) {
  return (options === undefined ? defaultValidator : validatorFor(options)).requestSchema();
}

/** The JSON Schema of the derived record. */
export function recordSchema() {
  return out(wasm.ims_record_schema() >>> 0);
}
