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

    /// Reads an image stored as JSON (what [`Record::write_json`] wrote, or any record
    /// a server keeps): the road of a server that reads an image, patches it and
    /// writes it back. The same as `serde_json::from_slice::<Record>`. (Reading from
    /// a `&str` after one vectorized UTF-8 check cut 5,200 of the 43,000 instructions
    /// of that road, but its second use of serde_json's `str` reader cost `validate`
    /// ~300 instructions on the sample, 3.6%, by how the compiler then inlined that
    /// reader: measured, and not taken.)
    ///
    /// # Errors
    ///
    /// serde_json's error, with its line and column: not UTF-8, not JSON, or not a
    /// record (a required field missing, a value of the wrong type, a key twice).
    pub fn from_json(bytes: &[u8]) -> Result<Record, serde_json::Error> {
        serde_json::from_slice(bytes)
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
        for (key, slot) in keys::ORDER {
            // A constant or a link: the value the image was read with, if any.
            let read = match slot {
                Slot::Own(_) => None,
                _ => self.service_value(key),
            };
            match (slot, read) {
                (_, Some(v)) => m.serialize_entry(key, v)?,
                (Slot::Constant(c) | Slot::Service(c, _), None) => m.serialize_entry(key, c)?,
                (Slot::Link(tail), None) => {
                    m.serialize_entry(key, &format_args!("/v2/images/{}{tail}", self.id))?;
                }
                (Slot::Own(own), None) => match own {
                    Own::Id => m.serialize_entry(key, &self.id)?,
                    Own::Name => m.serialize_entry(key, &self.name)?,
                    Own::Protected => m.serialize_entry(key, &self.protected)?,
                    Own::DiskFormat => m.serialize_entry(key, &self.disk_format)?,
                    Own::Tags => m.serialize_entry(key, &self.tags)?,
                    Own::MinRam => m.serialize_entry(key, &self.min_ram)?,
                    Own::MinDisk => m.serialize_entry(key, &self.min_disk)?,
                    Own::CreatedAt => m.serialize_entry(key, &self.created_at)?,
                    Own::UpdatedAt => m.serialize_entry(key, &self.updated_at)?,
                    Own::Owner => m.serialize_entry(key, &self.owner)?,
                    Own::OsVersion => m.serialize_entry(key, &self.os_version)?,
                    Own::OsType => m.serialize_entry(key, &self.os_type)?,
                    Own::Platform => m.serialize_entry(key, &self.platform)?,
                    Own::OsBit => m.serialize_entry(key, &self.os_bit)?,
                },
            }
        }
        // The service's other keys, in the order read.
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

pub(crate) mod keys;
pub(crate) use keys::is_constant_key;
use keys::{Own, Slot};

mod write;

/// The one value of a field of fixed value, in a constant (a field without one fails
/// the build).
const fn fixed(f: Field) -> &'static str {
    match f.fixed() {
        Some(v) => v,
        None => panic!("not a field of fixed value"),
    }
}

#[cfg(test)]
mod tests;
