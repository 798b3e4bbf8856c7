//! The derived record (the 201 body), its context and its timestamps.

use std::borrow::Cow;
use std::fmt;
use std::time::{SystemTime, UNIX_EPOCH};

use serde::ser::SerializeMap;
use serde::{Serialize, Serializer};

use crate::keys::{Extensions, Field};
use crate::request::CreateRequest;
use crate::values::{DiskFormat, OsBit, OsType, Platform};

/// The earliest time a record can carry: 0000-01-01T00:00:00Z.
const MIN_UNIX: i64 = -62_167_219_200;
/// The latest time a record can carry: 9999-12-31T23:59:59Z.
const MAX_UNIX: i64 = 253_402_300_799;

/// Why a [`Context`] or a [`Timestamp`] could not be made.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ContextError {
    /// The image id is not a UUID in 8-4-4-4-12 hex form.
    #[error("image id '{0}' is not a UUID (8-4-4-4-12 hex digits)")]
    BadImageId(String),
    /// The owner project id is empty.
    #[error("owner project id is empty")]
    EmptyOwner,
    /// The time is outside years 0000–9999, which the record's format cannot write.
    #[error("time {0} (Unix seconds) is outside years 0000-9999")]
    TimeOutOfRange(i64),
}

/// A point in time, whole seconds, written `YYYY-MM-DDTHH:MM:SSZ` (UTC), and read
/// back from exactly that form.
///
/// ```
/// use ims_image_meta::Timestamp;
///
/// let t = Timestamp::from_unix(1_464_853_788)?;
/// assert_eq!(t.to_string(), "2016-06-02T07:49:48Z");
/// let read: Timestamp = serde_json::from_str(r#""2016-06-02T07:49:48Z""#)?;
/// assert_eq!(read, t);
/// assert!(Timestamp::from_unix(253_402_300_800).is_err()); // year 10000
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Timestamp {
    unix: i64,
}

impl Timestamp {
    /// The time `secs` seconds after 1970-01-01T00:00:00Z (negative: before), within
    /// years 0000–9999.
    ///
    /// # Errors
    ///
    /// [`ContextError::TimeOutOfRange`] outside years 0000–9999.
    pub fn from_unix(secs: i64) -> Result<Timestamp, ContextError> {
        if (MIN_UNIX..=MAX_UNIX).contains(&secs) {
            Ok(Timestamp { unix: secs })
        } else {
            Err(ContextError::TimeOutOfRange(secs))
        }
    }

    /// A `SystemTime`, truncated to whole seconds (toward the past).
    ///
    /// # Errors
    ///
    /// [`ContextError::TimeOutOfRange`] outside years 0000–9999.
    pub fn from_system_time(t: SystemTime) -> Result<Timestamp, ContextError> {
        let secs = match t.duration_since(UNIX_EPOCH) {
            Ok(d) => i64::try_from(d.as_secs()).unwrap_or(i64::MAX),
            Err(e) => {
                let d = e.duration();
                let whole = i64::try_from(d.as_secs()).unwrap_or(i64::MAX);
                // 1.5 s before the epoch is second -2.
                let carry = i64::from(d.subsec_nanos() > 0);
                whole.saturating_neg().saturating_sub(carry)
            }
        };
        Timestamp::from_unix(secs)
    }

    /// Seconds since 1970-01-01T00:00:00Z.
    pub fn unix(self) -> i64 {
        self.unix
    }

    /// (year, month, day, hour, minute, second), UTC.
    fn civil(self) -> (i64, u32, u32, u32, u32, u32) {
        let days = self.unix.div_euclid(86_400);
        let sod = self.unix.rem_euclid(86_400);
        // Howard Hinnant's days-to-civil.
        let z = days + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z.rem_euclid(146_097);
        let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let d = doy - (153 * mp + 2) / 5 + 1;
        let m = if mp < 10 { mp + 3 } else { mp - 9 };
        let y = yoe + era * 400 + i64::from(m <= 2);
        // Every value below is in its small range by construction.
        let small = |v: i64| u32::try_from(v).unwrap_or(0);
        (
            y,
            small(m),
            small(d),
            small(sod / 3_600),
            small(sod % 3_600 / 60),
            small(sod % 60),
        )
    }
}

