//! `Deserialize` for what a client reads back: the 201 [`Record`], the [`Report`] of a
//! rejected body, its [`Violation`]s and [`Code`]s, the value enums and [`Timestamp`].
//!
//! Every impl reads exactly what the matching `Serialize` impl writes, so that
//! serialize → deserialize gives an equal value. Input is untrusted: a wrong type, a
//! missing field, a repeated key, an unknown code or enum value is a serde error (never
//! a panic, never a silent default).
//!
//! What is kept, and what is not, by design:
//!
//! - the record's constant fields (the fixed-value fields of the field table, `status`,
//!   `schema`, `self`, `file`, `__image_source_type`, `__image_size`, `__isregistered`,
//!   `__imagetype`, `virtual_env_type`) must be strings; [`Record`] writes them from its
//!   constants, so a value is kept (in [`Record::service`]) only when it differs from
//!   the constant (`"status": "active"`). Other keys the service sets (`size`,
//!   `virtual_size`, `checksum`, … — [`READ_ONLY`](crate::keys::READ_ONLY)) and
//!   reserved keys are kept whatever their value, in [`Record::service`], and written
//!   back, so that a real answer reads and an update keeps them;
//! - unknown keys of a report or a violation are skipped (a newer server may add
//!   fields); every known one is required and checked.

use std::borrow::Cow;
use std::fmt;

use serde::de::{
    self, Deserialize, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, Unexpected, Visitor,
};

use crate::code::Code;
use crate::keys::Extensions;
use crate::message::Detail;
use crate::record::{Record, Timestamp};
use crate::report::IMS_CODES;
use crate::report::{status_of, Report, Violation};
// Keys and the constants' values are read borrowed when they hold no escape: reading
// an image allocates only for what the record keeps.
use crate::scan::walk::KeySeed;
use crate::values::{DiskFormat, OsBit, OsType, Platform};

/// A platform is any non-empty spelling: one this crate does not list is kept as the
/// service spells it ([`Platform::Unlisted`]).
impl<'de> Deserialize<'de> for Platform {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        // Borrowed when it holds no escape (serde's `Cow<str>` always copies).
        let s = KeySeed.deserialize(d)?;
        Platform::from_wire(&s)
            .ok_or_else(|| de::Error::invalid_value(Unexpected::Str(&s), &"a non-empty __platform"))
    }
}

impl<'de> Deserialize<'de> for Timestamp {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = Timestamp;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a UTC time written YYYY-MM-DDTHH:MM:SSZ, years 0000-9999")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Timestamp, E> {
                parse_timestamp(v).ok_or_else(|| E::invalid_value(Unexpected::Str(v), &self))
            }
        }
        d.deserialize_str(V)
    }
}

/// `YYYY-MM-DDTHH:MM:SSZ`, exactly as [`Timestamp`]'s `Display` writes it.
fn parse_timestamp(s: &str) -> Option<Timestamp> {
    let b = s.as_bytes();
    if b.len() != 20 || b[4] != b'-' || b[7] != b'-' || b[10] != b'T' || b[13] != b':' {
        return None;
    }
    if b[16] != b':' || b[19] != b'Z' {
        return None;
    }
    let num = |from: usize, to: usize| -> Option<i64> {
        let digits = b.get(from..to)?;
        digits.iter().try_fold(0i64, |acc, &c| {
            c.is_ascii_digit().then(|| acc * 10 + i64::from(c - b'0'))
        })
    };
    let (y, mo, d) = (num(0, 4)?, num(5, 7)?, num(8, 10)?);
    let (h, mi, sec) = (num(11, 13)?, num(14, 16)?, num(17, 19)?);
    let leap = y % 4 == 0 && (y % 100 != 0 || y % 400 == 0);
    let month_days = match mo {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return None,
    };
    if !(1..=month_days).contains(&d) || h > 23 || mi > 59 || sec > 59 {
        return None;
    }
    // Howard Hinnant's days-from-civil (the inverse of the record's days-to-civil).
    let y = if mo <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y.rem_euclid(400);
    let mp = (mo + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days = era * 146_097 + doe - 719_468;
    Timestamp::from_unix(days * 86_400 + h * 3_600 + mi * 60 + sec).ok()
}

/// An IMS code, as the static string a [`Violation`] holds.
struct ImsCode(&'static str);

impl<'de> Deserialize<'de> for ImsCode {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = ImsCode;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, "an IMS error code (one of {})", IMS_CODES.join(", "))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<ImsCode, E> {
                IMS_CODES
                    .iter()
                    .copied()
                    .find(|c| *c == v)
                    .map(ImsCode)
                    .ok_or_else(|| E::invalid_value(Unexpected::Str(v), &self))
            }
        }
        d.deserialize_str(V)
    }
}

