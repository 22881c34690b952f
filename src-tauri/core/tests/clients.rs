//! Creating, editing, validating and searching clients.

use pinpoint_core::client::{self, ClientInput, ClientQuery, Indication};
use pinpoint_core::ids::ClientId;
use pinpoint_core::{ErrorKind, Store};

use crate::{fresh, now, today};

fn input(name: &str) -> ClientInput {
    ClientInput {
        name: name.to_owned(),
        ..ClientInput::default()
    }
}

fn add(store: &mut Store, input: ClientInput) -> client::Client {
    store
        .write(|tx| client::create(tx, ClientId::new(), &input, today(), now()))
        .expect("valid client")
}

fn names(store: &Store, search: &str) -> Vec<String> {
    let query = ClientQuery {
        search: Some(search.to_owned()),
        ..ClientQuery::default()
    };
    client::search(store.db(), &query)
        .unwrap()
        .into_iter()
        .map(|c| c.name)
        .collect()
}

#[test]
fn created_client_reads_back_with_every_field() {
    let mut f = fresh();
    let created = add(
        &mut f.store,
        ClientInput {
            name: "  Olivia   Bennett ".into(),
            date_of_birth: Some("1990-04-12".into()),
            phone: Some("+44 7700 900123".into()),
            email: Some("olivia@example.com".into()),
            fitzpatrick: Some(3),
            glogau: Some(2),
            indications: vec![
                Indication::AcneScars,
                Indication::Texture,
                Indication::AcneScars,
            ],
            alerts: " needle phobia ".into(),
            notes: "rolling acne scars".into(),
        },
    );
    assert_eq!(
        created.name, "Olivia Bennett",
        "names are trimmed and spaces collapsed"
    );
    let read = client::get(f.store.db(), created.id).unwrap();
    assert_eq!(read, created, "a stored client reads back unchanged");
    assert_eq!(read.fitzpatrick.unwrap().roman(), "III");
    assert_eq!(read.date_of_birth.unwrap().to_string(), "1990-04-12");
    assert_eq!(read.glogau.unwrap().value(), 2);
    assert_eq!(
        read.indications,
        [Indication::AcneScars, Indication::Texture],
        "indications are kept once each"
    );
    assert_eq!(read.alerts, "needle phobia");
    drop(f.store);
    let reopened = crate::open_store(f.dir.path());
    assert_eq!(
        client::get(reopened.db(), created.id).unwrap(),
        created,
        "the client survives closing and reopening the data folder"
    );
}

#[test]
fn bad_values_are_refused_with_the_field_named() {
    let cases: &[(&str, ClientInput)] = &[
        ("name", input("   ")),
        ("name", input(&"x".repeat(201))),
        (
            "date_of_birth",
            ClientInput {
                date_of_birth: Some("2026-11-26".into()),
                ..input("Tomorrow Born")
            },
        ),
        (
            "date_of_birth",
            ClientInput {
                date_of_birth: Some("1899-12-31".into()),
                ..input("Too Old")
            },
        ),
        (
            "date_of_birth",
            ClientInput {
                date_of_birth: Some("12/04/1990".into()),
                ..input("Wrong Format")
            },
        ),
        (
            "date_of_birth",
            ClientInput {
                date_of_birth: Some("1990-02-30".into()),
                ..input("No Such Day")
            },
        ),
        (
            "fitzpatrick",
            ClientInput {
                fitzpatrick: Some(7),
                ..input("Seven")
            },
        ),
        (
            "fitzpatrick",
            ClientInput {
                fitzpatrick: Some(0),
                ..input("Zero")
            },
        ),
        (
            "glogau",
            ClientInput {
                glogau: Some(5),
                ..input("Five")
            },
        ),
        (
            "phone",
            ClientInput {
                phone: Some("call me".into()),
                ..input("Words")
            },
        ),
        (
            "phone",
            ClientInput {
                phone: Some("123".into()),
                ..input("Short")
            },
        ),
        (
            "email",
            ClientInput {
                email: Some("olivia@".into()),
                ..input("Half Email")
            },
        ),
        (
            "email",
            ClientInput {
                email: Some("olivia example.com".into()),
                ..input("No At")
            },
        ),
    ];
    let mut f = fresh();
    for (field, bad) in cases {
        let err = f
            .store
            .write(|tx| client::create(tx, ClientId::new(), bad, today(), now()))
            .expect_err("a bad value must be refused");
        assert_eq!(err.kind(), ErrorKind::Invalid, "{bad:?}");
        assert_eq!(
            err.field(),
            Some(*field),
            "{bad:?} should be blamed on {field}: {err}"
        );
        assert!(
            !err.to_string().ends_with('.'),
            "messages have no trailing dot"
        );
    }
    assert_eq!(
        client::count(f.store.db()).unwrap(),
        0,
        "nothing is written"
    );
}

