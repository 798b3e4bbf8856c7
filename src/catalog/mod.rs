//! The `__os_version` catalog: which values a request may send, and what each derives.

use std::borrow::Cow;
use std::collections::HashMap;
use std::fmt;
use std::sync::{Arc, LazyLock};

pub(crate) mod near;

use crate::chars;
use crate::values::{OsBit, OsType, Platform};
use near::{squash, NearIndex};

/// The built-in catalog's source: `data/os_versions.csv`, embedded at compile time.
pub const BUILTIN_CSV: &str = include_str!("../../data/os_versions.csv");

/// One `__os_version` value and the fields it derives.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct OsVersion {
    version: Cow<'static, str>,
    os_type: OsType,
    platform: Platform,
    bit: OsBit,
}

impl OsVersion {
    /// A catalog row: the exact `__os_version` string and what it derives.
    #[must_use]
    pub fn new(
        version: impl Into<Cow<'static, str>>,
        os_type: OsType,
        platform: Platform,
        bit: OsBit,
    ) -> Self {
        OsVersion {
            version: version.into(),
            os_type,
            platform,
            bit,
        }
    }

    /// The exact `__os_version` string a request sends.
    pub fn version(&self) -> &str {
        &self.version
    }

    /// The derived `__os_type`.
    pub fn os_type(&self) -> OsType {
        self.os_type
    }

    /// The derived `__platform` (a listed one, or one kept as the service spells it).
    pub fn platform(&self) -> &Platform {
        &self.platform
    }

    /// The derived `__os_bit`.
    pub fn bit(&self) -> OsBit {
        self.bit
    }
}

impl fmt::Display for OsVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.version)
    }
}

/// Why a catalog could not be built from rows, CSV or the service's JSON: the row and
/// the reason.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum CatalogError {
    /// A CSV line is not a catalog row (or the first line is not the header).
    #[error("catalog CSV line {line}: {reason}")]
    Csv {
        /// 1-based line number.
        line: usize,
        /// What is wrong with it.
        reason: String,
    },
    /// The `GET /v1/cloudimages/os_version` JSON is not of the documented shape, or one
    /// of its entries is not a catalog row.
    #[error("os_version JSON{}: {reason}", at_suffix(.at))]
    Json {
        /// Where: `[G].version_list[I]` for an entry (0-based), empty for the document.
        at: String,
        /// What is wrong there.
        reason: String,
    },
    /// A row given to [`Catalog::from_rows`] is not a catalog row.
    #[error("catalog row {row}: {reason}")]
    Row {
        /// 1-based position among the rows.
        row: usize,
        /// What is wrong with it.
        reason: String,
    },
    /// No row at all: a catalog that allows no `__os_version` is a mistake, not a rule.
    #[error("catalog is empty: it has no os_version rows")]
    Empty,
}

fn at_suffix(at: &str) -> String {
    if at.is_empty() {
        String::new()
    } else {
        format!(" {at}")
    }
}

/// Where a row came from, for its errors.
#[derive(Debug, Clone, Copy)]
enum Place {
    Line(usize),
    Entry(usize, usize),
    Row(usize),
}

impl Place {
    fn err(self, reason: impl Into<String>) -> CatalogError {
        let reason = reason.into();
        match self {
            Place::Line(line) => CatalogError::Csv { line, reason },
            Place::Entry(g, i) => CatalogError::Json {
                at: format!("[{g}].version_list[{i}]"),
                reason,
            },
            Place::Row(row) => CatalogError::Row { row, reason },
        }
    }
}

/// The longest `__os_version` a catalog may hold, in chars (the field's column).
pub(crate) const VERSION_MAX_CHARS: usize = 255;

/// Why `version` cannot be an `__os_version` value: blank, NUL, other control
/// characters, 4-byte characters, or longer than [`VERSION_MAX_CHARS`]. `None` when it
/// can.
pub(crate) fn version_fault(version: &str) -> Option<String> {
    if version.trim().is_empty() {
        return Some("os_version is blank".to_owned());
    }
    if let Some(c) = version.chars().find(|&c| c.is_control() || c > '\u{FFFF}') {
        let what = match c {
            '\0' => "NUL",
            c if c.is_control() => "a control character",
            _ => "a 4-byte character",
        };
        return Some(format!(
            "os_version '{}' holds {what} (U+{:04X})",
            version.escape_debug(),
            u32::from(c)
        ));
    }
    let chars = version.chars().count();
    if chars > VERSION_MAX_CHARS {
        return Some(format!(
            "os_version '{}' is {chars} characters long, at most {VERSION_MAX_CHARS} allowed",
            chars::excerpt(version, 40)
        ));
    }
    None
}