/// Whether `p` is an RFC 6901 JSON Pointer: empty, or `/`-separated tokens in which
/// `~` is only ever `~0` or `~1`.
fn is_pointer(p: &str) -> bool {
    (p.is_empty() || p.starts_with('/'))
        && p.split('~')
            .skip(1)
            .all(|rest| rest.starts_with('0') || rest.starts_with('1'))
}

impl<'de> Deserialize<'de> for Violation {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        const FIELDS: &[&str] = &["pointer", "code", "message", "ims_code", "params"];
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Violation;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a violation {\"pointer\", \"code\", \"message\", \"ims_code\"}")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Violation, A::Error> {
                let mut pointer: Option<String> = None;
                let mut code: Option<Code> = None;
                let mut message: Option<String> = None;
                let mut ims: Option<Option<ImsCode>> = None;
                let mut params: Option<serde_json::Map<String, serde_json::Value>> = None;
                while let Some(key) = map.next_key_seed(KeySeed)? {
                    match &*key {
                        "pointer" => set(&mut pointer, "pointer", map.next_value()?)?,
                        "code" => set(&mut code, "code", map.next_value()?)?,
                        "message" => set(&mut message, "message", map.next_value()?)?,
                        "ims_code" => set(&mut ims, "ims_code", map.next_value()?)?,
                        "params" => set(&mut params, "params", map.next_value()?)?,
                        _ => {
                            map.next_value::<IgnoredAny>()?;
                        }
                    }
                }
                let pointer = pointer.ok_or_else(|| de::Error::missing_field(FIELDS[0]))?;
                if !is_pointer(&pointer) {
                    return Err(de::Error::invalid_value(
                        Unexpected::Str(&pointer),
                        &"a JSON Pointer (RFC 6901)",
                    ));
                }
                let code = code.ok_or_else(|| de::Error::missing_field(FIELDS[1]))?;
                let message = message.ok_or_else(|| de::Error::missing_field(FIELDS[2]))?;
                let ims = ims.ok_or_else(|| de::Error::missing_field(FIELDS[3]))?;
                Ok(Violation::new(
                    pointer.into(),
                    crate::message::Subject::None,
                    code,
                    Detail::Text(Cow::Owned(message), params.map(Box::new)),
                    ims.map(|c| c.0),
                ))
            }
        }
        d.deserialize_struct("Violation", FIELDS, V)
    }
}

impl<'de> Deserialize<'de> for Report {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        const FIELDS: &[&str] = &["status", "violations", "truncated", "total"];
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Report;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a report {\"status\", \"violations\"}")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Report, A::Error> {
                let mut status: Option<u16> = None;
                let mut violations: Option<Vec<Violation>> = None;
                let mut total: Option<usize> = None;
                while let Some(key) = map.next_key_seed(KeySeed)? {
                    match &*key {
                        "status" => set(&mut status, "status", map.next_value()?)?,
                        "violations" => set(&mut violations, "violations", map.next_value()?)?,
                        "total" => set(&mut total, "total", map.next_value()?)?,
                        _ => {
                            map.next_value::<IgnoredAny>()?;
                        }
                    }
                }
                let status = status.ok_or_else(|| de::Error::missing_field(FIELDS[0]))?;
                let violations = violations.ok_or_else(|| de::Error::missing_field(FIELDS[1]))?;
                if violations.is_empty() {
                    return Err(de::Error::invalid_length(0, &"at least one violation"));
                }
                let kept = violations.len();
                let total = total.unwrap_or(kept);
                if total < kept {
                    return Err(de::Error::custom(format_args!(
                        "total {total} is less than the {kept} violations kept"
                    )));
                }
                // A truncated report's status comes from violations it left out too:
                // it can only rank at or above what the kept ones give.
                let rank = |s: u16| crate::report::STATUS_RANK.iter().position(|&x| x == s);
                let given = status_of(&violations);
                let fits = if total == kept {
                    status == given
                } else {
                    rank(status) >= rank(given) && rank(status).is_some()
                };
                if !fits {
                    return Err(de::Error::custom(format_args!(
                        "status {status} does not match the violations, which give {given}"
                    )));
                }
                Ok(Report::kept(status, violations, total))
            }
        }
        d.deserialize_struct("Report", FIELDS, V)
    }
}

