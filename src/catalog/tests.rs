//! Unit tests of the parent module (they see its private items).

use super::*;

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
            let d = crate::catalog::near::tests::edit_distance(
                &lower,
                &e.version().to_lowercase(),
                cap,
            );
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
    // Rows are visited by length, nearest first: a tie is still broken by catalog
    // order, not by which length was visited first.
    let row = |v: &'static str| OsVersion::new(v, OsType::Linux, Platform::Ubuntu, OsBit::Bit64);
    let ties = Catalog::from_rows([
        row("Ubuntu 14.04 server 64bitx"),
        row("Ubuntu 14.04 server 64bi"),
    ])
    .unwrap();
    for max in 1..=2 {
        let probe = "Ubuntu 14.04 server 64bit";
        assert_eq!(
            ties.suggest(probe, max),
            reference_suggest(&ties, probe, max)
        );
    }
    assert_eq!(
        ties.suggest("Ubuntu 14.04 server 64bit", 1),
        ["Ubuntu 14.04 server 64bitx"]
    );
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

/// Each case: CSV rows, ` => `, and the error they get after `catalog CSV line `.
fn assert_csv_errs(cases: &[&str]) {
    for case in cases {
        let (rows, want) = case.split_once(" => ").unwrap();
        assert_eq!(
            csv_err(rows),
            format!("catalog CSV line {want}"),
            "{rows:?}"
        );
    }
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
    assert_csv_errs(&[
        "A,Linux,Other,64\n\nA,Linux,Other,32\n => 4: duplicate os_version 'A' (first on line 2)",
        "A,Linux,,64\n => 2: platform is empty",
        "A,Linux,Other,16\n => 2: '16' is not a valid __os_bit; expected one of: 32, 64",
    ]);
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
    let empty = Err(CatalogError::Empty);
    assert_eq!(Catalog::from_rows([]), empty);
    for json in [&b"[]"[..], br#"[{"platform":"x","version_list":[]}]"#] {
        assert_eq!(Catalog::from_os_version_json(json), empty);
    }
    // A CSV without its header: the first row would be lost silently.
    assert_eq!(
        Catalog::from_csv("Ubuntu 22.04 64bit,Linux,Ubuntu,64\n")
            .unwrap_err()
            .to_string(),
        "catalog CSV line 1: expected the header os_version,os_type,platform,os_bit[,…], \
         found 'Ubuntu 22.04 64bit,Linux,Ubuntu,64'"
    );
    // Values that are no value.
    assert_csv_errs(&[
        " ,Linux,Other,64\n => 2: os_version is blank",
        ",Linux,Other,64\n => 2: os_version is blank",
        "a\0b,Linux,Other,64\n => 2: os_version 'a\\0b' holds NUL (U+0000)",
        "a\tb,Linux,Other,64\n => 2: os_version 'a\\tb' holds a control character (U+0009)",
        "a😀,Linux,Other,64\n => 2: os_version 'a😀' holds a 4-byte character (U+1F600)",
    ]);
    assert_eq!(
        csv_err("ok,Linux,Other,64\na\u{7F},Linux,Other,64\n"),
        "catalog CSV line 3: os_version 'a\\u{7f}' holds a control character (U+007F)"
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
    let row = |v: &str| OsVersion::new(v.to_owned(), OsType::Linux, Platform::Other, OsBit::Bit64);
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
    for case in [
        "A => duplicate os_version 'A' (first at [0].version_list[0])",
        "\n => os_version is blank",
        "x\u{1} => os_version 'x\\u{1}' holds a control character (U+0001)",
    ] {
        let (v, want) = case.split_once(" => ").unwrap();
        assert_eq!(
            err(v),
            format!("os_version JSON [0].version_list[1]: {want}")
        );
    }
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
    let c = csv("Rocky Linux 9.3 64bit,Linux,Rocky,64\nKylin V10 64bit,Linux,Kylin,64\n").unwrap();
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
    // Each row: the value, then the fields inferred from it, and whether they were.
    for row in [
        // A catalog value but for case and spaces: its row.
        "ubuntu 14.04 Server 64 bit: Linux Ubuntu 64 true",
        "Windows Server 2025 Datacenter 64bit: Windows Windows 64 true",
        "Red Hat Enterprise Linux 10 i686: Linux RedHat 32 true",
        "openSUSE Leap 16: Linux OpenSUSE 64 true",
        // Nothing to go on: the fallback's fields, and not inferred.
        "Rocky Linux 9: Linux Other 64 false",
    ] {
        let v = row.split_once(": ").unwrap().0;
        let (os, inferred) = c.infer(v, &fallback);
        assert_eq!(os.version(), v);
        let (t, p, bit) = (os.os_type(), os.platform().as_str(), os.bit());
        assert_eq!(format!("{v}: {t} {p} {bit} {inferred}"), row);
    }
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
