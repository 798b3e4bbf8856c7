//! The bytes of refusals, pinned (issue #27): the renderers were rewritten from
//! `core::fmt` to writers that push a template's pieces straight into the answer,
//! and a report must read the same to the byte. The digest below was taken from the
//! `core::fmt` renderers (commit 43f1c4d) over the same reports: every code the kit
//! can break, under three rule sets, in every format and locale, with the messages
//! and params each violation gives on its own. A change of any byte of any of them
//! changes the digest; so does a change of the kit's cases or of the built-in
//! catalog (then take the digest again from a renderer known right).

use ims_image_meta::kit::{codes, Case, Source};
use ims_image_meta::report::{Format, Style};
use ims_image_meta::{validate, Locale, Report, Rules};

/// FNV-1a, 64 bits: a digest that is the same on every platform and release.
struct Fnv(u64);

impl Fnv {
    fn eat(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 ^= u64::from(b);
            self.0 = self.0.wrapping_mul(0x0000_0100_0000_01B3);
        }
        // A separator, so that ("ab", "c") and ("a", "bc") differ.
        self.0 ^= 0xFF;
        self.0 = self.0.wrapping_mul(0x0000_0100_0000_01B3);
    }
}

fn eat_report(h: &mut Fnv, r: &Report) {
    for format in Format::ALL {
        for locale in Locale::ALL {
            let mut out = Vec::new();
            r.write_json(Style::new(*format, *locale), &mut out);
            h.eat(&out);
        }
    }
    for v in r.violations() {
        for locale in Locale::ALL {
            h.eat(v.message_in(*locale).as_bytes());
        }
        h.eat(v.params().to_string().as_bytes());
    }
}

#[test]
fn refusals_keep_their_bytes() {
    let b = || Rules::default().to_builder();
    let all = [
        Rules::default(),
        b().quote_input(false).build().unwrap(),
        b().max_violations(3)
            .refuse_near_miss_keys(true)
            .build()
            .unwrap(),
    ];
    let mut h = Fnv(0xCBF2_9CE4_8422_2325);
    let mut reports = 0;
    for (i, rules) in all.iter().enumerate() {
        for seed in 0..24u64 {
            let mut source = Source::from_seed(seed * 3 + i as u64);
            let mut bodies = Vec::new();
            for code in codes(rules) {
                if let Ok(case) = Case::breaking(rules, code, &mut source) {
                    bodies.push(case.body().to_vec());
                }
            }
            for case in [
                Case::several(rules, &mut source),
                Case::hostile(rules, &mut source),
            ]
            .into_iter()
            .flatten()
            {
                bodies.push(case.body().to_vec());
            }
            for body in bodies {
                if let Err(r) = validate(&body, rules) {
                    eat_report(&mut h, &r);
                    reports += 1;
                }
            }
        }
    }
    assert!(reports > 1000, "{reports} reports");
    assert_eq!(format!("{:016x} {reports}", h.0), "99ced965c3edfa1d 1384");
}