impl fmt::Display for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (y, mo, d, h, mi, s) = self.civil();
        write!(f, "{y:04}-{mo:02}-{d:02}T{h:02}:{mi:02}:{s:02}Z")
    }
}

impl Serialize for Timestamp {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// What the caller knows that the body does not: the image id to use when the body
/// has none, the owner project, and the current time. The crate reads no clock and
/// draws no random numbers.
///
/// ```
/// use ims_image_meta::{Context, Timestamp};
///
/// let now = Timestamp::from_system_time(std::time::SystemTime::now())?;
/// let ctx = Context::new("4ca46bf1-5c61-48ff-b4f3-0ad4e5e3ba86", "my-project", now)?;
/// assert_eq!(ctx.owner(), "my-project");
/// assert!(Context::new("not-a-uuid", "my-project", now).is_err());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Context {
    image_id: String,
    owner: String,
    now: Timestamp,
}

impl Context {
    /// A context; `image_id` must be a UUID (8-4-4-4-12 hex, any case), `owner` not
    /// empty.
    ///
    /// # Errors
    ///
    /// [`ContextError::BadImageId`] or [`ContextError::EmptyOwner`].
    pub fn new(
        image_id: impl Into<String>,
        owner: impl Into<String>,
        now: Timestamp,
    ) -> Result<Context, ContextError> {
        let image_id = image_id.into();
        let owner = owner.into();
        if !crate::uuid::is_uuid(&image_id) {
            return Err(ContextError::BadImageId(image_id));
        }
        if owner.is_empty() {
            return Err(ContextError::EmptyOwner);
        }
        Ok(Context {
            image_id,
            owner,
            now,
        })
    }

    /// The image id used when the body has none.
    pub fn image_id(&self) -> &str {
        &self.image_id
    }

    /// The owner project id.
    pub fn owner(&self) -> &str {
        &self.owner
    }

    /// The time the record is created (and updated) at.
    pub fn now(&self) -> Timestamp {
        self.now
    }
}

/// The image record the service answers with (the 201 body).
///
/// Serializes to the documented JSON: the fields below, the link fields `self`, `file`,
/// `schema`, the constant service fields, and each extension and custom property at the
/// top level.
///
/// A client reads a 201 answer back with serde: every field above is required and
/// checked; the constant service fields must be strings (kept in [`Record::service`]
/// only when they differ from the record's constants); other keys the service sets
/// (`size`, `virtual_size`, `checksum`, …) and reserved keys are kept as read in
/// [`Record::service`] and written back; any other key is a custom property and must
/// hold a string.
///
/// ```
/// use ims_image_meta::{Record, values::{OsBit, Platform}};
///
/// let answer = r#"{
///     "id": "4ca46bf1-5c61-48ff-b4f3-0ad4e5e3ba86", "name": "test", "status": "queued",
///     "visibility": "private", "protected": false, "container_format": "bare",
///     "disk_format": "vhd", "tags": ["test", "image"], "min_ram": 1024, "min_disk": 40,
///     "created_at": "2016-06-02T07:49:48Z", "updated_at": "2016-06-02T07:49:49Z",
///     "self": "/v2/images/4ca46bf1-5c61-48ff-b4f3-0ad4e5e3ba86",
///     "file": "/v2/images/4ca46bf1-5c61-48ff-b4f3-0ad4e5e3ba86/file",
///     "schema": "/v2/schemas/image", "owner": "b912fb4a4c464b568ecfca1071b21b10",
///     "__os_version": "Ubuntu 14.04 server 64bit", "__os_type": "Linux",
///     "__platform": "Ubuntu", "__os_bit": "64", "__image_source_type": "uds",
///     "__image_size": "0", "__isregistered": "true", "__imagetype": "private",
///     "virtual_env_type": "FusionCompute", "virtual_size": null, "aaaa": "11111"
/// }"#;
/// let record: Record = serde_json::from_str(answer)?;
/// assert_eq!((&record.platform, record.os_bit), (&Platform::Ubuntu, OsBit::Bit64));
/// assert_eq!(record.properties, [("aaaa".to_owned(), "11111".to_owned())]);
/// assert_eq!(record.self_link(), "/v2/images/4ca46bf1-5c61-48ff-b4f3-0ad4e5e3ba86");
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Record {
    /// `id`: the body's, else the context's.
    pub id: String,
    /// `name` (`""` when the body had none).
    pub name: String,
    /// `protected`.
    pub protected: bool,
    /// `disk_format`.
    pub disk_format: DiskFormat,
    /// `tags`, each once.
    pub tags: Vec<String>,
    /// `min_ram`, MB.
    pub min_ram: u32,
    /// `min_disk`, GB.
    pub min_disk: u32,
    /// `__os_version`.
    pub os_version: String,
    /// `__os_type`, from the catalog.
    pub os_type: OsType,
    /// `__platform`, from the catalog.
    pub platform: Platform,
    /// `__os_bit`, from the catalog (written `"32"` / `"64"`).
    pub os_bit: OsBit,
    /// `created_at`.
    pub created_at: Timestamp,
    /// `updated_at` (equal to `created_at` on create).
    pub updated_at: Timestamp,
    /// `owner`: the context's project id.
    pub owner: String,
    /// The known extension properties, echoed when given.
    pub extensions: Extensions,
    /// Custom properties, as given, in body order.
    pub properties: Vec<(String, String)>,
    /// What an image read back carries that the record does not derive itself, as
    /// read, in order: the keys the service sets (`size`, `checksum`, `locations`, …)
    /// and reserved keys, with their JSON values, and a constant key (`status`,
    /// `visibility`, `self`, …) whose value differs from the record's constant (an
    /// `"active"` image). Written back as read (a value given here replaces the
    /// constant), so that an image read, updated (`update`) and written again keeps
    /// them. Empty for a record derived from a create body.
    pub service: Vec<(String, serde_json::Value)>,
}

