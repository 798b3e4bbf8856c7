//! The record's byte writer: the 201 and 200 bodies written straight into a buffer,
//! byte for byte what the record's `Serialize` writes (the tests hold the two to it),
//! from a [`Record`] or from a request and its context without building the record.

use super::{fixed, is_constant_key, Context, Record, Timestamp};
use crate::keys::{Extensions, Field};
use crate::request::CreateRequest;
use crate::values::{DiskFormat, OsBit, OsType, Platform};

impl Record {
    /// Appends the record's JSON to `out`: the same bytes as `serde_json::to_writer`
    /// writes for it (its `Serialize`, which this mirrors field by field; a test holds
    /// the two equal), written faster: keys and constants as they are, strings scanned
    /// for escapes a word at a time, numbers and times without the formatting
    /// machinery.
    ///
    /// ```
    /// use ims_image_meta::{validate, Context, Rules, Timestamp};
    ///
    /// let ctx = Context::new(
    ///     "4ca46bf1-5c61-48ff-b4f3-0ad4e5e3ba86", "p", Timestamp::from_unix(0)?)?;
    /// let ok = validate(br#"{"name": "web", "tags": ["a\"b"]}"#, &Rules::default()).unwrap();
    /// let record = ok.request.into_record(&ctx);
    /// let mut out = Vec::new();
    /// record.write_json(&mut out);
    /// assert_eq!(out, serde_json::to_vec(&record)?);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn write_json(&self, out: &mut Vec<u8>) {
        write_record(
            out,
            &View {
                id: &self.id,
                name: &self.name,
                protected: self.protected,
                disk_format: self.disk_format,
                tags: &self.tags,
                min_ram: self.min_ram,
                min_disk: self.min_disk,
                created_at: self.created_at,
                updated_at: self.updated_at,
                owner: &self.owner,
                os_version: &self.os_version,
                os_type: self.os_type,
                platform: &self.platform,
                os_bit: self.os_bit,
                extensions: &self.extensions,
                properties: &self.properties,
                service: &self.service,
            },
        );
    }

    /// The record's JSON by [`write_json`](Record::write_json), indented as
    /// `serde_json::to_vec_pretty` writes the same record (for people: a command line,
    /// a log).
    pub fn to_pretty_json(&self) -> Vec<u8> {
        let mut compact = Vec::new();
        self.write_json(&mut compact);
        let mut out = Vec::with_capacity(compact.len() * 2);
        crate::json::pretty(&compact, &mut out);
        out
    }
}

impl CreateRequest<'_> {
    /// Appends the JSON of the record this request derives in `ctx` to `out`: the
    /// same bytes as `into_record(ctx).write_json(out)` (and so as serde_json writes
    /// the record), without building the record (no string is copied but into `out`).
    ///
    /// ```
    /// use ims_image_meta::{validate, Context, Rules, Timestamp};
    ///
    /// let ctx = Context::new(
    ///     "4ca46bf1-5c61-48ff-b4f3-0ad4e5e3ba86", "p", Timestamp::from_unix(0)?)?;
    /// let ok = validate(br#"{"name": "web", "tags": ["a"], "k": "v"}"#, &Rules::default()).unwrap();
    /// let mut out = Vec::new();
    /// ok.request.write_record_json(&ctx, &mut out);
    /// assert_eq!(out, serde_json::to_vec(&ok.request.into_record(&ctx))?);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn write_record_json(&self, ctx: &Context, out: &mut Vec<u8>) {
        write_record(
            out,
            &View {
                id: self.id.as_deref().unwrap_or(&ctx.image_id),
                name: self.name.as_deref().unwrap_or_default(),
                protected: self.protected,
                disk_format: self.disk_format,
                tags: &self.tags,
                min_ram: self.min_ram,
                min_disk: self.min_disk,
                created_at: ctx.now,
                updated_at: ctx.now,
                owner: &ctx.owner,
                os_version: self.os.version(),
                os_type: self.os.os_type(),
                platform: self.os.platform(),
                os_bit: self.os.bit(),
                extensions: &self.extensions,
                properties: &self.properties,
                service: &[],
            },
        );
    }
}