/// A multiply-xorshift hash that reads 8 bytes at a time: the catalog's keys are
/// short, trusted strings, and the lookup is on the hot path of every body with an
/// `__os_version`. SipHash's flood resistance buys nothing here: the key set is fixed
/// when the catalog is built, so an input can only probe it, never grow a chain.
#[derive(Default)]
struct WordHash(u64);

impl WordHash {
    fn mix(h: u64, word: u64) -> u64 {
        let h = (h ^ word).wrapping_mul(0x9E37_79B9_7F4A_7C15);
        h ^ (h >> 29)
    }
}

impl std::hash::Hasher for WordHash {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        let mut h = Self::mix(self.0, bytes.len() as u64);
        let mut chunks = bytes.chunks_exact(8);
        for chunk in &mut chunks {
            let mut word = [0u8; 8];
            word.copy_from_slice(chunk);
            h = Self::mix(h, u64::from_le_bytes(word));
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            let mut word = [0u8; 8];
            word[..rest.len()].copy_from_slice(rest);
            h = Self::mix(h, u64::from_le_bytes(word));
        }
        self.0 = h;
    }
}

type Index = HashMap<Box<str>, usize, std::hash::BuildHasherDefault<WordHash>>;

#[derive(Debug)]
struct Inner {
    entries: Vec<OsVersion>,
    index: Index,
    /// The longest value, in bytes: a longer input is refused without hashing it.
    longest: usize,
    /// What the suggestions need, computed once.
    near: NearIndex,
}

/// A set of allowed `__os_version` values, each with its derived fields.
///
/// Cheap to clone (shared). [`Catalog::builtin`] is the 199 values of
/// `data/os_versions.csv`; a server whose region lists other values builds its own with
/// [`Catalog::from_rows`], [`Catalog::from_csv`] or [`Catalog::from_os_version_json`].
/// Matching is exact and case-sensitive.
///
/// ```
/// use ims_image_meta::{Catalog, Rules, values::Platform};
///
/// let builtin = Catalog::builtin();
/// let ubuntu = builtin.get("Ubuntu 14.04 server 64bit").expect("built in");
/// assert_eq!(ubuntu.platform(), &Platform::Ubuntu);
/// assert!(builtin.get("ubuntu 14.04 server 64bit").is_none()); // case-sensitive
///
/// let rocky = Catalog::from_csv(
///     "os_version,os_type,platform,os_bit\nRocky Linux 9.3 64bit,Linux,Rocky,64\n",
/// )?;
/// assert_eq!(rocky.get("Rocky Linux 9.3 64bit").unwrap().platform().as_str(), "Rocky");
/// let rules = Rules::default().to_builder().catalog(rocky).build()?;
/// assert!(ims_image_meta::validate(br#"{"__os_version": "Rocky Linux 9.3 64bit"}"#, &rules).is_ok());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone)]
pub struct Catalog {
    inner: Arc<Inner>,
}

impl fmt::Debug for Catalog {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Catalog")
            .field("len", &self.inner.entries.len())
            .finish_non_exhaustive()
    }
}

impl PartialEq for Catalog {
    fn eq(&self, other: &Self) -> bool {
        Arc::ptr_eq(&self.inner, &other.inner) || self.inner.entries == other.inner.entries
    }
}

/// The header a catalog CSV starts with (further columns may follow).
const CSV_HEADER: [&str; 4] = ["os_version", "os_type", "platform", "os_bit"];

// The embedded CSV is compile-time data, checked by the tests: it cannot fail at run
// time unless the crate itself was built from a broken file.
static BUILTIN: LazyLock<Catalog> = LazyLock::new(|| {
    let rows = Catalog::parse_csv(BUILTIN_CSV, Cow::Borrowed)
        .unwrap_or_else(|e| panic!("built-in catalog: {e}"));
    Catalog::build(rows).unwrap_or_else(|e| panic!("built-in catalog: {e}"))
});

