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
// core when first read, from the same body and validator, and kept; one field read
// alone (a violation's message, the request's name) is rendered and decoded alone.

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
  // A view of memory that grew is detached: its length is 0.
  if (view === null || view.length === 0) {
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

// A result holds its link to the module (`Held`): the validator, the number of the
// result the module kept, and the body. While the module keeps the result, reading one
// field of it crosses once and decodes that field alone (a violation's pointer, code,
// message or IMS code; one field of the accepted request). Once another call replaced
// the kept result, the next read makes the same call again on the same body with the
// same validator and renders that part whole (the Glance report, the request), which
// the result then keeps.

const INSPECT = Symbol.for('nodejs.util.inspect.custom');

/** A view of the module's memory (remade when the memory grows, which detaches it:
 * its length is then 0). */
let memory = new Uint8Array(wasm.memory.buffer);
function mem() {
  if (memory.length === 0) memory = new Uint8Array(wasm.memory.buffer);
  return memory;
}

/** Up to how many bytes a loop decodes ASCII faster than a TextDecoder call (~85 ns
 * whatever the length up to a message's; the loop ~7 ns a character). */
const LOOP_MAX = 10;

/** The output buffer's first `len` bytes as a string: short ASCII by a loop, anything
 * else by the TextDecoder. */
function outText(len) {
  const ptr = wasm.ims_out() >>> 0;
  const m = mem();
  if (len <= LOOP_MAX) {
    let s = '';
    for (let i = ptr; i < ptr + len; i++) {
      const b = m[i];
      if (b >= 0x80) return decoder.decode(m.subarray(ptr, ptr + len));
      s += String.fromCharCode(b);
    }
    return s;
  }
  return decoder.decode(m.subarray(ptr, ptr + len));
}

/** The output buffer's first `len` bytes, one JSON value: a short string without
 * escapes read as is, anything else parsed. */
function outValue(len) {
  const ptr = wasm.ims_out() >>> 0;
  const m = mem();
  if (len >= 2 && m[ptr] === 0x22) {
    // A string without escapes is its UTF-8 between the quotes (the module's JSON
    // escapes every control character).
    if (len > LOOP_MAX + 2) {
      const inner = m.subarray(ptr + 1, ptr + len - 1);
      if (inner.indexOf(0x5c) < 0) return decoder.decode(inner);
      return JSON.parse(decoder.decode(m.subarray(ptr, ptr + len)));
    }
    let s = '';
    const end = ptr + len - 1;
    for (let i = ptr + 1; i < end; i++) {
      const b = m[i];
      if (b >= 0x80 || b === 0x5c) return JSON.parse(decoder.decode(m.subarray(ptr, ptr + len)));
      s += String.fromCharCode(b);
    }
    return s;
  }
  if (len <= 9) {
    // A small non-negative integer, or a literal.
    let n = 0;
    for (let i = ptr; i < ptr + len; i++) {
      const d = m[i] - 0x30;
      if (d < 0 || d > 9) {
        n = -1;
        break;
      }
      n = n * 10 + d;
    }
    if (n >= 0 && (m[ptr] !== 0x30 || len === 1)) return n;
    if (len === 4 && m[ptr] === 0x74) return true; // "true" (the module writes JSON)
    if (len === 5 && m[ptr] === 0x66) return false;
    if (len === 4 && m[ptr] === 0x6e) return null;
  }
  return JSON.parse(decoder.decode(m.subarray(ptr, ptr + len)));
}

/** The link of a result to the module. `link` is its validator's (`h`, its handle, 0
 * once freed); `again(body)` makes the call again (the module keeps its result anew). */
class Held {
  constructor(link, number, body, again) {
    this.link = link;
    this.number = number;
    this.body = body;
    this.again = again;
  }

  /** Makes the call again: the module keeps the result under a new number. */
  renew() {
    if (this.again(this.body) === 0) throwError();
    this.number = wasm.ims_last() >>> 0;
  }

  /** Part `part` of the kept result rendered whole and parsed (see `ims_render_kept`):
   * 0 `{request, warnings}`, 1 the Glance report, 2 the problem document. */
  render(part) {
    let len = wasm.ims_render_kept(this.number, this.link.h, part) >>> 0;
    if (len === 0) {
      this.renew();
      len = wasm.ims_render_kept(this.number, this.link.h, part) >>> 0;
      if (len === 0) throw new Error('the module did not keep the result it just gave');
    }
    return out(len);
  }
}

/** What the violations of a rejection read: one part of one violation while the module
 * keeps the report, else the Glance report's elements, rendered whole once. */
class Rejection {
  constructor(held) {
    this.held = held;
    /** The Glance report's violations, parsed, once rendered whole. */
    this.whole = undefined;
  }

  /** Part `part` of violation `i` (see `ims_violation`): 0 its pointer, 1 its code, 2
   * its message, 3 its IMS code ('' for none). */
  part(i, part) {
    if (this.whole === undefined) {
      const n = wasm.ims_violation(this.held.number, this.held.link.h, i, part) >>> 0;
      if (n !== 0) return outText(n - 1);
    }
    const v = this.plain(i);
    return part === 0 ? v.pointer : part === 1 ? v.code : part === 2 ? v.message : (v.ims_code ?? '');
  }

  /** Violation `i` as the Glance report has it (the report rendered whole once). */
  plain(i) {
    this.whole ??= this.held.render(1).violations;
    return this.whole[i];
  }
}

/**
 * One violation of a rejection: a light read-only object whose `pointer`, `code`,
 * `message`, `ims_code` and `params` are getters (on the class, not own properties),
 * each rendered by the core when first read and then kept. `toJSON()` (and so
 * `JSON.stringify`) gives the plain `{pointer, code, message, ims_code, params}`.
 */
export class Violation {
  #of;
  #i;
  #pointer;
  #code;
  #message;
  #ims;

  /** @internal */
  constructor(of, i) {
    this.#of = of;
    this.#i = i;
  }

  /** An RFC 6901 JSON Pointer into the body ("" for the whole body). */
  get pointer() {
    return (this.#pointer ??= this.#of.part(this.#i, 0));
  }

  /** A stable snake_case code, e.g. `out_of_range`. */
  get code() {
    return (this.#code ??= this.#of.part(this.#i, 1));
  }

  /** The message, in the validator's locale. */
  get message() {
    return (this.#message ??= this.#of.part(this.#i, 2));
  }

  /** The IMS error code, or null when IMS has none. */
  get ims_code() {
    if (this.#ims === undefined) this.#ims = this.#of.part(this.#i, 3) || null;
    return this.#ims;
  }

  /** The machine-readable parameters (per code). */
  get params() {
    return this.#of.plain(this.#i).params;
  }

  /** `{pointer, code, message, ims_code, params}` as a plain object. */
  toJSON() {
    const v = this.#of.plain(this.#i);
    return { pointer: v.pointer, code: v.code, message: v.message, ims_code: v.ims_code, params: v.params };
  }

  [INSPECT]() {
    return this.toJSON();
  }
}

/** The Violations of a rejection of `count` violations (the number its call gave). */
function violationsOf(rejection, count) {
  // A count of 0xFFFF is "that many or more": the report says how many.
  const n = count < 0xffff ? count : rejection.held.render(1).violations.length;
  const list = new Array(n);
  for (let i = 0; i < n; i++) list[i] = new Violation(rejection, i);
  return list;
}

// The accepted request: a Proxy over a plain object, so that it reads as the plain
// object (any key, `Object.keys`, `in`, spread, `JSON.stringify`, changes) while one
// field read at once crosses once and decodes that field alone. Any other use of it
// renders the whole request into the target first, and from then on every operation
// is the target's own.

/** The prototype of a request's target until it is filled: shows the request when
 * inspected (Node inspects a proxy's target, not through its traps). */
const lazyTarget = Object.create(Object.prototype, {
  [INSPECT]: {
    value() {
      return { ...this };
    },
  },
});

const ABSENT = Symbol('absent');

/** A well-formed key crosses as UTF-8 as it is (a lone surrogate would not). */
const wellFormed =
  typeof ''.isWellFormed === 'function' ? (k) => k.isWellFormed() : (k) => !/[\uD800-\uDFFF]/.test(k);

/** The traps of one request's proxy. */
class RequestTraps {
  constructor(held) {
    this.held = held;
    this.target = Object.create(lazyTarget);
    /** Fields read one at a time before the whole was rendered (kept, so that a field
     * read twice is the same object, also once the whole is rendered). */
    this.fields = undefined;
    this.filled = false;
  }

  /** The field `key` read alone; ABSENT when the request has none; undefined when the
   * module no longer keeps the outcome (or the key is not well-formed UTF-16, which
   * the whole request answers). */
  field(key) {
    let len = key.length;
    if (len <= 64) {
      // A short ASCII key written by a loop (cheaper than encodeInto for a few bytes).
      const v = reserve(len);
      for (let i = 0; i < len; i++) {
        const c = key.charCodeAt(i);
        if (c >= 0x80) {
          len = -1;
          break;
        }
        v[i] = c;
      }
    } else {
      len = -1;
    }
    if (len < 0) {
      if (!wellFormed(key)) return undefined;
      len = put(key, 0, 0);
    }
    const n = wasm.ims_request_field(this.held.number, this.held.link.h, scratch, len) >>> 0;
    release();
    if (n === 0) return undefined;
    if (n === 1) return ABSENT;
    return outValue(n - 2);
  }

  /** Renders the whole request into the target (once). */
  fill() {
    if (this.filled) return this.target;
    const whole = this.held.render(0).request;
    const t = this.target;
    Object.setPrototypeOf(t, Object.prototype);
    for (const k of Object.keys(whole)) {
      const value = this.fields !== undefined && this.fields.has(k) ? this.fields.get(k) : whole[k];
      Object.defineProperty(t, k, { value, writable: true, enumerable: true, configurable: true });
    }
    this.filled = true;
    return t;
  }

  get(t, key, receiver) {
    if (!this.filled && typeof key === 'string') {
      const seen = this.fields?.get(key);
      if (seen !== undefined) return seen;
      {
        const v = this.field(key);
        if (v === ABSENT) return Reflect.get(t, key, receiver);
        if (v !== undefined) {
          (this.fields ??= new Map()).set(key, v);
          return v;
        }
      }
    }
    return Reflect.get(this.fill(), key, receiver);
  }

  has(t, key) {
    return Reflect.has(this.fill(), key);
  }

  ownKeys() {
    return Reflect.ownKeys(this.fill());
  }

  getOwnPropertyDescriptor(t, key) {
    return Reflect.getOwnPropertyDescriptor(this.fill(), key);
  }

  defineProperty(t, key, desc) {
    return Reflect.defineProperty(this.fill(), key, desc);
  }

  deleteProperty(t, key) {
    return Reflect.deleteProperty(this.fill(), key);
  }

  set(t, key, value, receiver) {
    return Reflect.set(this.fill(), key, value, receiver);
  }

  getPrototypeOf() {
    return Reflect.getPrototypeOf(this.fill());
  }

  setPrototypeOf(t, proto) {
    return Reflect.setPrototypeOf(this.fill(), proto);
  }

  isExtensible() {
    return Reflect.isExtensible(this.fill());
  }

  preventExtensions() {
    return Reflect.preventExtensions(this.fill());
  }
}

/** An accepted body: `ok`, `request`, `warnings`. */
class Accepted {
  #held;
  #count;
  #traps;
  #request;
  #warnings;

  constructor(held, warnings) {
    this.ok = true;
    this.#held = held;
    this.#count = warnings;
  }

  /** The request, every default filled in (the core's key order): an object that reads
   * as the plain one, each field rendered when read. */
  get request() {
    if (this.#request === undefined) {
      this.#traps = new RequestTraps(this.#held);
      this.#request = new Proxy(this.#traps.target, this.#traps);
    }
    return this.#request;
  }

  /** `[{pointer, code, message, params}]`: defaults that may break later use. */
  get warnings() {
    this.#warnings ??= this.#count === 0 ? [] : this.#held.render(0).warnings;
    return this.#warnings;
  }

  /** `{ok: true, request, warnings}` as a plain object (the request too). */
  toJSON() {
    // The same object the request reads (its target, filled).
    void this.request;
    return { ok: true, request: this.#traps.fill(), warnings: this.warnings };
  }

  [INSPECT]() {
    return this.toJSON();
  }
}

/** A rejected body: `ok` (false), `status`, `violations`, `problem`. */
class Rejected {
  #held;
  #count;
  #violations;
  #problem;

  constructor(status, held, count) {
    this.ok = false;
    this.status = status;
    this.#held = held;
    this.#count = count;
  }

  /** `[Violation]`, in body order: light objects (`pointer`, `code`, `message`,
   * `ims_code`, `params`), each field rendered when read; counting them renders
   * nothing. */
  get violations() {
    this.#violations ??= violationsOf(new Rejection(this.#held), this.#count);
    return this.#violations;
  }

  /** The RFC 9457 problem details (`application/problem+json`). */
  get problem() {
    this.#problem ??= this.#held.render(2);
    return this.#problem;
  }

  /** `{ok: false, status, violations, problem}` as a plain object (the violations
   * too). */
  toJSON() {
    return { ok: false, status: this.status, violations: this.violations.map((v) => v.toJSON()), problem: this.problem };
  }

  [INSPECT]() {
    return this.toJSON();
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
  /** What this validator's results hold: the handle (0 once freed) and the call that
   * validates a body again. */
  #link;

  constructor(text) {
    this.#h = compile(text);
    registry?.register(this, this.#h, this);
    // `owner`: a result keeps its validator from being collected (and so freed).
    const link = { h: this.#h, again: null, owner: this };
    link.again = (b) => {
      const n = put(b, 0, 0);
      const again = wasm.ims_validate(link.h, scratch, n) >>> 0;
      release();
      return again;
    };
    this.#link = link;
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
    const held = new Held(this.#link, wasm.ims_last() >>> 0, keep(body), this.#link.again);
    if (status === 201) return new Accepted(held, v >>> 16);
    return new Rejected(status, held, v >>> 16);
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
      const v = fn(this.#link.h, scratch, n, scratch + n, i, scratch + n + i, o, now) >>> 0;
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
    const held = new Held(this.#link, wasm.ims_last() >>> 0, keep(body), (b) => call(wasm.ims_derive, b));
    return new Rejected(status, held, v >>> 16);
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
      this.#link.h = 0;
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