/// Stores a field's value, refusing a second one.
fn set<T, E: de::Error>(slot: &mut Option<T>, name: &'static str, value: T) -> Result<(), E> {
    if slot.is_some() {
        return Err(E::duplicate_field(name));
    }
    *slot = Some(value);
    Ok(())
}

use crate::record::keys::{self, Own, Slot, ORDER};

impl<'de> Deserialize<'de> for Record {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_map(RecordVisitor)
    }
}

struct RecordVisitor;

/// The record's members of its own (its rows of `Slot::Own`), one row each: the
/// [`Record`] member and its type. [`RecordFields`], their reading and the record made
/// of them.
macro_rules! required_fields {
    ($($field:ident: $ty:ty = $own:ident,)+) => {
        /// The required fields read so far.
        #[derive(Default)]
        struct RecordFields {
            $($field: Option<$ty>,)+
        }

        impl RecordFields {
            /// The members in the order their missing is told: the record's.
            #[cfg(test)]
            const ROWS: &[Own] = &[$(Own::$own,)+];

            /// Reads the value of `key`, the member `own`'s.
            fn read<'de, A: MapAccess<'de>>(
                &mut self,
                own: Own,
                key: &'static str,
                map: &mut A,
            ) -> Result<(), A::Error> {
                match own {
                    $(Own::$own => set(&mut self.$field, key, map.next_value()?),)+
                }
            }

            /// The record, or the first required field missing (in the record's order).
            fn finish<E: de::Error>(
                self,
                extensions: Extensions,
                properties: Vec<(String, String)>,
                service: Vec<(String, serde_json::Value)>,
            ) -> Result<Record, E> {
                Ok(Record {
                    $($field: self.$field.ok_or_else(|| E::missing_field(keys::key_of(Own::$own)))?,)+
                    extensions,
                    properties,
                    service,
                })
            }
        }
    };
}

required_fields! {
    id: String = Id,
    name: String = Name,
    protected: bool = Protected,
    disk_format: DiskFormat = DiskFormat,
    tags: Vec<String> = Tags,
    min_ram: u32 = MinRam,
    min_disk: u32 = MinDisk,
    created_at: Timestamp = CreatedAt,
    updated_at: Timestamp = UpdatedAt,
    owner: String = Owner,
    os_version: String = OsVersion,
    os_type: OsType = OsType,
    platform: Platform = Platform,
    os_bit: OsBit = OsBit,
}

