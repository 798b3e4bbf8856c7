// Type declarations of the ims-image-meta ES module (js/index.js).

/** The profiles of SPEC section 7 (`ims-2022` is the default). */
export type Profile = 'ims-2022' | 'huaweicloud' | 'otc' | (string & {});
/** The message locales of the contract (`en` is the default). */
export type Locale = 'en' | 'zh-CN' | (string & {});

export interface Options {
  /** A named profile: `ims-2022` (the default), `huaweicloud` or `otc`. */
  profile?: Profile;
  /**
   * Knob overrides: every knob of the core's rules file by name (`max_body_bytes`,
   * `name_max_chars`, `name_charset`, `min_disk_linux`, `min_disk_windows`,
   * `disk_formats`, `default_disk_format`, `max_tags`, `max_properties`,
   * `property_value_max_bytes`, `min_ram_max`, `max_violations`, `allow_four_byte_unicode`,
   * `allow_unknown_os_version`, `quote_input`, `refuse_near_miss_keys`,
   * `default_os_version`, `profile`, `description`), plus `min_disk_range: [lo, hi]` for
   * both `min_disk` ranges. An unknown knob throws OptionsError.
   */
  rules?: { min_disk_range?: [number, number]; [knob: string]: unknown } | null;
  /** A string: CSV as the core's data/os_versions.csv; bytes: IMS's os_version JSON. */
  catalog?: string | Uint8Array | null;
  /** The language of messages; default `en`. */
  locale?: Locale;
  /** The shape of a report in `answer`: `glance` (default), `ims` or `problem`. */
  format?: 'glance' | 'ims' | 'problem';
}

/** The whole answer to a create body, by the core's one road. */
export interface Answer {
  /** 201, or 400, 403, 413. */
  status: number;
  /** `application/json` or `application/problem+json`. */
  contentType: string;
  /** The 201 record, or the report in the validator's format and locale. */
  body: Uint8Array;
}

export interface Context {
  /** The image id (a UUID) unless the body has an `id`. */
  imageId: string;
  /** The owner project id. */
  owner: string;
  /** The time of creation: Unix seconds, or a Date (sub-seconds dropped). */
  now: number | Date;
}

export interface DeriveOptions extends Options, Context {}

export interface Warning {
  pointer: string;
  code: string;
  message: string;
}

/**
 * One violation of a rejection: a light read-only object (issue 27). Its fields are
 * getters on the class, each rendered by the core when first read and then kept, so
 * that counting violations or reading one field renders nothing else. It is not a
 * plain object: `Object.keys(v)` is `[]` and `deepEqual` with a plain object fails;
 * `toJSON()` (and so `JSON.stringify`) gives the plain `{pointer, code, message,
 * ims_code, params}`; `structuredClone` of one is `{}` (send `toJSON()`).
 */
export class Violation {
  private constructor();
  /** An RFC 6901 JSON Pointer into the body ("" for the whole body). */
  readonly pointer: string;
  /** A stable snake_case code, e.g. `out_of_range`. */
  readonly code: string;
  /** The message, in the validator's locale. */
  readonly message: string;
  /** The IMS error code, when IMS has one. */
  readonly ims_code: string | null;
  /** The machine-readable parameters (per code). */
  readonly params: Record<string, unknown>;
  /** The violation as a plain object. */
  toJSON(): PlainViolation;
}

/** A violation as a plain object (`Violation.toJSON()`). */
export interface PlainViolation {
  pointer: string;
  code: string;
  message: string;
  ims_code: string | null;
  params: Record<string, unknown>;
}

/** RFC 9457 problem details. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  ims_code: string;
  errors: { pointer: string; code: string; detail: string; params: Record<string, unknown> }[];
}

/** A rejected body. `violations` are light objects (their count came with the call,
 * each field is rendered when read); `problem` is rendered when first read (then
 * kept); `toJSON()` gives the plain object. */