impl Catalog {
    /// The built-in catalog (embedded `data/os_versions.csv`, 199 values).
    #[must_use]
    pub fn builtin() -> Catalog {
        BUILTIN.clone()
    }

    /// A catalog of the given rows, in that order.
    ///
    /// # Errors
    ///
    /// [`CatalogError::Row`] naming the row (1-based), on a repeated value, or a value
    /// that is blank, holds NUL, another control character or a 4-byte character, or
    /// has more than 255 chars; [`CatalogError::Empty`] on no rows.
    pub fn from_rows(rows: impl IntoIterator<Item = OsVersion>) -> Result<Catalog, CatalogError> {
        let rows = rows
            .into_iter()
            .enumerate()
            .map(|(i, r)| (Place::Row(i + 1), r))
            .collect();
        Catalog::build(rows)
    }

    /// A catalog from CSV text whose first line is the header
    /// `os_version,os_type,platform,os_bit` (further columns are ignored; no quoting, so
    /// the first four columns hold no comma), as `data/os_versions.csv` is laid out.
    /// Blank lines are skipped. A platform this crate does not list is kept as spelled
    /// ([`Platform::Unlisted`]).
    ///
    /// # Errors
    ///
    /// [`CatalogError::Csv`] with the line and the reason (a missing header too); see
    /// [`Catalog::from_rows`] for what a value may not be.
    pub fn from_csv(text: &str) -> Result<Catalog, CatalogError> {
        let rows = Catalog::parse_csv(text, |v| Cow::Owned(v.to_owned()))?;
        Catalog::build(rows)
    }

    /// A catalog from the JSON that the service's `GET /v1/cloudimages/os_version`
    /// answers: `[{"platform", "version_list": [{"platform", "os_version", "os_bit",
    /// "os_type"}]}]`, `os_bit` an integer (32 or 64). Other fields (a newer answer's
    /// `os_version_key`) are ignored; a platform this crate does not list is kept as
    /// spelled.
    ///
    /// # Errors
    ///
    /// [`CatalogError::Json`] naming the entry (`[G].version_list[I]`) or the place in
    /// the text; see [`Catalog::from_rows`] for what a value may not be.
    pub fn from_os_version_json(json: &[u8]) -> Result<Catalog, CatalogError> {
        #[derive(serde::Deserialize)]
        struct Group {
            version_list: Vec<Row>,
        }
        #[derive(serde::Deserialize)]
        struct Row {
            platform: String,
            os_version: String,
            os_bit: u32,
            os_type: String,
        }
        let groups: Vec<Group> = serde_json::from_slice(json).map_err(|e| CatalogError::Json {
            at: String::new(),
            reason: e.to_string(),
        })?;
        let mut rows = Vec::new();
        for (g, group) in groups.into_iter().enumerate() {
            for (i, row) in group.version_list.into_iter().enumerate() {
                let at = Place::Entry(g, i);
                let bit = match row.os_bit {
                    32 => OsBit::Bit32,
                    64 => OsBit::Bit64,
                    other => return Err(at.err(format!("os_bit {other} is not 32 or 64"))),
                };
                let os_type = row.os_type.parse().map_err(|e| at.err(format!("{e}")))?;
                let platform = platform(&row.platform).map_err(|r| at.err(r))?;
                let os = OsVersion::new(row.os_version, os_type, platform, bit);
                rows.push((at, os));
            }
        }
        Catalog::build(rows)
    }

    /// A catalog from a file's bytes, CSV or the service's JSON, told apart by content:
    /// JSON when the first character that is not whitespace (after a UTF-8 byte order
    /// mark, if any) is `[` or `{`, else CSV. For a `--catalog FILE` option.
    pub fn from_bytes(bytes: &[u8]) -> Result<Catalog, CatalogError> {
        let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
        match bytes.iter().find(|b| !b.is_ascii_whitespace()) {
            Some(b'[' | b'{') => Catalog::from_os_version_json(bytes),
            _ => match std::str::from_utf8(bytes) {
                Ok(text) => Catalog::from_csv(text),
                Err(e) => {
                    let before = sure!(
                        bytes.get(..e.valid_up_to()),
                        "valid_up_to is within the bytes"
                    );
                    let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
                    Err(CatalogError::Csv {
                        line,
                        reason: "not UTF-8 (a catalog is CSV or JSON text)".to_owned(),
                    })
                }
            },
        }
    }