/// What a record's JSON is written from: a [`Record`], or a request and its context
/// (the same fields, borrowed).
struct View<'v, T, P, X> {
    id: &'v str,
    name: &'v str,
    protected: bool,
    disk_format: DiskFormat,
    tags: &'v [T],
    min_ram: u32,
    min_disk: u32,
    created_at: Timestamp,
    updated_at: Timestamp,
    owner: &'v str,
    os_version: &'v str,
    os_type: OsType,
    platform: &'v Platform,
    os_bit: OsBit,
    extensions: &'v Extensions<X>,
    properties: &'v [(P, P)],
    /// The keys the service set, as the image was read ([`Record::service`]).
    service: &'v [(String, serde_json::Value)],
}

/// Writes `,"KEY":VALUE` when the image was read with a value for the constant `key`
/// (the service's, by serde_json, as `Serialize` writes it); `false` when it was not,
/// and the caller writes the constant.
#[cold]
fn overridden(out: &mut Vec<u8>, service: &[(String, serde_json::Value)], key: &str) -> bool {
    let Some((_, v)) = service.iter().find(|(k, _)| k == key) else {
        return false;
    };
    out.push(b',');
    crate::json::string(out, key);
    out.push(b':');
    // A `Value` to a Vec: cannot fail.
    let _ = serde_json::to_writer(&mut *out, v);
    true
}

/// The record's JSON, field by field as its `Serialize` writes it.
fn write_record<T: AsRef<str>, P: AsRef<str>, X: AsRef<str>>(
    out: &mut Vec<u8>,
    r: &View<'_, T, P, X>,
) {
    use crate::json::{boolean, contents, known, string, uint};
    // Room for the whole record unless strings need escapes: one allocation for a
    // fresh buffer, whatever the body's size (no doubling and copying of a 100 KB one).
    let tags: usize = r.tags.iter().map(|t| t.as_ref().len() + 3).sum();
    let properties: usize = r
        .properties
        .iter()
        .map(|(k, v)| k.as_ref().len() + v.as_ref().len() + 6)
        .sum();
    out.reserve(
        640 + 3 * r.id.len()
            + r.name.len()
            + r.owner.len()
            + r.os_version.len()
            + r.extensions.json_len()
            + tags
            + properties,
    );
    out.extend_from_slice(b"{\"id\":");
    string(out, r.id);
    out.extend_from_slice(b",\"name\":");
    string(out, r.name);
    // The constants, known clean: written as they are (the tests compare them with
    // what `Serialize` writes).
    // A record without service keys (every fresh one) writes its constants as they
    // are, with one test each.
    let sv = r.service;
    let plain = sv.is_empty();
    if plain || !overridden(out, sv, "status") {
        out.extend_from_slice(b",\"status\":\"queued\"");
    }
    if plain || !overridden(out, sv, Field::Visibility.key()) {
        out.extend_from_slice(&VISIBILITY_ENTRY);
    }
    out.extend_from_slice(b",\"protected\":");
    boolean(out, r.protected);
    if plain || !overridden(out, sv, Field::ContainerFormat.key()) {
        out.extend_from_slice(&CONTAINER_FORMAT_ENTRY);
    }
    out.extend_from_slice(b",\"disk_format\":");
    known(out, r.disk_format.as_str());
    out.extend_from_slice(b",\"tags\":[");
    for (i, t) in r.tags.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        string(out, t.as_ref());
    }
    out.extend_from_slice(b"],\"min_ram\":");
    uint(out, u64::from(r.min_ram));
    out.extend_from_slice(b",\"min_disk\":");
    uint(out, u64::from(r.min_disk));
    out.extend_from_slice(b",\"created_at\":");
    let created = r.created_at.json();
    out.extend_from_slice(&created);
    out.extend_from_slice(b",\"updated_at\":");
    if r.updated_at == r.created_at {
        out.extend_from_slice(&created);
    } else {
        out.extend_from_slice(&r.updated_at.json());
    }
    if plain || !overridden(out, sv, "self") {
        out.extend_from_slice(b",\"self\":\"/v2/images/");
        contents(out, r.id);
        out.push(b'"');
    }
    if plain || !overridden(out, sv, "file") {
        out.extend_from_slice(b",\"file\":\"/v2/images/");
        contents(out, r.id);
        out.extend_from_slice(b"/file\"");
    }
    if plain || !overridden(out, sv, "schema") {
        out.extend_from_slice(b",\"schema\":\"/v2/schemas/image\"");
    }
    out.extend_from_slice(b",\"owner\":");
    string(out, r.owner);
    out.extend_from_slice(b",\"__os_version\":");
    string(out, r.os_version);
    out.extend_from_slice(b",\"__os_type\":");
    known(out, r.os_type.as_str());
    out.extend_from_slice(b",\"__platform\":");
    // A platform the crate does not list is written as the service spells it:
    // escaped like any string.
    string(out, r.platform.as_str());
    out.extend_from_slice(b",\"__os_bit\":");
    known(out, r.os_bit.as_str());
    if plain {
        out.extend_from_slice(
            b",\"__image_source_type\":\"uds\",\"__image_size\":\"0\",\"__isregistered\":\"true\",\
              \"__imagetype\":\"private\",\"virtual_env_type\":\"FusionCompute\"",
        );
    } else {
        // An image read back with service keys: each constant as read, then the
        // service's other keys in the order read (as `Serialize` writes them).
        for (key, value) in [
            ("__image_source_type", Record::IMAGE_SOURCE_TYPE),
            ("__image_size", Record::IMAGE_SIZE),
            ("__isregistered", Record::IS_REGISTERED),
            ("__imagetype", Record::IMAGE_TYPE),
            ("virtual_env_type", Record::VIRTUAL_ENV_TYPE),
        ] {
            if !overridden(out, sv, key) {
                out.push(b',');
                string(out, key);
                out.push(b':');
                string(out, value);
            }
        }
        for (k, v) in sv {
            if !is_constant_key(k) {
                out.push(b',');
                string(out, k);
                out.push(b':');
                let _ = serde_json::to_writer(&mut *out, v);
            }
        }
    }
    r.extensions.write_json(out);
    for (k, v) in r.properties {
        out.push(b',');
        string(out, k.as_ref());
        out.push(b':');
        string(out, v.as_ref());
    }
    out.push(b'}');
}