impl<'de> Visitor<'de> for RecordVisitor {
    type Value = Record;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an image record (the 201 body of POST /v2/images)")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Record, A::Error> {
        let mut r = RecordFields::default();
        let mut extensions = Extensions::default();
        let mut seen_constants = [false; ORDER.len()];
        let mut properties: Vec<(String, String)> = Vec::new();
        let mut service: Vec<(String, serde_json::Value)> = Vec::new();
        while let Some(key) = map.next_key_seed(KeySeed)? {
            match keys::row(&key) {
                Some((_, Slot::Own(own), name)) => r.read(own, name, &mut map)?,
                Some((i, slot, name)) => {
                    // A constant (or a link): must be a string, kept only when it is
                    // not the record's own (a link once the id is known: here when it
                    // came first, else below).
                    if seen_constants
                        .get_mut(i)
                        .map(|s| std::mem::replace(s, true))
                        == Some(true)
                    {
                        return Err(de::Error::duplicate_field(name));
                    }
                    let value = map.next_value_seed(KeySeed)?;
                    let kept = match slot {
                        Slot::Constant(own) | Slot::Service(own, _) => own != &*value,
                        // (An own member's was read above.)
                        Slot::Link(_) | Slot::Own(_) => {
                            !r.id.as_deref().is_some_and(|id| links(name, &value, id))
                        }
                    };
                    if kept {
                        service.push((key.into_owned(), value.into_owned().into()));
                    }
                }
                None if extensions.deserialize_entry(&key, &mut map)? => {}
                None => {
                    let k = &*key;
                    if crate::keys::READ_ONLY.contains(&k)
                        || crate::keys::RESERVED.contains(&k)
                        || k.starts_with(crate::keys::RESERVED_PREFIX)
                    {
                        let value: serde_json::Value = map.next_value()?;
                        service.push((key.into_owned(), value));
                    } else {
                        let value: String = map.next_value()?;
                        properties.push((key.into_owned(), value));
                    }
                }
            }
        }
        // A repeated custom or service key: found by sorting, not by a quadratic search.
        // Each key sorts after its first 8 bytes as an integer (`prefix8`).
        let mut keys: Vec<(u64, &str)> = properties
            .iter()
            .map(|(k, _)| k.as_str())
            .chain(service.iter().map(|(k, _)| k.as_str()))
            .map(|k| (crate::chars::prefix8(k), k))
            .collect();
        keys.sort_unstable();
        if let Some(w) = keys.windows(2).find(|w| w[0] == w[1]) {
            return Err(de::Error::custom(format_args!(
                "duplicate custom property `{}`",
                w[0].1
            )));
        }
        let mut record: Record = r.finish(extensions, properties, service)?;
        let id = record.id.as_str();
        record
            .service
            .retain(|(k, v)| !v.as_str().is_some_and(|v| links(k, v, id)));
        Ok(record)
    }
}

/// Whether `value` of the constant `key` is the record's own link for `id` (`self`:
/// `/v2/images/ID`, `file`: `/v2/images/ID/file`).
fn links(key: &str, value: &str, id: &str) -> bool {
    let tail = match key {
        "self" => "",
        "file" => "/file",
        _ => return false,
    };
    let rest = value.strip_prefix("/v2/images/");
    rest.and_then(|r| r.strip_suffix(tail)) == Some(id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamps_parse_what_they_print() {
        for secs in [
            0,
            -1,
            1_464_853_788,
            951_782_400,
            4_107_542_400,
            -62_167_219_200,
            253_402_300_799,
        ] {
            let t = Timestamp::from_unix(secs).unwrap();
            assert_eq!(parse_timestamp(&t.to_string()), Some(t), "{t}");
        }
        for bad in [
            "2016-06-02T07:49:48",
            "2016-06-02 07:49:48Z",
            "2016-02-30T00:00:00Z",
            "2100-02-29T00:00:00Z",
            "2016-13-01T00:00:00Z",
            "2016-06-02T24:00:00Z",
            "2016-06-02T07:60:00Z",
            "2016-06-02T07:49:60Z",
            "+016-06-02T07:49:48Z",
            "2016-06-02T07:49:4８Z",
            "",
        ] {
            assert_eq!(parse_timestamp(bad), None, "{bad}");
        }
        assert!(parse_timestamp("2000-02-29T00:00:00Z").is_some());
    }

    #[test]
    fn a_record_requires_its_own_members_in_its_order() {
        let own: Vec<Own> = ORDER
            .iter()
            .filter_map(|(_, s)| match s {
                Slot::Own(o) => Some(*o),
                _ => None,
            })
            .collect();
        assert_eq!(RecordFields::ROWS, own);
    }

    #[test]
    fn pointers_are_checked() {
        for ok in ["", "/", "/a~0b", "/a~1b/0", "/tags/3"] {
            assert!(is_pointer(ok), "{ok}");
        }
        for bad in ["a", "/a~", "/a~2", "~0"] {
            assert!(!is_pointer(bad), "{bad}");
        }
    }

    #[test]
    fn every_ims_code_the_scan_names_is_known() {
        // The codes are spread over the scan; a body per code proves each is readable.
        let rules = crate::Rules::default();
        let bodies: &[&[u8]] = &[
            b"{",
            b"",
            br#"{"name": "a*"}"#,
            br#"{"min_disk": 1}"#,
            br#"{"__os_version": "x"}"#,
            br#"{"tags": [""]}"#,
        ];
        for body in bodies {
            let report = crate::validate(body, &rules).unwrap_err();
            for v in report.violations() {
                if let Some(c) = v.ims_code() {
                    assert!(IMS_CODES.contains(&c), "{c}");
                }
            }
        }
    }
}