    fn parse_csv<'t>(
        text: &'t str,
        version: impl Fn(&'t str) -> Cow<'static, str>,
    ) -> Result<Vec<(Place, OsVersion)>, CatalogError> {
        let text = text.strip_prefix('\u{FEFF}').unwrap_or(text);
        let mut lines = text.lines().map(|l| l.strip_suffix('\r').unwrap_or(l));
        let header = lines.next().unwrap_or_default();
        let cols: Vec<&str> = header.split(',').map(str::trim).take(4).collect();
        if cols != CSV_HEADER {
            return Err(Place::Line(1).err(format!(
                "expected the header {}[,…], found '{}'",
                CSV_HEADER.join(","),
                chars::excerpt(&header.escape_debug().to_string(), 80)
            )));
        }
        let mut rows = Vec::new();
        for (i, line) in lines.enumerate() {
            let at = Place::Line(i + 2);
            if line.trim().is_empty() {
                continue;
            }
            let mut cols = line.splitn(5, ',');
            let (Some(v), Some(os_type), Some(p), Some(bit)) =
                (cols.next(), cols.next(), cols.next(), cols.next())
            else {
                return Err(at.err("expected os_version,os_type,platform,os_bit"));
            };
            let os_type = os_type.parse().map_err(|e| at.err(format!("{e}")))?;
            let platform = platform(p).map_err(|r| at.err(r))?;
            let bit = bit.parse().map_err(|e| at.err(format!("{e}")))?;
            rows.push((at, OsVersion::new(version(v), os_type, platform, bit)));
        }
        Ok(rows)
    }

    fn build(rows: Vec<(Place, OsVersion)>) -> Result<Catalog, CatalogError> {
        if rows.is_empty() {
            return Err(CatalogError::Empty);
        }
        let mut index = Index::with_capacity_and_hasher(rows.len(), Default::default());
        let mut places = Vec::with_capacity(rows.len());
        let mut entries = Vec::with_capacity(rows.len());
        for (i, (at, e)) in rows.into_iter().enumerate() {
            if let Some(fault) = version_fault(e.version()) {
                return Err(at.err(fault));
            }
            if let Some(first) = index.insert(Box::from(e.version()), i) {
                let first = match places.get(first) {
                    Some(Place::Line(l)) => format!(" (first on line {l})"),
                    Some(Place::Entry(g, j)) => format!(" (first at [{g}].version_list[{j}])"),
                    Some(Place::Row(r)) => format!(" (first in row {r})"),
                    None => String::new(),
                };
                return Err(at.err(format!("duplicate os_version '{}'{first}", e.version())));
            }
            places.push(at);
            entries.push(e);
        }
        let longest = entries.iter().map(|e| e.version.len()).max().unwrap_or(0);
        let near = NearIndex::build(entries.iter().map(OsVersion::version));
        Ok(Catalog {
            inner: Arc::new(Inner {
                entries,
                index,
                longest,
                near,
            }),
        })
    }

    /// The entry spelled exactly `version`, if any.
    pub fn get(&self, version: &str) -> Option<&OsVersion> {
        if version.len() > self.inner.longest {
            return None;
        }
        self.inner
            .index
            .get(version)
            .and_then(|&i| self.inner.entries.get(i))
    }

    /// Whether `version` is in the catalog (exact, case-sensitive).
    pub fn contains(&self, version: &str) -> bool {
        self.get(version).is_some()
    }

