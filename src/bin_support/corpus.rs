//! `ims-image-meta corpus DIR`: bodies from the kit, with their verdicts and a
//! dictionary, for fuzzers (libFuzzer, AFL++) and for testing a server.

use std::fmt::Write as _;
use std::path::Path;

use ims_image_meta::kit::{self, Case, Source};
use ims_image_meta::Rules;

/// The most bodies one run writes (file names have five digits).
pub const MAX_COUNT: usize = 100_000;

/// Writes `count` bodies made from `seed` under `rules` into `dir` (created when
/// missing) as `NNNNN.json`, their verdicts as `manifest.jsonl` and the dictionary as
/// `ims.dict`. The first bodies break each code the rules allow, once; the rest are
/// `Case::any`. The same arguments write the same bytes.
pub fn write(dir: &Path, count: usize, seed: u64, rules: &Rules) -> Result<String, String> {
    let shown = dir.display();
    std::fs::create_dir_all(dir).map_err(|e| format!("cannot create {shown}: {e}"))?;
    let mut source = Source::from_seed(seed);
    let codes = kit::codes(rules);
    let mut manifest = String::new();
    let (mut valid, mut skipped) = (0usize, 0usize);
    for i in 0..count {
        let case = match codes.get(i) {
            Some(&code) => Case::breaking(rules, code, &mut source),
            None => Case::any(rules, &mut source),
        };
        let case = match case {
            Ok(c) => c,
            // A code that no body under this cap can break: a valid body instead.
            Err(_) => match Case::valid(rules, &mut source) {
                Ok(c) => c,
                Err(e) => return Err(format!("{e}")),
            },
        };
        skipped += usize::from(i < codes.len() && case.is_valid());
        valid += usize::from(case.is_valid());
        let file = format!("{i:05}.json");
        let path = dir.join(&file);
        std::fs::write(&path, case.body())
            .map_err(|e| format!("cannot write {}: {e}", path.display()))?;
        manifest.push_str(&manifest_line(&file, &case)?);
        manifest.push('\n');
    }
    let path = dir.join("manifest.jsonl");
    std::fs::write(&path, manifest).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    let path = dir.join("ims.dict");
    std::fs::write(&path, kit::dictionary(rules))
        .map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    let mut summary = format!(
        "{count} bodies ({valid} valid, {} rejected) in {shown}, with manifest.jsonl and ims.dict",
        count - valid
    );
    if skipped > 0 {
        let _ = write!(summary, "; {skipped} code(s) did not fit the body cap");
    }
    Ok(summary)
}

/// `{"file", "status", "violations": [[pointer, code], …], "what"}`.
fn manifest_line(file: &str, case: &Case) -> Result<String, String> {
    let violations: Vec<(&str, &str)> = case
        .violations()
        .iter()
        .map(|(p, c)| (p.as_str(), c.as_str()))
        .collect();
    let line = serde_json::json!({
        "file": file,
        "status": case.status(),
        "violations": violations,
        "what": case.what(),
    });
    serde_json::to_string(&line).map_err(|e| e.to_string())
}