/// Deriving the record lives with the record: the request knows nothing of it.
impl CreateRequest<'_> {
    /// The 201 record for this request in `ctx` (clones; see [`CreateRequest::into_record`]).
    pub fn derive(&self, ctx: &Context) -> Record {
        self.clone().into_record(ctx)
    }

    /// The 201 record for this request in `ctx`, consuming the request.
    pub fn into_record(self, ctx: &Context) -> Record {
        Record::from_request(self, ctx)
    }
}

impl Record {
    /// The one value of the field of that name (the field table's).
    pub const VISIBILITY: &'static str = fixed(Field::Visibility);
    /// The one value of the field of that name (the field table's).
    pub const CONTAINER_FORMAT: &'static str = fixed(Field::ContainerFormat);
    /// `status` of a new image: `"queued"`.
    pub const STATUS: &'static str = "queued";
    /// `schema`.
    pub const SCHEMA: &'static str = "/v2/schemas/image";
    /// `__image_source_type`.
    pub const IMAGE_SOURCE_TYPE: &'static str = "uds";
    /// `__image_size` of an image with no file yet.
    pub const IMAGE_SIZE: &'static str = "0";
    /// `__isregistered`.
    pub const IS_REGISTERED: &'static str = "true";
    /// `__imagetype`.
    pub const IMAGE_TYPE: &'static str = "private";
    /// `virtual_env_type` of a server image.
    pub const VIRTUAL_ENV_TYPE: &'static str = "FusionCompute";

    pub(crate) fn from_request(req: CreateRequest<'_>, ctx: &Context) -> Record {
        Record {
            id: req.id.map_or_else(|| ctx.image_id.clone(), Cow::into_owned),
            name: req.name.map(Cow::into_owned).unwrap_or_default(),
            protected: req.protected,
            disk_format: req.disk_format,
            tags: req.tags.into_iter().map(Cow::into_owned).collect(),
            min_ram: req.min_ram,
            min_disk: req.min_disk,
            os_type: req.os.os_type(),
            platform: req.os.platform().clone(),
            os_bit: req.os.bit(),
            os_version: req.os.version().to_owned(),
            created_at: ctx.now,
            updated_at: ctx.now,
            owner: ctx.owner.clone(),
            extensions: req.extensions.map_text(Cow::into_owned),
            properties: req
                .properties
                .into_iter()
                .map(|(k, v)| (k.into_owned(), v.into_owned()))
                .collect(),
            service: Vec::new(),
        }
    }

