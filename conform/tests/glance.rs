//! `ims-conform` against the real Glance 33 API (`../shared/peers/glance-api.sh`, a
//! fresh database), when `GLANCE_PEER_URL` names it (CI starts it and sets it; without
//! it the test says it was skipped, and fails under `CI`). Glance is not IMS: the run
//! must give only divergences that `conform/baselines/glance-33.jsonl` holds (written
//! from a run on a fresh database; the same seed gives the same cases), need every entry
//! of it, and leave no image behind.

use std::process::Command;

#[test]
fn glance_33_diverges_exactly_as_its_baseline() {
    let Some(url) = std::env::var_os("GLANCE_PEER_URL") else {
        eprintln!("GLANCE_PEER_URL not set: skipping the run against Glance (../shared/peers/glance-api.sh)");
        assert!(
            std::env::var_os("CI").is_none(),
            "CI must run Glance and set GLANCE_PEER_URL"
        );
        return;
    };
    let baseline = concat!(env!("CARGO_MANIFEST_DIR"), "/baselines/glance-33.jsonl");
    let out = Command::new(env!("CARGO_BIN_EXE_ims-conform"))
        .arg(url)
        .args(["--count", "100", "--seed", "1", "--baseline", baseline])
        .args(["-H", "X-Identity-Status: Confirmed"])
        .args(["-H", "X-Project-Id: b912fb4a4c464b568ecfca1071b21b10"])
        .args(["-H", "X-Roles: member,reader"])
        .args(["-H", "Accept: application/json"])
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    let entries = std::fs::read_to_string(baseline)
        .unwrap()
        .lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .count();
    assert!(entries > 20, "{entries}");
    // Every entry still needed (none fixed since), and nothing new.
    assert!(
        stdout.contains(&format!("{entries} of its {entries} entries seen, 0 new")),
        "{stdout}\n{stderr}"
    );
    assert_eq!(out.status.code(), Some(0), "{stdout}\n{stderr}");
    assert!(!stderr.contains("left behind"), "{stderr}");
}
