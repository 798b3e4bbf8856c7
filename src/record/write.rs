//! The record's byte writer: the 201 and 200 bodies written straight into a buffer,
//! byte for byte what the record's `Serialize` writes (the tests hold the two to it),
//! from a [`Record`] or from a request and its context without building the record.

use super::keys::{record_rows, Others, Own, Slot};
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

/// The rows of the record's keys as straight-line code: each row's `,"KEY":` a
/// constant, its value by [`write_row`] with its slot known (the `match` folds away).
macro_rules! write_rows {
    ($($key:literal $(= $field:expr)? => $slot:expr,)+) => {
        /// The record's keys and values, in its order (the first without its comma).
        #[inline(always)]
        fn write_rows<T: AsRef<str>, P: AsRef<str>, X: AsRef<str>>(
            out: &mut Vec<u8>,
            r: &View<'_, T, P, X>,
            created: &[u8; 22],
        ) {
            // The first row's comma is left out.
            let mut skip = 1;
            $({
                const SLOT: Slot = $slot;
                const BYTES: [u8; entry_len($key, SLOT)] = entry($key, SLOT);
                write_row(out, r, created, $key, &BYTES[skip..], SLOT);
                skip = 0;
            })+
            let _ = skip;
        }
    };
}
record_rows!(write_rows);

/// One row: `prefix` (`,"KEY":`, with the value of a constant) and the value of any
/// other `slot`; a constant or a link as the image was read when it was read with
/// another value.
#[inline(always)]
fn write_row<T: AsRef<str>, P: AsRef<str>, X: AsRef<str>>(
    out: &mut Vec<u8>,
    r: &View<'_, T, P, X>,
    created: &[u8; 22],
    key: &str,
    prefix: &[u8],
    slot: Slot,
) {
    use crate::json::{boolean, contents, known, string, uint};
    if !matches!(slot, Slot::Own(_)) && !r.service.is_empty() && overridden(out, r.service, key) {
        return;
    }
    out.extend_from_slice(prefix);
    match slot {
        Slot::Constant(_) | Slot::Service(..) => {}
        Slot::Link(tail) => {
            out.extend_from_slice(b"\"/v2/images/");
            contents(out, r.id);
            out.extend_from_slice(tail.as_bytes());
            out.push(b'"');
        }
        Slot::Own(own) => match own {
            Own::Id => string(out, r.id),
            Own::Name => string(out, r.name),
            Own::Protected => boolean(out, r.protected),
            Own::DiskFormat => known(out, r.disk_format.as_str()),
            Own::Tags => {
                out.push(b'[');
                for (i, t) in r.tags.iter().enumerate() {
                    if i > 0 {
                        out.push(b',');
                    }
                    string(out, t.as_ref());
                }
                out.push(b']');
            }
            Own::MinRam => uint(out, u64::from(r.min_ram)),
            Own::MinDisk => uint(out, u64::from(r.min_disk)),
            Own::CreatedAt => out.extend_from_slice(created),
            Own::UpdatedAt if r.updated_at == r.created_at => out.extend_from_slice(created),
            Own::UpdatedAt => out.extend_from_slice(&r.updated_at.json()),
            Own::Owner => string(out, r.owner),
            Own::OsVersion => string(out, r.os_version),
            Own::OsType => known(out, r.os_type.as_str()),
            // A platform the crate does not list is written as the service spells it:
            // escaped like any string.
            Own::Platform => string(out, r.platform.as_str()),
            Own::OsBit => known(out, r.os_bit.as_str()),
        },
    }
}

/// The record's JSON, as its `Serialize` writes it: its keys' rows, the service's
/// other keys in the order read, the extensions, the custom properties.
fn write_record<T: AsRef<str>, P: AsRef<str>, X: AsRef<str>>(
    out: &mut Vec<u8>,
    r: &View<'_, T, P, X>,
) {
    use crate::json::string;
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
    out.push(b'{');
    write_rows(out, r, &r.created_at.json());
    for (k, v) in r.service {
        if !is_constant_key(k) {
            out.push(b',');
            string(out, k);
            out.push(b':');
            let _ = serde_json::to_writer(&mut *out, v);
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

/// The length of [`entry`] of a row.
const fn entry_len(key: &str, slot: Slot) -> usize {
    key.len()
        + 4
        + match slot {
            Slot::Constant(c) | Slot::Service(c, _) => c.len() + 2,
            _ => 0,
        }
}

/// A row's `,"KEY":`, and for a constant its value, `"VALUE"`: made when the crate is
/// built, written as they are (a key or a constant that JSON would escape fails the
/// build).
const fn entry<const N: usize>(key: &str, slot: Slot) -> [u8; N] {
    const fn clean(b: u8) -> u8 {
        assert!(b >= 0x20 && b != b'"' && b != b'\\', "a byte JSON escapes");
        b
    }
    let mut out = [b'"'; N];
    out[0] = b',';
    let key = key.as_bytes();
    let mut i = 0;
    while i < key.len() {
        out[2 + i] = clean(key[i]);
        i += 1;
    }
    out[key.len() + 3] = b':';
    if let Slot::Constant(c) | Slot::Service(c, _) = slot {
        let c = c.as_bytes();
        let mut j = 0;
        while j < c.len() {
            out[key.len() + 5 + j] = clean(c[j]);
            j += 1;
        }
    }
    out
}

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
