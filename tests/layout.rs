//! The layout's promises, read from the sources: no two modules of `src/` import each
//! other (at any depth of the module tree: `a::b` importing `c` counts for `a`, and
//! `c` importing `a::b` too), the crate root names at most 20 items, and no renderer
//! takes a pointer apart.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// The module a file belongs to, at the top level of the crate: `src/rules/check/mod.rs`
/// is `rules`, `src/keys.rs` is `keys`.
fn top_module(path: &Path, src: &Path) -> Option<String> {
    let rel = path.strip_prefix(src).ok()?;
    let first = rel.components().next()?.as_os_str().to_str()?;
    let name = first.strip_suffix(".rs").unwrap_or(first);
    (name != "lib" && name != "main" && name != "cli").then(|| name.to_owned())
}

fn sources(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let p = entry.unwrap().path();
        if p.is_dir() {
            sources(&p, out);
        } else if p.extension().is_some_and(|e| e == "rs") {
            out.push(p);
        }
    }
}

#[test]
fn no_two_modules_import_each_other() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    sources(&src, &mut files);
    let mut imports: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for file in &files {
        let Some(from) = top_module(file, &src) else {
            continue;
        };
        let text = std::fs::read_to_string(file).unwrap();
        for (i, _) in text.match_indices("crate::") {
            let rest = &text[i + "crate::".len()..];
            let to: String = rest
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                .collect();
            let is_module = files
                .iter()
                .any(|f| top_module(f, &src).as_deref() == Some(&to));
            if is_module && to != from {
                imports.entry(from.clone()).or_default().insert(to);
            }
        }
    }
    assert!(
        imports.len() > 10,
        "the scan found the modules: {imports:?}"
    );
    let mut both = Vec::new();
    for (a, tos) in &imports {
        for b in tos {
            if a < b && imports.get(b).is_some_and(|t| t.contains(a)) {
                both.push(format!("{a} <-> {b}"));
            }
        }
    }
    assert!(both.is_empty(), "modules that import each other: {both:?}");
}

#[test]
fn the_crate_root_names_at_most_20_items() {
    let lib =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("src/lib.rs")).unwrap();
    let mut names = 0;
    for line in lib.lines() {
        if let Some(list) = line.strip_prefix("pub use ") {
            names += list.matches(',').count() + 1;
        } else if line.starts_with("pub fn ") {
            names += 1;
        }
    }
    assert!(
        (10..=20).contains(&names),
        "{names} names at the crate root"
    );
}

/// Every row of a doc's tables headed `| code | status | ...` (a row may name two codes,
/// as `` `too_short` / `too_long` ``), as (code, status).
fn doc_code_rows(doc: &str) -> Vec<(String, u16)> {
    let mut rows = Vec::new();
    let mut in_table = false;
    for line in doc.lines() {
        let cells: Vec<&str> = line.split('|').map(str::trim).collect();
        // "| a | b | ..." splits into ["", "a", "b", ...]
        if cells.len() < 4 || !cells[0].is_empty() {
            in_table = false;
            continue;
        }
        if cells[1] == "code" && cells[2] == "status" {
            in_table = true;
        }
        if !in_table {
            continue;
        }
        let Ok(status) = cells[2].parse::<u16>() else {
            continue;
        };
        for name in cells[1].split('/').map(str::trim) {
            if let Some(name) = name.strip_prefix('`').and_then(|n| n.strip_suffix('`')) {
                rows.push((name.to_owned(), status));
            }
        }
    }
    rows
}

/// The docs' code tables agree with the fault table (`src/code.rs`'s `faults!` rows):
/// every code is in each doc with its status, and no doc row names a code or a status
/// the rows do not have.
#[test]
fn the_docs_code_tables_agree_with_the_fault_table() {
    use ims_image_meta::Code;
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    for doc in ["docs/rules.md", "docs/contract.md"] {
        let text = std::fs::read_to_string(root.join(doc)).unwrap();
        let rows = doc_code_rows(&text);
        for (name, status) in &rows {
            let code: Code = name
                .parse()
                .unwrap_or_else(|_| panic!("{doc}: `{name}` is not a code of the fault table"));
            assert_eq!(code.status(), *status, "{doc}: `{name}`'s status");
        }
        for code in Code::ALL {
            assert!(
                rows.iter().any(|(n, _)| n == code.as_str()),
                "{doc}: no table row for `{code}`"
            );
        }
    }
}

/// No file of `src/` is over 700 lines: a file that grows past it is split by what
/// it holds.
#[test]
fn no_source_file_is_over_700_lines() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    sources(&src, &mut files);
    assert!(files.len() > 50, "{}", files.len());
    let long: Vec<String> = files
        .iter()
        .filter_map(|f| {
            let n = std::fs::read_to_string(f).unwrap().lines().count();
            (n > 700).then(|| format!("{} ({n} lines)", f.display()))
        })
        .collect();
    assert!(long.is_empty(), "over 700 lines: {long:?}");
}

/// The calls that take a pointer apart (or unescape its tokens).
const POINTER_PARSING: &[&str] = &[
    ".split(",
    ".splitn(",
    ".split_once(",
    ".split_terminator(",
    ".rsplit(",
    ".rsplitn(",
    ".rsplit_once(",
    ".strip_prefix(",
    ".strip_suffix(",
    ".trim_start_matches(",
    ".trim_end_matches(",
    "\"~1\"",
    "\"~0\"",
];

/// The lines of `text` (code, not comments) that take a pointer apart, as
/// `file:line: text`.
fn pointer_parsing(name: &str, text: &str) -> Vec<String> {
    text.lines()
        .enumerate()
        .filter(|(_, line)| !line.trim_start().starts_with("//"))
        .filter(|(_, line)| {
            POINTER_PARSING.iter().any(|call| line.contains(call))
                // A renderer gets no pointer to read: its subject is typed.
                || (name.contains("message") && line.contains("pointer: &"))
        })
        .map(|(i, line)| format!("{name}:{}: {}", i + 1, line.trim()))
        .collect()
}

/// Renderers read a violation's typed subject (`message::Subject`) and its detail,
/// never the pointer's text: nothing under `src/message/`, `src/report/` or in
/// `src/warning.rs` splits, strips or unescapes a string.
#[test]
fn no_renderer_reads_pointer_text() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    sources(&src.join("message"), &mut files);
    sources(&src.join("report"), &mut files);
    files.push(src.join("warning.rs"));
    assert!(files.len() >= 8, "{files:?}");
    let mut found = Vec::new();
    for f in &files {
        let text = std::fs::read_to_string(f).unwrap();
        let name = f.strip_prefix(&src).unwrap().display().to_string();
        found.extend(pointer_parsing(&name, &text));
    }
    assert!(
        found.is_empty(),
        "pointer text read by a renderer:\n{}",
        found.join("\n")
    );
}

/// The check above catches what the renderers did before their subjects were typed.
#[test]
fn the_pointer_check_catches_the_old_helpers() {
    let old = [
        "    match pointer.rsplit_once('/') {",
        "        .strip_prefix(\"/tags/\")",
        "        Cow::Owned(t.replace(\"~1\", \"/\").replace(\"~0\", \"~\"))",
        "    pub(crate) fn render(&self, pointer: &str, locale: Locale) -> String {",
    ];
    for line in old {
        assert_eq!(pointer_parsing("message/mod.rs", line).len(), 1, "{line}");
    }
    assert!(pointer_parsing("message/mod.rs", "// .split( in a comment").is_empty());
}