/// `,"KEY":"VALUE"` of a field of fixed value, made when the crate is built.
const fn fixed_entry<const N: usize>(f: Field) -> [u8; N] {
    let (key, value) = (f.key().as_bytes(), fixed(f).as_bytes());
    let mut out = [b'"'; N];
    out[0] = b',';
    let mut i = 0;
    while i < key.len() {
        out[2 + i] = key[i];
        i += 1;
    }
    out[key.len() + 3] = b':';
    let mut j = 0;
    while j < value.len() {
        out[key.len() + 5 + j] = value[j];
        j += 1;
    }
    out
}

/// The length of [`fixed_entry`] of `f`.
const fn fixed_entry_len(f: Field) -> usize {
    f.key().len() + fixed(f).len() + 6
}

const VISIBILITY_ENTRY: [u8; fixed_entry_len(Field::Visibility)] = fixed_entry(Field::Visibility);
const CONTAINER_FORMAT_ENTRY: [u8; fixed_entry_len(Field::ContainerFormat)] =
    fixed_entry(Field::ContainerFormat);

impl Timestamp {
    /// The timestamp as a JSON string, as it serializes, without the formatting
    /// machinery.
    fn json(self) -> [u8; 22] {
        let (y, mo, d, h, mi, s) = self.civil();
        let two = |n: u32| [b'0' + (n / 10 % 10) as u8, b'0' + (n % 10) as u8];
        // Years 0000 to 9999 (see `from_unix`).
        let y = u32::try_from(y).unwrap_or(0);
        let (hi, lo) = (two(y / 100), two(y % 100));
        let [mo, d, h, mi, s] = [two(mo), two(d), two(h), two(mi), two(s)];
        [
            b'"', hi[0], hi[1], lo[0], lo[1], b'-', mo[0], mo[1], b'-', d[0], d[1], b'T', h[0],
            h[1], b':', mi[0], mi[1], b':', s[0], s[1], b'Z', b'"',
        ]
    }
}