#[test]
fn born_today_is_accepted() {
    let mut f = fresh();
    let c = add(
        &mut f.store,
        ClientInput {
            date_of_birth: Some(today().to_string()),
            ..input("Newborn Edge")
        },
    );
    assert_eq!(c.date_of_birth, Some(today()));
}

#[test]
fn edit_changes_the_record_and_keeps_its_id() {
    let mut f = fresh();
    let c = add(&mut f.store, input("Hanah Müller"));
    let later = now() + chrono::Duration::minutes(5);
    let edited = f
        .store
        .write(|tx| {
            client::update(
                tx,
                c.id,
                &ClientInput {
                    email: Some("hannah@example.com".into()),
                    ..input("Hannah Müller")
                },
                today(),
                later,
            )
        })
        .unwrap();
    assert_eq!(edited.id, c.id);
    assert_eq!(edited.name, "Hannah Müller");
    assert_eq!(edited.updated_at, later);
    assert_eq!(
        edited.created_at, c.created_at,
        "creation time never changes"
    );
    assert_eq!(
        names(&f.store, "hannah"),
        ["Hannah Müller"],
        "search sees the new name"
    );
    assert!(
        names(&f.store, "hanah").is_empty(),
        "and no longer the old one"
    );
}

#[test]
fn a_refused_edit_leaves_the_client_as_it_was() {
    let mut f = fresh();
    let c = add(&mut f.store, input("Priya Sharma"));
    let err = f
        .store
        .write(|tx| {
            client::update(
                tx,
                c.id,
                &ClientInput {
                    fitzpatrick: Some(9),
                    ..input("Priya S.")
                },
                today(),
                now(),
            )
        })
        .unwrap_err();
    assert_eq!(err.field(), Some("fitzpatrick"));
    assert_eq!(client::get(f.store.db(), c.id).unwrap(), c);
}

#[test]
fn editing_an_unknown_client_is_not_found() {
    let mut f = fresh();
    let err = f
        .store
        .write(|tx| client::update(tx, ClientId::new(), &input("Ghost"), today(), now()))
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::NotFound);
}

#[test]
fn search_finds_fragments_case_and_accent_insensitively() {
    let mut f = fresh();
    for (name, phone, email) in [
        ("Hannah Müller", "+44 7700 900123", "hannah@example.com"),
        ("Mei Chen", "020 7946 0018", "mei.chen@example.org"),
        ("Chloé Dubois", "", ""),
        ("Daniel Chenoweth", "", "dan@clinic.test"),
    ] {
        add(
            &mut f.store,
            ClientInput {
                phone: (!phone.is_empty()).then(|| phone.to_owned()),
                email: (!email.is_empty()).then(|| email.to_owned()),
                ..input(name)
            },
        );
    }
    let check = |q: &str, expected: &[&str]| {
        assert_eq!(names(&f.store, q), expected, "searching for {q:?}");
    };
    check("CHEN", &["Daniel Chenoweth", "Mei Chen"]);
    check("hen", &["Daniel Chenoweth", "Mei Chen"]);
    check("dub", &["Chloé Dubois"]);
    check("mull", &["Hannah Müller"]);
    check("müll", &["Hannah Müller"]);
    check("chloe", &["Chloé Dubois"]);
    check("ann", &["Hannah Müller"]);
    check("ch", &["Chloé Dubois", "Daniel Chenoweth", "Mei Chen"]);
    check("ei", &["Mei Chen"]);
    check("7946", &["Mei Chen"]);
    check("7700-900", &["Hannah Müller"]);
    check("clinic.test", &["Daniel Chenoweth"]);
    check("mei chen", &["Mei Chen"]);
    check("chen dan", &["Daniel Chenoweth"]);
    check("zzz", &[]);
    // A term never runs from one field into the next.
    check("chenmei", &[]);
    check("chen020", &[]);
    check("\"", &[]);
    check("50%", &[]);
    check(
        "",
        &[
            "Chloé Dubois",
            "Daniel Chenoweth",
            "Hannah Müller",
            "Mei Chen",
        ],
    );
}