    /// The value [`Record::service`] gives `key`, if any.
    pub(crate) fn service_value(&self, key: &str) -> Option<&serde_json::Value> {
        self.service.iter().find(|(k, _)| k == key).map(|(_, v)| v)
    }

    /// `self`: `/v2/images/{id}`.
    pub fn self_link(&self) -> String {
        format!("/v2/images/{}", self.id)
    }

    /// `file`: `/v2/images/{id}/file`.
    pub fn file_link(&self) -> String {
        format!("/v2/images/{}/file", self.id)
    }

    /// The record as a JSON value.
    pub fn to_json_value(&self) -> serde_json::Value {
        // A Record holds only strings, integers, booleans and string lists: its
        // serialization cannot fail.
        serde_json::to_value(self).unwrap_or(serde_json::Value::Null)
    }
}

impl Serialize for Record {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(None)?;
        // A constant, or the value the image was read with (`service`).
        macro_rules! constant {
            ($key:expr, $value:expr) => {
                match self.service_value($key) {
                    Some(v) => m.serialize_entry($key, v)?,
                    None => m.serialize_entry($key, $value)?,
                }
            };
        }
        m.serialize_entry("id", &self.id)?;
        m.serialize_entry("name", &self.name)?;
        constant!("status", Self::STATUS);
        constant!(Field::Visibility.key(), Self::VISIBILITY);
        m.serialize_entry("protected", &self.protected)?;
        constant!(Field::ContainerFormat.key(), Self::CONTAINER_FORMAT);
        m.serialize_entry("disk_format", &self.disk_format)?;
        m.serialize_entry("tags", &self.tags)?;
        m.serialize_entry("min_ram", &self.min_ram)?;
        m.serialize_entry("min_disk", &self.min_disk)?;
        m.serialize_entry("created_at", &self.created_at)?;
        m.serialize_entry("updated_at", &self.updated_at)?;
        constant!("self", &format_args!("/v2/images/{}", self.id));
        constant!("file", &format_args!("/v2/images/{}/file", self.id));
        constant!("schema", Self::SCHEMA);
        m.serialize_entry("owner", &self.owner)?;
        m.serialize_entry("__os_version", &self.os_version)?;
        m.serialize_entry("__os_type", &self.os_type)?;
        m.serialize_entry("__platform", &self.platform)?;
        m.serialize_entry("__os_bit", &self.os_bit)?;
        constant!("__image_source_type", Self::IMAGE_SOURCE_TYPE);
        constant!("__image_size", Self::IMAGE_SIZE);
        constant!("__isregistered", Self::IS_REGISTERED);
        constant!("__imagetype", Self::IMAGE_TYPE);
        constant!("virtual_env_type", Self::VIRTUAL_ENV_TYPE);
        for (k, v) in &self.service {
            if !is_constant_key(k) {
                m.serialize_entry(k, v)?;
            }
        }
        self.extensions.serialize_entries(&mut m)?;
        for (k, v) in &self.properties {
            m.serialize_entry(k, v)?;
        }
        m.end()
    }
}

/// The record's keys whose value is a constant of [`Record`] (or, for `self` and
/// `file`, derived from its id), unless [`Record::service`] gives another: these, and
/// the fixed-value fields of the field table ([`is_constant_key`]).
pub(crate) const SERVICE_CONSTANT_KEYS: &[&str] = &[
    "status",
    "schema",
    "self",
    "file",
    "__image_source_type",
    "__image_size",
    "__isregistered",
    "__imagetype",
    "virtual_env_type",
];

/// Whether the record writes `key` as a constant: a service constant, or a field of
/// fixed value.
pub(crate) fn is_constant_key(key: &str) -> bool {
    SERVICE_CONSTANT_KEYS.contains(&key)
        || Field::ALL
            .iter()
            .any(|f| f.fixed().is_some() && f.key() == key)
}

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

/// The one value of a field of fixed value, in a constant (a field without one fails
/// the build).
const fn fixed(f: Field) -> &'static str {
    match f.fixed() {
        Some(v) => v,
        None => panic!("not a field of fixed value"),
    }
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

#[cfg(test)]
mod tests;
