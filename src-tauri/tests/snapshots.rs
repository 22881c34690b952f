//! The command line's text output, as a person reads it, kept as
//! snapshots: a change to what `pinpoint` prints shows up here as a diff
//! (`UPDATE_EXPECT=1 cargo test -p pinpoint --test shell snapshots` takes
//! a deliberate change). Ids are replaced by their kind, since every run
//! makes new ones.

use std::path::Path;
use std::process::{Command, Output};

use expect_test::{expect, Expect};

use crate::helpers::{json, stderr, stdout};

/// Runs the binary in UTC, so the local times it prints are the same on
/// every machine.
fn pinpoint(data_dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_pinpoint"))
        .arg("--data-dir")
        .arg(data_dir)
        .args(args)
        .env_remove("PINPOINT_DATA_DIR")
        .env("TZ", "UTC")
        .output()
        .expect("the pinpoint binary runs")
}

/// A small clinic made through the command line, with fixed dates.
struct Clinic {
    dir: tempfile::TempDir,
    client: String,
    session: String,
}

impl Clinic {
    fn data(&self) -> &Path {
        self.dir.path()
    }

    fn id_of(&self, args: &[&str]) -> String {
        let mut args = args.to_vec();
        args.push("--json");
        json(&pinpoint(self.data(), &args))["id"]
            .as_str()
            .unwrap()
            .to_owned()
    }

    /// The text `args` prints, with every id this clinic made named instead.
    fn text(&self, args: &[&str]) -> String {
        let out = pinpoint(self.data(), args);
        assert!(out.status.success(), "{args:?}: {}", stderr(&out));
        stdout(&out)
            .replace(&self.client, "<client>")
            .replace(&self.session, "<session>")
    }
}

fn clinic() -> Clinic {
    let mut c = Clinic {
        dir: tempfile::tempdir().unwrap(),
        client: String::new(),
        session: String::new(),
    };
    c.id_of(&[
        "catalogue",
        "add-practitioner",
        "--name",
        "Maya Lewis",
        "--credentials",
        "RN",
    ]);
    c.id_of(&[
        "catalogue",
        "add-device",
        "--model",
        "Dermapen 4",
        "--serial",
        "DP4-0193",
        "--max-depth",
        "2.5",
    ]);
    c.client = c.id_of(&[
        "client",
        "add",
        "--name",
        "Hannah Müller",
        "--dob",
        "1990-04-12",
        "--fitzpatrick",
        "III",
        "--glogau",
        "2",
        "--phone",
        "+49 30 1234567",
        "--alerts",
        "allergic to lidocaine",
    ]);
    let client = c.client.clone();
    c.id_of(&[
        "screening",
        "add",
        "--client",
        &client,
        "--on",
        "2026-10-01",
    ]);
    c.id_of(&[
        "consent",
        "add",
        "--client",
        &client,
        "--kind",
        "treatment",
        "--signature",
        "H. Müller",
        "--on",
        "2026-10-01",
    ]);
    c.session = c.id_of(&[
        "session",
        "add",
        "--client",
        &client,
        "--practitioner",
        "Maya Lewis",
        "--at",
        "2026-10-15T09:30:00+00:00",
        "--device",
        "DP4-0193",
        "--cartridge",
        "Nano 16:CT-2291",
        "--zone",
        "cheeks:1.0:3:vertical stamping",
        "--zone",
        "forehead:0.75:2",
        "--product",
        "Hyaluronic serum:HY-77:after",
        "--endpoint",
        "erythema",
        "--pain",
        "4",
        "--reaction",
        "even redness",
        "--override",
        "depth_outside_guide:forehead=thick skin, discussed with the client",
    ]);
    c
}

fn check(c: &Clinic, args: &[&str], expected: Expect) {
    expected.assert_eq(&c.text(args));
}

#[test]
fn client_show_prints_the_record_at_a_glance() {
    let c = clinic();
    check(
        &c,
        &["client", "show", &c.client.clone()],
        expect![[r#"
        Hannah Müller  (<client>)
          born          1990-04-12
          fitzpatrick   III
          glogau        II
          alerts        allergic to lidocaine
          phone         +49 30 1234567
    "#]],
    );
}

#[test]
fn session_show_prints_zones_products_and_warnings_with_their_reasons() {
    let c = clinic();
    check(
        &c,
        &["session", "show", &c.session.clone()],
        expect![[r#"
        session <session>  2026-10-15 09:30  Maya Lewis
          device        Dermapen 4 DP4-0193
          cartridge     Nano 16 lot CT-2291
          zone          Cheeks             1 mm  × 3  vertical stamping
          zone          Forehead        0.75 mm  × 2
          product       Hyaluronic serum lot HY-77 (after)
          endpoint      erythema
          pain          4/10
          reaction      even redness
          warning       Forehead: 0.75 mm is outside the guide range 0.25 to 0.5 mm (reason: thick skin, discussed with the client)
          not signed
    "#]],
    );
}

#[test]
fn session_list_prints_one_line_a_session() {
    let c = clinic();
    check(
        &c,
        &["session", "list", &c.client.clone()],
        expect![[r#"
        <session>  2026-10-15  Cheeks 1 mm, Forehead 0.75 mm unsigned
    "#]],
    );
}

#[test]
fn lot_recall_names_the_client_and_the_session() {
    let c = clinic();
    check(
        &c,
        &["lot", "recall", "HY-77"],
        expect![[r#"
        2026-10-15  Hannah Müller            +49 30 1234567  session <session>  Hyaluronic serum lot HY-77
    "#]],
    );
}

#[test]
fn catalogue_list_prints_every_practitioner_device_and_product() {
    let c = clinic();
    check(
        &c,
        &["catalogue", "list"],
        expect![[r#"
        practitioner  Maya Lewis  RN
        device        Dermapen 4 DP4-0193 (up to 2.5 mm)
        cartridge     Nano 16: CT-2291
        serum         Hyaluronic serum: HY-77
    "#]],
    );
}

#[test]
fn verify_prints_each_check() {
    let c = clinic();
    check(
        &c,
        &["verify"],
        expect![[r#"
        database integrity: ok
        audit chain: ok (10 events)
        photos: 0 checked, 0 orphan file(s)
    "#]],
    );
}
