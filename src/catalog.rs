//! The `__os_version` catalog: which values a request may send, and what each derives.

use std::borrow::Cow;
use std::collections::HashMap;
use std::fmt;
use std::sync::{Arc, LazyLock};

use crate::near::NearIndex;
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

    /// The derived `__platform`.
    pub fn platform(&self) -> Platform {
        self.platform
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

/// Why a catalog could not be built from rows, CSV or the service's JSON.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum CatalogError {
    /// A CSV line does not have the columns `os_version,os_type,platform,os_bit[,…]`,
    /// or one of its values is not valid.
    #[error("catalog CSV line {line}: {reason}")]
    Csv {
        /// 1-based line number.
        line: usize,
        /// What is wrong with it.
        reason: String,
    },
    /// The `GET /v1/cloudimages/os_version` JSON is not of the documented shape.
    #[error("os_version JSON: {0}")]
    Json(String),
    /// The same `__os_version` appears twice.
    #[error("duplicate os_version '{0}' in the catalog")]
    Duplicate(String),
    /// An `__os_version` value is empty.
    #[error("empty os_version in the catalog")]
    EmptyVersion,
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
/// use ims_image_meta::{Catalog, OsBit, OsType, OsVersion, Platform, Rules};
///
/// let builtin = Catalog::builtin();
/// let ubuntu = builtin.get("Ubuntu 14.04 server 64bit").expect("built in");
/// assert_eq!(ubuntu.platform(), Platform::Ubuntu);
/// assert!(builtin.get("ubuntu 14.04 server 64bit").is_none()); // case-sensitive
///
/// let mut rules = Rules::default();
/// rules.catalog = Catalog::from_rows([OsVersion::new(
///     "Rocky Linux 9.3 64bit",
///     OsType::Linux,
///     Platform::Other,
///     OsBit::Bit64,
/// )])?;
/// assert!(ims_image_meta::validate(br#"{"__os_version": "Rocky Linux 9.3 64bit"}"#, &rules).is_ok());
/// # Ok::<(), ims_image_meta::CatalogError>(())
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

type Row<'a> = (&'a str, OsType, Platform, OsBit);

