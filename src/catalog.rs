//! The `__os_version` catalog: which values a request may send, and what each derives.

use std::borrow::Cow;
use std::collections::HashMap;
use std::fmt;
use std::sync::{Arc, LazyLock};

use crate::near::NearIndex;
use crate::text;
use crate::values::{OsBit, OsType, Platform};

/// The built-in catalog's source: `data/os_versions.csv`, embedded at compile time.
pub const BUILTIN_CSV: &str = include_str!("../data/os_versions.csv");

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
            text::excerpt(version, 40)
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
/// use ims_image_meta::{Catalog, Platform, Rules};
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
                    let before = bytes.get(..e.valid_up_to()).unwrap_or_default();
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
                text::excerpt(&header.escape_debug().to_string(), 80)
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
    /// Its cost is bounded by design (`src/near.rs`): what the catalog can give is
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
fn squash(s: &str) -> String {
    s.chars()
        .filter(|c| !c.is_whitespace())
        .flat_map(char::to_lowercase)
        .collect()
}

/// A platform column: any non-empty spelling (a new platform is never the reason a
/// catalog is refused).
fn platform(text: &str) -> Result<Platform, String> {
    Platform::from_wire(text).ok_or_else(|| "platform is empty".to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text;

    /// The suggestions as first written: the plain definition, one row at a time.
    fn reference_suggest<'c>(c: &'c Catalog, value: &str, max: usize) -> Vec<&'c str> {
        fn squash(s: &str) -> String {
            s.chars()
                .filter(|c| !c.is_whitespace())
                .flat_map(char::to_lowercase)
                .collect()
        }
        const LONGEST_COMPARED: usize = 200;
        let mut out: Vec<&str> = Vec::new();
        if value.len() > LONGEST_COMPARED * 4 {
            return out;
        }
        let squashed = squash(value);
        for e in c.iter() {
            if out.len() < max && squash(e.version()) == squashed {
                out.push(e.version());
            }
        }
        if out.len() >= max || value.chars().count() > LONGEST_COMPARED {
            return out;
        }
        let lower = value.to_lowercase();
        let cap = (value.chars().count() / 4).clamp(2, 10);
        let mut near: Vec<(usize, &str)> = c
            .iter()
            .filter(|e| !out.contains(&e.version()))
            .map(|e| {
                let d = text::edit_distance(&lower, &e.version().to_lowercase(), cap);
                (d, e.version())
            })
            .filter(|&(d, _)| d <= cap)
            .collect();
        near.sort_by_key(|&(d, _)| d);
        out.extend(near.into_iter().map(|(_, v)| v).take(max - out.len()));
        out
    }

    /// Inputs for the comparison: each catalog value, and each with edits (a char
    /// deleted, added or replaced, two replaced by a space and two, at three places; the
    /// case changed; the spaces removed), plus inputs near nothing and of every length.
    fn probes(c: &Catalog) -> Vec<String> {
        let mut out = vec![
            String::new(),
            " ".into(),
            "x".into(),
            "ubuntu".into(),
            "Windows".into(),
            "镜像 14.04".into(),
            "Ubuntu 14.04 server 64 bit".into(),
            "ＵＢＵＮＴＵ 14.04 SERVER 64BIT".into(),
            "İstanbul Linux 1.0 64bit".into(),
            "z".repeat(199),
            "z".repeat(201),
            "Ubuntu 14.04 server 64bit ".repeat(8),
        ];
        for e in c.iter() {
            let v: Vec<char> = e.version().chars().collect();
            out.push(e.version().to_owned());
            out.push(e.version().to_uppercase());
            out.push(e.version().replace(' ', ""));
            for at in [0, v.len() / 2, v.len().saturating_sub(2)] {
                let at = at.min(v.len());
                let cut = |skip: usize, put: &str| -> String {
                    let mut s: String = v[..at].iter().collect();
                    s.push_str(put);
                    s.extend(v.iter().skip(at + skip));
                    s
                };
                out.push(cut(1, ""));
                out.push(cut(0, "x"));
                out.push(cut(1, "q"));
                out.push(cut(2, " ab"));
            }
        }
        out
    }

    /// The indexed, bounded suggestions equal the plain definition's, on the built-in
    /// catalog (every value, and every value with one edit) and on generated ones.
    #[test]
    fn suggestions_equal_the_reference_implementation() {
        let c = Catalog::builtin();
        let inputs = probes(&c);
        for (i, input) in inputs.iter().enumerate() {
            let max = [3, 1, 5, 2][i % 4];
            assert_eq!(
                c.suggest(input, max),
                reference_suggest(&c, input, max),
                "{input:?}, max {max}"
            );
        }
        // A catalog of near-identical values (many ties, many within reach).
        let rows = (0..600).map(|i| {
            OsVersion::new(
                format!(
                    "Ubuntu {}.{:02} server {}bit",
                    i / 20,
                    i % 20,
                    32 << (i % 2)
                ),
                OsType::Linux,
                Platform::Ubuntu,
                OsBit::Bit64,
            )
        });
        let near = Catalog::from_rows(rows).unwrap();
        for input in probes(&near).iter().step_by(37).chain(&inputs[..12]) {
            assert_eq!(
                near.suggest(input, 3),
                reference_suggest(&near, input, 3),
                "{input:?}"
            );
        }
        assert_eq!(c.suggest("anything", 0), Vec::<&str>::new());
        assert!(
            Catalog::from_rows([]).is_err(),
            "an empty catalog is refused"
        );
    }

    /// Every built-in value is found under its own spelling and no near miss is; the
    /// word hash gives the 199 values 175 distinct hashes (no chain to walk).
    #[test]
    fn word_hash_finds_every_value_and_spreads_them() {
        use std::hash::{BuildHasher, BuildHasherDefault};
        let c = Catalog::builtin();
        let build = BuildHasherDefault::<WordHash>::default();
        let mut hashes = std::collections::HashSet::new();
        for os in c.iter() {
            let v = os.version();
            assert_eq!(c.get(v).map(OsVersion::version), Some(v));
            let mut near = v.to_owned();
            near.push(' ');
            assert!(c.get(&near).is_none(), "{near}");
            assert!(c.get(&v[..v.len() - 1]).is_none(), "{v}");
            hashes.insert(build.hash_one(v));
        }
        assert_eq!(hashes.len(), c.len());
        // Lengths around a word boundary differ, even when the padding bytes are zero.
        assert_ne!(build.hash_one("abcdefgh"), build.hash_one("abcdefgh\0"));
    }

    #[test]
    fn builtin_has_every_row_of_the_csv() {
        let c = Catalog::builtin();
        assert_eq!(c.len(), 199);
        let ubuntu = c.get("Ubuntu 14.04 server 64bit").unwrap();
        assert_eq!(ubuntu.os_type(), OsType::Linux);
        assert_eq!(ubuntu.platform(), &Platform::Ubuntu);
        assert_eq!(ubuntu.bit(), OsBit::Bit64);
        let other32 = c.get("Other(32 bit)").unwrap();
        assert_eq!(
            (other32.os_type(), other32.platform(), other32.bit()),
            (OsType::Linux, &Platform::Other, OsBit::Bit32)
        );
        assert!(c.get("ubuntu 14.04 server 64bit").is_none());
        assert!(c.contains("Other Linux(64 bit)"));
    }

    #[test]
    fn suggestions_put_case_and_space_variants_first() {
        let c = Catalog::builtin();
        let s = c.suggest("Red Hat Linux Enterprise 8.0 64bit", 3);
        assert_eq!(s[0], "Redhat Linux Enterprise 8.0 64bit");
        let s = c.suggest("Ubuntu 14.04 server 64 bit", 3);
        assert_eq!(s[0], "Ubuntu 14.04 server 64bit");
        assert!(c
            .suggest("zzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz", 3)
            .is_empty());
        assert!(c.suggest(&"x".repeat(100_000), 3).is_empty());
    }

    const HEADER: &str = "os_version,os_type,platform,os_bit\n";

    fn csv(rows: &str) -> Result<Catalog, CatalogError> {
        Catalog::from_csv(&format!("{HEADER}{rows}"))
    }

    fn csv_err(rows: &str) -> String {
        csv(rows).unwrap_err().to_string()
    }

    #[test]
    fn csv_errors_name_the_line() {
        let e = csv("A,Linux,Other,64\nB,Unix,Other,64\n").unwrap_err();
        assert_eq!(
            e.to_string(),
            "catalog CSV line 3: 'Unix' is not a valid __os_type; expected one of: Windows, \
             Linux, Other"
        );
        let e = csv("A,Linux,Other\n").unwrap_err();
        assert!(matches!(e, CatalogError::Csv { line: 2, .. }), "{e}");
        assert_eq!(
            csv_err("A,Linux,Other,64\n\nA,Linux,Other,32\n"),
            "catalog CSV line 4: duplicate os_version 'A' (first on line 2)"
        );
        assert_eq!(
            csv_err("A,Linux,,64\n"),
            "catalog CSV line 2: platform is empty"
        );
        assert_eq!(
            csv_err("A,Linux,Other,16\n"),
            "catalog CSV line 2: '16' is not a valid __os_bit; expected one of: 32, 64"
        );
    }

    /// What cannot be a catalog is refused, with the row and the reason, by every
    /// loader.
    #[test]
    fn loaders_refuse_what_cannot_be_a_catalog() {
        // An empty catalog: no rows, only a header, only blank lines.
        for text in ["", HEADER, "os_version,os_type,platform,os_bit\n\n  \n"] {
            let e = Catalog::from_csv(text).unwrap_err();
            let want = if text.is_empty() {
                "catalog CSV line 1: expected the header os_version,os_type,platform,os_bit[,…], found ''"
            } else {
                "catalog is empty: it has no os_version rows"
            };
            assert_eq!(e.to_string(), want, "{text:?}");
        }
        assert_eq!(Catalog::from_rows([]), Err(CatalogError::Empty));
        assert_eq!(
            Catalog::from_os_version_json(b"[]"),
            Err(CatalogError::Empty)
        );
        assert_eq!(
            Catalog::from_os_version_json(br#"[{"platform":"x","version_list":[]}]"#),
            Err(CatalogError::Empty)
        );
        // A CSV without its header: the first row would be lost silently.
        assert_eq!(
            Catalog::from_csv("Ubuntu 22.04 64bit,Linux,Ubuntu,64\n")
                .unwrap_err()
                .to_string(),
            "catalog CSV line 1: expected the header os_version,os_type,platform,os_bit[,…], \
             found 'Ubuntu 22.04 64bit,Linux,Ubuntu,64'"
        );
        // Values that are no value.
        assert_eq!(
            csv_err(" ,Linux,Other,64\n"),
            "catalog CSV line 2: os_version is blank"
        );
        assert_eq!(
            csv_err(",Linux,Other,64\n"),
            "catalog CSV line 2: os_version is blank"
        );
        assert_eq!(
            csv_err("a\0b,Linux,Other,64\n"),
            "catalog CSV line 2: os_version 'a\\0b' holds NUL (U+0000)"
        );
        assert_eq!(
            csv_err("a\tb,Linux,Other,64\n"),
            "catalog CSV line 2: os_version 'a\\tb' holds a control character (U+0009)"
        );
        assert_eq!(
            csv_err("ok,Linux,Other,64\na\u{7F},Linux,Other,64\n"),
            "catalog CSV line 3: os_version 'a\\u{7f}' holds a control character (U+007F)"
        );
        assert_eq!(
            csv_err("a😀,Linux,Other,64\n"),
            "catalog CSV line 2: os_version 'a😀' holds a 4-byte character (U+1F600)"
        );
        let long = "v".repeat(256);
        assert_eq!(
            csv_err(&format!("{long},Linux,Other,64\n")),
            format!(
                "catalog CSV line 2: os_version '{}…' is 256 characters long, at most 255 allowed",
                "v".repeat(40)
            )
        );
        assert!(csv(&format!("{},Linux,Other,64\n", "v".repeat(255))).is_ok());
        assert!(csv(&format!("{},Linux,Other,64\n", "镜".repeat(255))).is_ok());
        // The same checks for rows and JSON, with their own places.
        let row =
            |v: &str| OsVersion::new(v.to_owned(), OsType::Linux, Platform::Other, OsBit::Bit64);
        assert_eq!(
            Catalog::from_rows([row("A"), row("B"), row("A")])
                .unwrap_err()
                .to_string(),
            "catalog row 3: duplicate os_version 'A' (first in row 1)"
        );
        assert_eq!(
            Catalog::from_rows([row("A"), row("")]).unwrap_err(),
            CatalogError::Row {
                row: 2,
                reason: "os_version is blank".into()
            }
        );
        let json = |v: &str| {
            format!(
                r#"[{{"platform":"Other","version_list":[{{"platform":"Other","os_version":"A","os_bit":64,"os_type":"Linux"}},
                {{"platform":"Other","os_version":{},"os_bit":64,"os_type":"Linux"}}]}}]"#,
                serde_json::to_string(v).unwrap()
            )
        };
        let err = |v: &str| {
            Catalog::from_os_version_json(json(v).as_bytes())
                .unwrap_err()
                .to_string()
        };
        assert_eq!(
            err("A"),
            "os_version JSON [0].version_list[1]: duplicate os_version 'A' (first at [0].version_list[0])"
        );
        assert_eq!(
            err("\n"),
            "os_version JSON [0].version_list[1]: os_version is blank"
        );
        assert_eq!(
            err("x\u{1}"),
            "os_version JSON [0].version_list[1]: os_version 'x\\u{1}' holds a control character (U+0001)"
        );
        assert!(Catalog::from_os_version_json(json("B").as_bytes()).is_ok());
        // Not the documented shape: the place in the text.
        assert_eq!(
            Catalog::from_os_version_json(b"{}")
                .unwrap_err()
                .to_string(),
            "os_version JSON: invalid type: map, expected a sequence at line 1 column 0"
        );
    }

    /// A platform this crate does not know is kept as the service spells it, from CSV
    /// and from JSON; it is never the reason a catalog is refused.
    #[test]
    fn unlisted_platforms_are_kept() {
        let c =
            csv("Rocky Linux 9.3 64bit,Linux,Rocky,64\nKylin V10 64bit,Linux,Kylin,64\n").unwrap();
        let rocky = c.get("Rocky Linux 9.3 64bit").unwrap();
        assert_eq!(rocky.platform().as_str(), "Rocky");
        assert!(!rocky.platform().is_listed());
        let json = br#"[{"platform":"Kylin","version_list":[{"platform":"Kylin","os_version":"Kylin V10 SP3 64bit","os_bit":64,"os_type":"Linux","os_version_key":"Kylin_V10_SP3_64"}]}]"#;
        let c = Catalog::from_os_version_json(json).unwrap();
        assert_eq!(
            c.get("Kylin V10 SP3 64bit").unwrap().platform().as_str(),
            "Kylin"
        );
    }

    #[test]
    fn from_bytes_tells_csv_from_json() {
        let json = br#" [{"platform":"Ubuntu","version_list":[{"platform":"Ubuntu","os_version":"U","os_bit":64,"os_type":"Linux"}]}]"#;
        assert_eq!(Catalog::from_bytes(json).unwrap().len(), 1);
        let csv = format!("\u{FEFF}{HEADER}U,Linux,Ubuntu,64\nV,Linux,Ubuntu,32\n");
        assert_eq!(Catalog::from_bytes(csv.as_bytes()).unwrap().len(), 2);
        assert_eq!(
            Catalog::from_bytes(BUILTIN_CSV.as_bytes()).unwrap(),
            Catalog::builtin()
        );
        assert_eq!(
            Catalog::from_bytes(b"{\"a\": 1}").unwrap_err().to_string(),
            "os_version JSON: invalid type: map, expected a sequence at line 1 column 0"
        );
        assert_eq!(
            Catalog::from_bytes(b"os_version,os_type,platform,os_bit\n\xFF,Linux,Other,64\n")
                .unwrap_err()
                .to_string(),
            "catalog CSV line 2: not UTF-8 (a catalog is CSV or JSON text)"
        );
        assert_eq!(Catalog::from_bytes(b"  \n"), Catalog::from_csv("  \n"));
    }

    #[test]
    fn inference_of_an_unlisted_os_version() {
        let c = Catalog::builtin();
        let fallback = OsVersion::new("D", OsType::Linux, Platform::Other, OsBit::Bit64);
        let fields = |v: &str| {
            let (os, inferred) = c.infer(v, &fallback);
            assert_eq!(os.version(), v);
            (
                os.os_type(),
                os.platform().as_str().to_owned(),
                os.bit(),
                inferred,
            )
        };
        // A catalog value but for case and spaces: its row.
        assert_eq!(
            fields("ubuntu 14.04 Server 64 bit"),
            (OsType::Linux, "Ubuntu".into(), OsBit::Bit64, true)
        );
        assert_eq!(
            fields("Windows Server 2025 Datacenter 64bit"),
            (OsType::Windows, "Windows".into(), OsBit::Bit64, true)
        );
        assert_eq!(
            fields("Red Hat Enterprise Linux 10 i686"),
            (OsType::Linux, "RedHat".into(), OsBit::Bit32, true)
        );
        assert_eq!(
            fields("openSUSE Leap 16"),
            (OsType::Linux, "OpenSUSE".into(), OsBit::Bit64, true)
        );
        // Nothing to go on: the fallback's fields, and not inferred.
        assert_eq!(
            fields("Rocky Linux 9"),
            (OsType::Linux, "Other".into(), OsBit::Bit64, false)
        );
    }

    #[test]
    fn catalog_from_the_service_json() {
        let json = br#"[{"platform":"Ubuntu","version_list":[
            {"platform":"Ubuntu","os_version":"Ubuntu 22.04 server 64bit","os_bit":64,"os_type":"Linux"},
            {"platform":"Ubuntu","os_version":"Ubuntu 16.04 server 32bit","os_bit":32,"os_type":"Linux"}]},
            {"platform":"Windows","version_list":[
            {"platform":"Windows","os_version":"Windows Server 2022 Standard 64bit","os_bit":64,"os_type":"Windows"}]}]"#;
        let c = Catalog::from_os_version_json(json).unwrap();
        assert_eq!(c.len(), 3);
        assert_eq!(
            c.get("Ubuntu 16.04 server 32bit").unwrap().bit(),
            OsBit::Bit32
        );
        assert_eq!(
            c.get("Windows Server 2022 Standard 64bit")
                .unwrap()
                .os_type(),
            OsType::Windows
        );
        let bad = br#"[{"platform":"x","version_list":[{"platform":"Ubuntu","os_version":"U","os_bit":16,"os_type":"Linux"}]}]"#;
        assert_eq!(
            Catalog::from_os_version_json(bad).unwrap_err().to_string(),
            "os_version JSON [0].version_list[0]: os_bit 16 is not 32 or 64"
        );
        assert!(Catalog::from_os_version_json(b"{}").is_err());
    }
}
