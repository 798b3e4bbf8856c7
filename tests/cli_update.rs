//! The update subcommands of the binary (`patch`, `tag add|remove`), run as a user runs
//! them: every case of `tests/data/patch.jsonl`, the formats and languages of a
//! refusal, a bad image file, `--help` and `--schema patch`.

mod common;

use std::path::PathBuf;

use common::patch::patch_cases;

use common::bin::{run, stdout_json};

fn scratch() -> PathBuf {
    let dir = std::env::temp_dir().join(format!("ims-cli-update-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

#[test]
fn every_patch_case_through_the_cli() {
    let dir = scratch();
    let mut failures = Vec::new();
    for case in patch_cases() {
        let image = dir.join(format!("image-{}.json", case.line));
        std::fs::write(&image, serde_json::to_vec(&case.image).unwrap()).unwrap();
        let image = image.to_string_lossy().into_owned();
        let now = case.now.to_string();
        let mut args: Vec<String> = Vec::new();
        let mut stdin = Vec::new();
        match case.call.as_str() {
            "patch" => {
                args.extend([
                    "patch".into(),
                    "--media-type".into(),
                    case.media_type.clone().unwrap(),
                ]);
                stdin = case.body.clone().unwrap().into_bytes();
            }
            "tag_add" => args.extend(["tag".into(), "add".into(), case.tag.clone().unwrap()]),
            _ => args.extend(["tag".into(), "remove".into(), case.tag.clone().unwrap()]),
        }
        args.extend(["--image".into(), image, "--now".into(), now]);
        let rules_file = dir.join(format!("rules-{}.json", case.line));
        if let Some(r) = &case.rules {
            std::fs::write(&rules_file, serde_json::to_vec(r).unwrap()).unwrap();
            args.extend(["--rules".into(), rules_file.to_string_lossy().into_owned()]);
        }
        let argv: Vec<&str> = args.iter().map(String::as_str).collect();
        let out = run(&argv, &stdin);
        let ok = case.status == case.success_status();
        let want_code = if ok { 0 } else { 1 };
        if out.status.code() != Some(want_code) {
            failures.push(format!("line {}: exit {:?}", case.line, out.status.code()));
            continue;
        }
        let json = stdout_json(&out);
        let status = if ok {
            case.status
        } else {
            json["status"].as_u64().unwrap() as u16
        };
        if let Err(e) = case.check(status, &json) {
            failures.push(format!("line {} ({}): {e}", case.line, case.name));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

fn image_file() -> String {
    let path = scratch().join("image.json");
    std::fs::write(&path, serde_json::to_vec(&patch_cases()[0].image).unwrap()).unwrap();
    path.to_string_lossy().into_owned()
}

#[test]
fn refusals_in_every_format_and_language() {
    let image = image_file();
    let body = br#"[{"op": "replace", "path": "/min_disk", "value": 50}]"#;
    let out = run(
        &[
            "patch", "--image", &image, "--format", "ims", "--lang", "zh-CN",
        ],
        body,
    );
    assert_eq!(out.status.code(), Some(1));
    let v = stdout_json(&out);
    assert_eq!(v["error"]["code"], "IMG.0001");
    assert_eq!(v["error"]["message"], "属性'min_disk'不能通过此接口修改。");
    let out = run(&["patch", "--image", &image, "--format", "problem"], body);
    let v = stdout_json(&out);
    assert_eq!(
        (v["status"].as_u64(), v["title"].as_str()),
        (Some(403), Some("Forbidden"))
    );
    // v2.0 by its media type; a media type the call does not take.
    let out = run(
        &[
            "patch",
            "--image",
            &image,
            "--media-type",
            "application/openstack-images-v2.0-json-patch",
        ],
        br#"[{"replace": "/name", "value": "web"}]"#,
    );
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(stdout_json(&out)["name"], "web");
    let out = run(
        &[
            "patch",
            "--image",
            &image,
            "--media-type",
            "application/json",
        ],
        b"[]",
    );
    assert_eq!(
        (out.status.code(), stdout_json(&out)["status"].as_u64()),
        (Some(1), Some(415))
    );
}

#[test]
fn a_bad_image_file_is_exit_2_naming_the_file() {
    let dir = scratch();
    let bad = dir.join("bad-image.json");
    std::fs::write(&bad, br#"{"name": "x"}"#).unwrap();
    let bad = bad.to_string_lossy().into_owned();
    for args in [
        vec!["patch", "--image", bad.as_str()],
        vec!["tag", "add", "x", "--image", bad.as_str()],
        vec!["tag", "remove", "x", "--image", "/no/such/image.json"],
    ] {
        let out = run(&args, b"[]");
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(
            err.contains("bad image") && err.contains(args.last().unwrap()),
            "{err}"
        );
        assert!(out.stdout.is_empty());
    }
    let malformed = dir.join("malformed.json");
    std::fs::write(&malformed, b"{").unwrap();
    let out = run(&["patch", "--image", &malformed.to_string_lossy()], b"[]");
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("EOF"));
}

#[test]
fn usage_errors_and_help() {
    let image = image_file();
    for (args, why) in [
        (vec!["patch"], "--image IMAGE.json is required"),
        (vec!["tag", "add"], "tag needs a TAG"),
        (
            vec!["tag", "move", "x", "--image", image.as_str()],
            "tag wants add or remove",
        ),
        (
            vec!["tag", "add", "x", "y", "--image", image.as_str()],
            "unexpected argument",
        ),
        (
            vec!["patch", "a", "b", "--image", image.as_str()],
            "patch reads one FILE",
        ),
        (
            vec![
                "tag",
                "add",
                "x",
                "--media-type",
                "x",
                "--image",
                image.as_str(),
            ],
            "--media-type",
        ),
        (
            vec![
                "patch",
                "--image",
                image.as_str(),
                "--profile",
                "otc",
                "--rules",
                "r.json",
            ],
            "not both",
        ),
    ] {
        let out = run(&args, b"[]");
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(why), "{args:?}: {err}");
    }
    let out = run(&["--help"], b"");
    let help = String::from_utf8_lossy(&out.stdout);
    for word in [
        "ims-image-meta patch --image IMAGE.json",
        "tag add|remove TAG",
        "--media-type TYPE",
        "--schema [request|record|patch|openapi]",
    ] {
        assert!(help.contains(word), "--help lacks {word}");
    }
    let out = run(&["patch", "--help"], b"");
    assert_eq!(out.status.code(), Some(0));
}

#[test]
fn the_patch_schema_is_printed() {
    let out = run(&["--schema", "patch"], b"");
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(
        stdout_json(&out),
        ims_image_meta::schema::patch_schema(&ims_image_meta::Rules::default())
    );
    let out = run(&["--schema", "patch", "--profile", "otc"], b"");
    let otc = ims_image_meta::Rules::profile(ims_image_meta::Profile::Otc);
    assert_eq!(
        stdout_json(&out),
        ims_image_meta::schema::patch_schema(&otc)
    );
}

/// `tag`'s options go anywhere before `--`; `--` ends them, so a TAG may start with `-`
/// and what follows `--` is never an option.
#[test]
fn tag_options_anywhere_before_the_double_dash() {
    let image = image_file();
    let now = "1464854400";
    let after = run(&["tag", "add", "web", "--image", &image, "--now", now], b"");
    assert_eq!(after.status.code(), Some(0), "{after:?}");
    assert!(stdout_json(&after)["tags"]
        .as_array()
        .unwrap()
        .contains(&"web".into()));
    for args in [
        vec!["tag", "add", "--image", &image, "--now", now, "--", "web"],
        vec!["tag", "--image", &image, "add", "--now", now, "web"],
        vec!["tag", "add", "--now", now, "web", "--image", &image],
    ] {
        let out = run(&args, b"");
        assert_eq!(out.status.code(), Some(0), "{args:?}: {out:?}");
        assert_eq!(out.stdout, after.stdout, "{args:?}");
    }
    // A tag that starts with `-`, after `--`: added, and removed the same way.
    let out = run(
        &["tag", "add", "--image", &image, "--now", now, "--", "-x"],
        b"",
    );
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    let tagged = stdout_json(&out);
    assert!(tagged["tags"].as_array().unwrap().contains(&"-x".into()));
    let with_x = scratch().join("image-with-x.json");
    std::fs::write(&with_x, serde_json::to_vec(&tagged).unwrap()).unwrap();
    let with_x = with_x.to_string_lossy().into_owned();
    let out = run(&["tag", "remove", "--image", &with_x, "--", "-x"], b"");
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    assert!(!stdout_json(&out)["tags"]
        .as_array()
        .unwrap()
        .contains(&"-x".into()));
    // Without `--`, `-x` is an unknown option; after `--`, options are positionals.
    for (args, why) in [
        (
            vec!["tag", "add", "--image", &image, "-x"],
            "unknown option '-x'",
        ),
        (
            vec!["tag", "add", "--image", &image, "--", "-x", "--now", now],
            "unexpected argument \"--now\"",
        ),
        (
            vec!["tag", "add", "--", "web", "--image", &image],
            "unexpected argument \"--image\"",
        ),
    ] {
        let out = run(&args, b"");
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(why), "{args:?}: {err}");
        assert!(out.stdout.is_empty());
    }
}

/// `patch`'s FILE goes before or after the options; after `--` all is positional.
#[test]
fn patch_options_anywhere_before_the_double_dash() {
    let image = image_file();
    let body = br#"[{"op": "replace", "path": "/name", "value": "web"}]"#;
    let now = "1464854400";
    let base = run(&["patch", "--image", &image, "--now", now], body);
    assert_eq!(base.status.code(), Some(0), "{base:?}");
    assert_eq!(stdout_json(&base)["name"], "web");
    for args in [
        vec!["patch", "-", "--image", &image, "--now", now],
        vec!["patch", "--now", now, "--image", &image, "--", "-"],
    ] {
        let out = run(&args, body);
        assert_eq!(out.status.code(), Some(0), "{args:?}: {out:?}");
        assert_eq!(out.stdout, base.stdout, "{args:?}");
    }
    let out = run(&["patch", "--image", &image, "--", "--format", "ims"], body);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("patch reads one FILE, got '--format' and 'ims'"),
        "{err}"
    );
}

/// `SUBCOMMAND --help` (or `-h`, anywhere before `--`) prints that subcommand's help,
/// not the whole one, and exits 0.
#[test]
fn subcommand_help_is_its_own() {
    let top = run(&["--help"], b"");
    assert_eq!(top.status.code(), Some(0));
    for (args, usage) in [
        (
            &["tag", "--help"][..],
            "usage: ims-image-meta tag add|remove TAG",
        ),
        (
            &["tag", "add", "web", "-h"],
            "usage: ims-image-meta tag add|remove TAG",
        ),
        (
            &["patch", "--help"],
            "usage: ims-image-meta patch --image IMAGE.json",
        ),
        (
            &["patch", "--image", "x.json", "-h"],
            "usage: ims-image-meta patch",
        ),
        (&["corpus", "--help"], "usage: ims-image-meta corpus DIR"),
    ] {
        let out = run(args, b"");
        assert_eq!(out.status.code(), Some(0), "{args:?}: {out:?}");
        let help = String::from_utf8_lossy(&out.stdout);
        assert!(help.contains(usage), "{args:?}: {help}");
        assert!(!help.contains("--jsonl"), "{args:?} printed the whole help");
        assert_ne!(out.stdout, top.stdout);
    }
    // After `--`, `--help` is a TAG.
    let out = run(&["tag", "add", "--", "--help"], b"");
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--image IMAGE.json is required"));
}