// The embedded CSV is compile-time data, checked by the tests: it cannot fail at run
// time unless the crate itself was built from a broken file.
static BUILTIN: LazyLock<Catalog> = LazyLock::new(|| {
    let rows = Catalog::parse_csv(BUILTIN_CSV)
        .unwrap_or_else(|e| panic!("built-in catalog: {e}"))
        .into_iter()
        .map(|(v, t, p, b)| OsVersion::new(v, t, p, b))
        .collect();
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
    /// [`CatalogError::EmptyVersion`] or [`CatalogError::Duplicate`] on an empty or
    /// repeated value.
    pub fn from_rows(rows: impl IntoIterator<Item = OsVersion>) -> Result<Catalog, CatalogError> {
        Catalog::build(rows.into_iter().collect())
    }

    /// A catalog from CSV text with a header line and the columns
    /// `os_version,os_type,platform,os_bit` (further columns are ignored; no quoting, so
    /// the first four columns hold no comma), as `data/os_versions.csv` is laid out.
    ///
    /// # Errors
    ///
    /// [`CatalogError::Csv`] with the line and the reason, or the errors of
    /// [`Catalog::from_rows`].
    pub fn from_csv(text: &str) -> Result<Catalog, CatalogError> {
        let rows = Catalog::parse_csv(text)?
            .into_iter()
            .map(|(v, t, p, b)| OsVersion::new(v.to_owned(), t, p, b))
            .collect();
        Catalog::build(rows)
    }

    /// A catalog from the JSON that the service's `GET /v1/cloudimages/os_version`
    /// answers: `[{"platform", "version_list": [{"platform", "os_version", "os_bit",
    /// "os_type"}]}]`, `os_bit` an integer (32 or 64).
    ///
    /// # Errors
    ///
    /// [`CatalogError::Json`] when the JSON is not of that shape, or the errors of
    /// [`Catalog::from_rows`].
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
        let groups: Vec<Group> =
            serde_json::from_slice(json).map_err(|e| CatalogError::Json(e.to_string()))?;
        let mut rows = Vec::new();
        for row in groups.into_iter().flat_map(|g| g.version_list) {
            let bad = |e: String| CatalogError::Json(format!("'{}': {e}", row.os_version));
            let bit = match row.os_bit {
                32 => OsBit::Bit32,
                64 => OsBit::Bit64,
                other => return Err(bad(format!("os_bit {other} is not 32 or 64"))),
            };
            let os_type = row.os_type.parse().map_err(|e| bad(format!("{e}")))?;
            let platform = row.platform.parse().map_err(|e| bad(format!("{e}")))?;
            rows.push(OsVersion::new(row.os_version, os_type, platform, bit));
        }
        Catalog::build(rows)
    }

    fn parse_csv(text: &str) -> Result<Vec<Row<'_>>, CatalogError> {
        let mut rows = Vec::new();
        for (i, line) in text.lines().enumerate().skip(1) {
            let line = line.strip_suffix('\r').unwrap_or(line);
            if line.trim().is_empty() {
                continue;
            }
            let csv_err = |reason: String| CatalogError::Csv {
                line: i + 1,
                reason,
            };
            let mut cols = line.splitn(5, ',');
            let (Some(version), Some(os_type), Some(platform), Some(bit)) =
                (cols.next(), cols.next(), cols.next(), cols.next())
            else {
                return Err(csv_err(
                    "expected os_version,os_type,platform,os_bit".into(),
                ));
            };
            let os_type = os_type.parse().map_err(|e| csv_err(format!("{e}")))?;
            let platform = platform.parse().map_err(|e| csv_err(format!("{e}")))?;
            let bit = bit.parse().map_err(|e| csv_err(format!("{e}")))?;
            rows.push((version, os_type, platform, bit));
        }
        Ok(rows)
    }

    fn build(entries: Vec<OsVersion>) -> Result<Catalog, CatalogError> {
        let mut index = Index::with_capacity_and_hasher(entries.len(), Default::default());
        for (i, e) in entries.iter().enumerate() {
            if e.version.is_empty() {
                return Err(CatalogError::EmptyVersion);
            }
            if index.insert(Box::from(e.version()), i).is_some() {
                return Err(CatalogError::Duplicate(e.version().to_owned()));
            }
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
        assert!(Catalog::from_rows([]).unwrap().suggest("x", 3).is_empty());
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
        assert_eq!(ubuntu.platform(), Platform::Ubuntu);
        assert_eq!(ubuntu.bit(), OsBit::Bit64);
        let other32 = c.get("Other(32 bit)").unwrap();
        assert_eq!(
            (other32.os_type(), other32.platform(), other32.bit()),
            (OsType::Linux, Platform::Other, OsBit::Bit32)
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

    #[test]
    fn csv_errors_name_the_line() {
        let e = Catalog::from_csv("h\nA,Linux,Other,64\nB,Linux,Mars,64\n").unwrap_err();
        assert_eq!(
            e.to_string(),
            "catalog CSV line 3: 'Mars' is not a valid __platform; expected one of: Windows, \
             Ubuntu, RedHat, SUSE, CentOS, Debian, OpenSUSE, Oracle Linux, Fedora, EulerOS, \
             CoreOS, Other, openEuler, NeoKylin"
        );
        let e = Catalog::from_csv("h\nA,Linux,Other\n").unwrap_err();
        assert!(matches!(e, CatalogError::Csv { line: 2, .. }));
        let e = Catalog::from_csv("h\nA,Linux,Other,64\nA,Linux,Other,32\n").unwrap_err();
        assert_eq!(e, CatalogError::Duplicate("A".into()));
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
            "os_version JSON: 'U': os_bit 16 is not 32 or 64"
        );
        assert!(Catalog::from_os_version_json(b"{}").is_err());
    }
}