#[test]
fn search_by_date_of_birth() {
    let mut f = fresh();
    add(
        &mut f.store,
        ClientInput {
            date_of_birth: Some("1985-07-03".into()),
            ..input("Grace Walker")
        },
    );
    add(&mut f.store, input("Sara Silva"));
    assert_eq!(names(&f.store, "1985-07-03"), ["Grace Walker"]);
}

#[test]
fn archived_clients_are_hidden_unless_asked_for() {
    let mut f = fresh();
    let c = add(&mut f.store, input("Lars Eriksen"));
    f.store
        .write(|tx| client::set_archived(tx, c.id, true, now()))
        .unwrap();
    assert!(
        names(&f.store, "lars").is_empty(),
        "archived clients leave the list"
    );
    let all = client::search(
        f.store.db(),
        &ClientQuery {
            search: Some("lars".into()),
            include_archived: true,
            limit: None,
        },
    )
    .unwrap();
    assert_eq!(
        all.len(),
        1,
        "but are found when archived ones are included"
    );
    assert!(all[0].archived);
}

#[test]
fn search_follows_every_edit_of_what_it_looks_in() {
    let mut f = fresh();
    let c = add(
        &mut f.store,
        ClientInput {
            phone: Some("0161 496 0000".into()),
            email: Some("priya@old.test".into()),
            date_of_birth: Some("1979-02-11".into()),
            ..input("Priya Raman")
        },
    );
    let edited = ClientInput {
        phone: Some("0113 496 0777".into()),
        email: Some("p.iyer@new.test".into()),
        date_of_birth: Some("1979-02-12".into()),
        ..input("Priya Iyer")
    };
    f.store
        .write(|tx| client::update(tx, c.id, &edited, today(), now()))
        .unwrap();
    for gone in ["raman", "old.test", "01614960000", "1979-02-11"] {
        assert!(names(&f.store, gone).is_empty(), "{gone:?} was edited away");
    }
    for found in ["iyer", "new.test", "4960777", "1979-02-12", "p.iyer"] {
        assert_eq!(names(&f.store, found), ["Priya Iyer"], "{found:?}");
    }
    f.store
        .write(|tx| client::set_archived(tx, c.id, true, now()))
        .unwrap();
    assert!(names(&f.store, "iyer").is_empty(), "archived");
    f.store
        .write(|tx| client::set_archived(tx, c.id, false, now()))
        .unwrap();
    assert_eq!(
        names(&f.store, "iyer"),
        ["Priya Iyer"],
        "back from the archive"
    );
}

#[test]
fn a_nul_in_the_search_box_is_ignored_not_an_error() {
    // Found by the search property test: "¡\0¡" made FTS5 fail with
    // "unterminated string".
    let mut f = fresh();
    add(&mut f.store, input("Ada Okonkwo"));
    assert!(names(&f.store, "¡\0¡").is_empty());
    assert_eq!(names(&f.store, "oko\0"), ["Ada Okonkwo"]);
}

/// A complete, valid record, as the form's checks start from.
fn valid() -> ClientInput {
    ClientInput {
        name: "Ana Souza".to_owned(),
        date_of_birth: Some("1983-04-12".to_owned()),
        phone: Some("+44 (0)20 7946-0958".to_owned()),
        email: Some("ana@example.co.uk".to_owned()),
        fitzpatrick: Some(3),
        glogau: Some(2),
        indications: vec![Indication::AcneScars],
        alerts: "allergic to lidocaine".to_owned(),
        notes: "prefers morning appointments".to_owned(),
    }
}

