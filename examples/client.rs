//! Client side: compose a create body with the typed builder, check it with the same
//! rules the service applies, and print the minimal body to send.
//!
//! ```text
//! cargo run --example client                 # a good body: printed, exit 0
//! cargo run --example client -- --broken     # a bad one: the violations, exit 1
//! ```

use std::process::ExitCode;

use ims_image_meta::{
    values::{DiskFormat, FirmwareType},
    Catalog, RequestBuilder, Rules,
};

fn main() -> ExitCode {
    let broken = std::env::args().any(|a| a == "--broken");
    let catalog = Catalog::builtin();
    let Some(os) = catalog.get("Ubuntu 14.04 server 64bit") else {
        eprintln!("client: the catalog lacks the OS version");
        return ExitCode::from(2);
    };
    let mut body = RequestBuilder::new()
        .name("web-frontend")
        .os(os)
        .disk_format(DiskFormat::Qcow2)
        .min_ram(2048)
        .min_disk(40)
        .tags(["prod", "web"])
        .firmware_type(FirmwareType::Uefi)
        .property("cost_center", "cc-1024");
    if broken {
        body = body.name(" web/frontend").min_disk(20).tag("");
    }
    match body.build(&Rules::default()) {
        Ok(request) => {
            eprintln!(
                "ok: {} on {} ({} {}-bit)",
                request.name().unwrap_or(""),
                request.os_version(),
                request.os_version().platform(),
                request.os_version().bit()
            );
            println!("{}", String::from_utf8_lossy(&body.to_body()));
            ExitCode::SUCCESS
        }
        Err(report) => {
            eprintln!("the service would answer {}:", report.status());
            for v in report.violations() {
                eprintln!("  {} {}: {}", v.pointer(), v.code(), v.message());
            }
            ExitCode::from(1)
        }
    }
}