    /// The entries, in the order they were given.
    pub fn iter(&self) -> std::slice::Iter<'_, OsVersion> {
        self.inner.entries.iter()
    }

    /// How many values the catalog holds.
    pub fn len(&self) -> usize {
        self.inner.entries.len()
    }

    /// Whether the catalog is empty.
    pub fn is_empty(&self) -> bool {
        self.inner.entries.is_empty()
    }

    /// What an `__os_version` that is not in the catalog derives, for rules that let
    /// such values through (`allow_unknown_os_version`), and whether anything was
    /// inferred (else every field is `fallback`'s):
    ///
    /// 1. a catalog value equal to it ignoring case and whitespace gives its fields;
    /// 2. else its text: a platform name in it (`Windows`, `Ubuntu`, `Red Hat`,
    ///    `CentOS`, …, case and spaces ignored) gives `__platform`, and `__os_type`
    ///    (`Windows` for Windows, else `Linux`); `64bit`, `x86_64`, `amd64`, `arm64`,
    ///    `aarch64` give 64 and `32bit`, `i386`, `i686` give 32;
    /// 3. what neither found comes from `fallback` (the default OS).
    ///
    /// The value itself is kept as sent.
    pub(crate) fn infer(&self, value: &str, fallback: &OsVersion) -> (OsVersion, bool) {
        /// Lower-case keywords and the platform they name, most specific first.
        const PLATFORMS: &[(&str, Platform)] = &[
            ("windows", Platform::Windows),
            ("ubuntu", Platform::Ubuntu),
            ("redhat", Platform::RedHat),
            ("rhel", Platform::RedHat),
            ("opensuse", Platform::OpenSuse),
            ("suse", Platform::Suse),
            ("centos", Platform::CentOs),
            ("debian", Platform::Debian),
            ("oracle", Platform::OracleLinux),
            ("fedora", Platform::Fedora),
            ("openeuler", Platform::OpenEuler),
            ("euleros", Platform::EulerOs),
            ("coreos", Platform::CoreOs),
            ("neokylin", Platform::NeoKylin),
        ];
        const BIT64: &[&str] = &["64bit", "64-bit", "x86_64", "amd64", "aarch64", "arm64"];
        const BIT32: &[&str] = &["32bit", "32-bit", "i386", "i686"];
        let squashed = squash(value);
        let kept = || Cow::Owned(value.to_owned());
        // No catalog value is longer than this: a longer input cannot match one.
        if value.len() <= self.inner.longest.saturating_mul(4) {
            if let Some(row) = self.iter().find(|e| squash(e.version()) == squashed) {
                let os = OsVersion::new(kept(), row.os_type, row.platform.clone(), row.bit);
                return (os, true);
            }
        }
        let has = |keys: &[&str]| keys.iter().any(|k| squashed.contains(k));
        let platform = PLATFORMS
            .iter()
            .find(|(k, _)| squashed.contains(k))
            .map(|(_, p)| p.clone());
        let bit = if has(BIT64) {
            Some(OsBit::Bit64)
        } else if has(BIT32) {
            Some(OsBit::Bit32)
        } else {
            None
        };
        let os_type = match &platform {
            Some(Platform::Windows) => Some(OsType::Windows),
            Some(_) => Some(OsType::Linux),
            None => None,
        };
        let inferred = platform.is_some() || bit.is_some();
        let os = OsVersion::new(
            kept(),
            os_type.unwrap_or(fallback.os_type),
            platform.unwrap_or_else(|| fallback.platform.clone()),
            bit.unwrap_or(fallback.bit),
        );
        (os, inferred)
    }

    /// Up to `max` catalog values closest to `value`: first those equal to it ignoring
    /// case and spaces, then the rest by edit distance (case-insensitive), nearest
    /// first. Values too far off to be a misspelling are not suggested.
    ///
    /// Its cost is bounded by design (`src/catalog/near.rs`): what the catalog can give is
    /// computed when it is built, and a query allocates a few buffers, not one per row.
    pub fn suggest(&self, value: &str, max: usize) -> Vec<&str> {
        self.inner
            .near
            .suggest(value, max)
            .into_iter()
            .filter_map(|r| self.inner.entries.get(r).map(OsVersion::version))
            .collect()
    }

    /// The rows [`Catalog::suggest`] gives, as indexes (see [`Catalog::row`]).
    pub(crate) fn suggest_rows(&self, value: &str, max: usize) -> Vec<usize> {
        self.inner.near.suggest(value, max)
    }

    /// The value of row `i`.
    pub(crate) fn row(&self, i: usize) -> Option<&str> {
        self.inner.entries.get(i).map(OsVersion::version)
    }
}

/// `s` lower-cased, without whitespace: how near-miss spellings are compared.
/// A platform column: any non-empty spelling (a new platform is never the reason a
/// catalog is refused).
fn platform(text: &str) -> Result<Platform, String> {
    Platform::from_wire(text).ok_or_else(|| "platform is empty".to_owned())
}

#[cfg(test)]
mod tests;