/// `change` applied to a valid record: `expected` is `None` (accepted) or
/// the field and a fragment of the one message the form shows.
fn check_form(what: &str, change: impl Fn(&mut ClientInput), expected: Option<(&str, &str)>) {
    let mut input = valid();
    change(&mut input);
    let errors = input.field_errors(today());
    match expected {
        None => assert!(errors.is_empty(), "{what} should be accepted: {errors:?}"),
        Some((field, fragment)) => {
            assert_eq!(errors.len(), 1, "{what}: one problem: {errors:?}");
            assert_eq!(errors[0].field, field, "{what}");
            assert!(
                errors[0].message.contains(fragment),
                "{what}: {:?} should say {fragment:?}",
                errors[0].message
            );
            assert_eq!(
                input.validate(today()).unwrap_err().to_string(),
                errors[0].message,
                "{what}: the form and the save say the same"
            );
        }
    }
}

#[test]
fn the_form_checks_each_field_with_the_words_a_save_uses() {
    let day = |d: i64| (today() + chrono::Duration::days(d)).to_string();
    let limit = client::CLIENT_LIMITS;
    check_form("a valid record", |_| {}, None);
    check_form(
        "spaces for a name",
        |c| c.name = "   ".into(),
        Some(("name", "empty")),
    );
    check_form(
        "a name at the limit",
        |c| c.name = format!("  {}  ", "x".repeat(limit.name_max_chars)),
        None,
    );
    check_form(
        "200 emoji are 200 characters",
        |c| c.name = "😀".repeat(limit.name_max_chars),
        None,
    );
    check_form(
        "a name one past the limit",
        |c| c.name = "é".repeat(limit.name_max_chars + 1),
        Some(("name", "longer than 200")),
    );
    check_form("born today", |c| c.date_of_birth = Some(day(0)), None);
    check_form(
        "born tomorrow",
        |c| c.date_of_birth = Some(day(1)),
        Some(("date_of_birth", "in the future")),
    );
    check_form(
        "born 1900-01-01",
        |c| c.date_of_birth = Some("1900-01-01".into()),
        None,
    );
    check_form(
        "born 1899-12-31",
        |c| c.date_of_birth = Some("1899-12-31".into()),
        Some(("date_of_birth", "before 1900")),
    );
    check_form(
        "30 February",
        |c| c.date_of_birth = Some("2001-02-30".into()),
        Some(("date_of_birth", "not a date")),
    );
    check_form("a 5-digit phone", |c| c.phone = Some("12 345".into()), None);
    check_form(
        "a 4-digit phone",
        |c| c.phone = Some("1234".into()),
        Some(("phone", "5 to 20 digits")),
    );
    check_form(
        "letters in a phone",
        |c| c.phone = Some("call me".into()),
        Some(("phone", "5 to 20 digits")),
    );
    check_form(
        "an email without a domain",
        |c| c.email = Some("ana@".into()),
        Some(("email", "name@example.com")),
    );
    check_form("Fitzpatrick VI", |c| c.fitzpatrick = Some(6), None);
    check_form(
        "Fitzpatrick 7",
        |c| c.fitzpatrick = Some(7),
        Some(("fitzpatrick", "")),
    );
    check_form("Glogau 5", |c| c.glogau = Some(5), Some(("glogau", "")));
    check_form(
        "alerts past the limit",
        |c| c.alerts = "a".repeat(limit.alerts_max_chars + 1),
        Some(("alerts", "longer than 1000")),
    );
    check_form(
        "notes past the limit",
        |c| c.notes = "n".repeat(limit.notes_max_chars + 1),
        Some(("notes", "longer than 10000")),
    );
    check_form(
        "a NUL in the notes",
        |c| c.notes = "a\0b".into(),
        Some(("notes", "control characters")),
    );
}

#[test]
fn the_form_shows_every_broken_field_at_once() {
    let mut input = valid();
    input.name = " ".into();
    input.email = Some("nope".into());
    input.fitzpatrick = Some(9);
    let fields: Vec<String> = input
        .field_errors(today())
        .into_iter()
        .map(|e| e.field)
        .collect();
    assert_eq!(
        fields,
        ["name", "email", "fitzpatrick"],
        "in the form's order"
    );
}