export interface Rejected {
  readonly ok: false;
  /** 400, 403 or 413. */
  readonly status: 400 | 403 | 413;
  readonly violations: Violation[];
  readonly problem: Problem;
  toJSON(): { ok: false; status: 400 | 403 | 413; violations: PlainViolation[]; problem: Problem };
}

/** An accepted body. `request` reads as a plain object (a Proxy: a field read alone is
 * rendered alone; anything else renders the whole request once; `structuredClone`
 * refuses it: `toJSON().request` is the plain object); `warnings` are
 * rendered when first read (then kept); `toJSON()` gives the plain object. */
export interface Accepted {
  readonly ok: true;
  readonly request: Record<string, unknown>;
  readonly warnings: Warning[];
  toJSON(): { ok: true; request: Record<string, unknown>; warnings: Warning[] };
}

export type Validated = Accepted | Rejected;

export type Derived = { ok: true; record: Record<string, unknown>; warnings: Warning[] } | Rejected;

/** Options the core cannot honour (not a verdict on the body). */
export class OptionsError extends Error {
  readonly kind: 'invalid';
  constructor(message: string, kind: 'invalid');
}

/** Options compiled once, for many calls. */
export interface Validator {
  /** Validates a create body (a string is sent as UTF-8). */
  validate(body: string | Uint8Array | ArrayBuffer): Validated;
  /** Validates a body and derives the record (the 201 body). Throws OptionsError for a bad context. */
  derive(body: string | Uint8Array | ArrayBuffer, ctx: Context): Derived;
  /** The whole answer a server sends (the core's one road). Throws OptionsError for a bad context. */
  answer(body: string | Uint8Array | ArrayBuffer, ctx: Context): Answer;
  /** `PATCH /v2/images/{id}` (SPEC §8); `mediaType` defaults to the v2.1 JSON-patch type. */
  patch(image: object | string, body: string | Uint8Array | ArrayBuffer, opts: UpdateOptions): Updated;
  /** `PUT /v2/images/{id}/tags/{tag}`. */
  addTag(image: object | string, tag: string, opts: { now: number | Date }): Updated;
  /** `DELETE /v2/images/{id}/tags/{tag}`. */
  removeTag(image: object | string, tag: string, opts: { now: number | Date }): Updated;
  /** The JSON Schema of a create body under these options. */
  requestSchema(): Record<string, unknown>;
  /** Frees the compiled options now (else when the object is collected). */
  free(): void;
}

/** Compiles options once. Throws OptionsError for options the core cannot honour. */
export function createValidator(options?: Options): Validator;
/** Validates a create body (a string is sent as UTF-8). Throws OptionsError. */
export function validate(body: string | Uint8Array | ArrayBuffer, options?: Options): Validated;
/** Validates a body and derives the record (the 201 body). Throws OptionsError. */
export function derive(body: string | Uint8Array | ArrayBuffer, options: DeriveOptions): Derived;
/** The whole answer a server sends for a create body (the core's one road). */
export function answer(body: string | Uint8Array | ArrayBuffer, options: DeriveOptions): Answer;

/** When an update is made, and (for a PATCH) its media type. */
export interface UpdateOptions {
  now: number | Date;
  mediaType?: string;
}

/** The verdict on an update: the image after it (status 200 for a PATCH, 204 for a tag
 * call), or the rejection (400, 403, 404, 409, 413, 415). */
export type Updated =
  | { ok: true; status: 200 | 204; image: Record<string, unknown> }
  | { ok: false; status: number; violations: PlainViolation[]; problem: object };

export function patch(image: object | string, body: string | Uint8Array | ArrayBuffer, options: UpdateOptions & Options): Updated;
export function addTag(image: object | string, tag: string, options: { now: number | Date } & Options): Updated;
export function removeTag(image: object | string, tag: string, options: { now: number | Date } & Options): Updated;
/** The JSON Schema of a create body. */
export function requestSchema(options?: Pick<Options, 'profile' | 'rules' | 'catalog'>): Record<string, unknown>;
/** The JSON Schema of the derived record. */
export function recordSchema(): Record<string, unknown>;
