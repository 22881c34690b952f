//! Accounts: the first owner, passphrases kept only as Argon2id hashes,
//! sign-in with a growing wait after wrong passphrases, disabling (never
//! deleting), and who may manage accounts.

use chrono::{Duration, FixedOffset};
use pinpoint_core::account::{self, NewAccount};
use pinpoint_core::action::accounts::FirstOwner;
use pinpoint_core::action::{accounts, Actor, Clinic, Clock, Ctx, Role};
use pinpoint_core::ErrorKind;

use crate::now;

const OWNER_PASSPHRASE: &str = "correct horse battery staple";

fn clock_at(seconds: i64) -> Clock {
    Clock::at(
        now() + Duration::seconds(seconds),
        FixedOffset::east_opt(0).unwrap(),
    )
}

const OWNER_PIN: &str = "4821";

pub fn first_owner(name: &str, passphrase: &str) -> FirstOwner {
    FirstOwner {
        clinic_name: "Harbour Skin".to_owned(),
        name: name.to_owned(),
        passphrase: passphrase.to_owned(),
        pin: OWNER_PIN.to_owned(),
        treats: None,
    }
}

/// A clinic whose first owner is "Hannah Owner".
fn clinic() -> (tempfile::TempDir, Clinic) {
    let dir = tempfile::tempdir().unwrap();
    let clinic = crate::open_clinic(dir.path());
    assert!(
        accounts::needs_first_owner(&clinic).unwrap(),
        "a new clinic has no account"
    );
    accounts::create_first_owner(
        &clinic,
        clock_at(0),
        &first_owner("Hannah Owner", OWNER_PASSPHRASE),
    )
    .unwrap();
    (dir, clinic)
}

fn new_account(name: &str, role: Role) -> NewAccount {
    NewAccount {
        name: name.to_owned(),
        role,
        practitioner_id: None,
        treats: None,
        passphrase: None,
        pin: None,
    }
}

#[test]
fn the_first_owner_is_made_once_and_the_passphrase_is_kept_only_as_a_hash() {
    let (dir, clinic) = clinic();
    let again = accounts::create_first_owner(
        &clinic,
        clock_at(0),
        &first_owner("Someone Else", "another long passphrase"),
    )
    .unwrap_err();
    assert_eq!(again.kind(), ErrorKind::Conflict, "{again}");
    let hash: String = crate::Raw::open(dir.path())
        .db()
        .query_one(
            "SELECT passphrase_hash FROM account",
            &[],
            "account",
            |row| row.get(0),
        )
        .unwrap();
    assert!(
        hash.starts_with("$argon2id$v=19$m=131072,t=4,p=1$"),
        "Argon2id with the measured parameters: {hash}"
    );
    drop(clinic);
    for name in std::fs::read_dir(dir.path()).unwrap() {
        let bytes = std::fs::read(name.unwrap().path()).unwrap_or_default();
        assert!(
            !bytes
                .windows(OWNER_PASSPHRASE.len())
                .any(|w| w == OWNER_PASSPHRASE.as_bytes()),
            "the passphrase itself is written nowhere"
        );
    }
}

#[test]
fn a_short_passphrase_is_refused_before_anything_is_stored() {
    let dir = tempfile::tempdir().unwrap();
    let clinic = crate::open_clinic(dir.path());
    let error =
        accounts::create_first_owner(&clinic, clock_at(0), &first_owner("Hannah Owner", "short"))
            .unwrap_err();
    assert_eq!(error.field(), Some("passphrase"));
    assert!(
        error.to_string().contains("at least 10 characters"),
        "{error}"
    );
    assert!(
        accounts::needs_first_owner(&clinic).unwrap(),
        "nothing was stored"
    );
}

#[test]
fn signing_in_gives_the_account_and_wrong_passphrases_wait_longer_each_time() {
    let (_dir, clinic) = clinic();
    let actor = accounts::sign_in(&clinic, clock_at(0), "hannah owner", OWNER_PASSPHRASE).unwrap();
    assert!(
        matches!(&actor, Actor::Account { name, role: Role::Owner, .. } if name == "Hannah Owner"),
        "{actor:?}"
    );
    let wrong = |at: i64| {
        accounts::sign_in(&clinic, clock_at(at), "Hannah Owner", "wrong horse battery")
            .unwrap_err()
            .to_string()
    };
    assert_eq!(
        wrong(10),
        "the passphrase for Hannah Owner is wrong; try again in 1 s"
    );
    let early =
        accounts::sign_in(&clinic, clock_at(10), "Hannah Owner", OWNER_PASSPHRASE).unwrap_err();
    assert!(
        early.to_string().contains("try again in 1 s"),
        "even the right passphrase waits: {early}"
    );
    assert_eq!(
        wrong(11),
        "the passphrase for Hannah Owner is wrong; try again in 2 s"
    );
    assert_eq!(
        wrong(13),
        "the passphrase for Hannah Owner is wrong; try again in 4 s"
    );
    assert!(accounts::sign_in(&clinic, clock_at(17), "Hannah Owner", OWNER_PASSPHRASE).is_ok());
    assert_eq!(
        wrong(18),
        "the passphrase for Hannah Owner is wrong; try again in 1 s",
        "a good sign-in starts the count again"
    );
    assert_eq!(
        account::wait_after(20).num_seconds(),
        60,
        "the wait stops at a minute"
    );
}

#[test]
fn only_the_owner_manages_accounts_and_the_last_owner_stays() {
    let (dir, clinic) = clinic();
    let owner = accounts::sign_in(&clinic, clock_at(0), "Hannah Owner", OWNER_PASSPHRASE).unwrap();
    let as_owner = Ctx::new(&clinic, clock_at(0)).acting_as(owner.clone());
    let maya =
        accounts::add_account(&as_owner, &new_account("Maya Lewis", Role::Practitioner)).unwrap();
    assert!(
        maya.needs_passphrase,
        "Maya sets her passphrase when she first signs in"
    );
    let early =
        accounts::sign_in(&clinic, clock_at(1), "Maya Lewis", "anything at all").unwrap_err();
    assert!(early.to_string().contains("no passphrase yet"), "{early}");

    let as_maya = Ctx::new(&clinic, clock_at(2)).acting_as(Actor::Account {
        id: maya.id,
        name: maya.name.clone(),
        role: Role::Practitioner,
    });
    accounts::set_passphrase(&as_maya, maya.id, "Maya's own long passphrase", None).unwrap();
    let refused =
        accounts::add_account(&as_maya, &new_account("Sam Desk", Role::Assistant)).unwrap_err();
    assert_eq!(refused.kind(), ErrorKind::Forbidden, "{refused}");
    let Actor::Account { id: owner_id, .. } = owner else {
        unreachable!()
    };
    let alone = accounts::set_account_disabled(&as_owner, owner_id, true).unwrap_err();
    assert_eq!(alone.kind(), ErrorKind::Conflict, "{alone}");

    accounts::set_account_disabled(&as_owner, maya.id, true).unwrap();
    let disabled = accounts::sign_in(
        &clinic,
        clock_at(3),
        "Maya Lewis",
        "Maya's own long passphrase",
    )
    .unwrap_err();
    assert_eq!(disabled.kind(), ErrorKind::Forbidden, "{disabled}");
    assert!(disabled.to_string().contains("is disabled"), "{disabled}");

    let deleted = crate::Raw::open(dir.path())
        .db()
        .execute("DELETE FROM account WHERE name = 'Maya Lewis'", &[]);
    assert!(deleted.is_err(), "accounts are never deleted");
}

#[test]
fn a_pin_resumes_until_five_wrong_ones_then_only_the_passphrase_opens() {
    let (_dir, clinic) = clinic();
    let Actor::Account { id, .. } =
        accounts::sign_in(&clinic, clock_at(0), "Hannah Owner", OWNER_PASSPHRASE).unwrap()
    else {
        unreachable!()
    };
    let resumed = accounts::resume(&clinic, clock_at(1), id, OWNER_PIN).unwrap();
    assert!(matches!(resumed, Actor::Account { .. }));
    for left in (1..=4).rev() {
        let wrong = accounts::resume(&clinic, clock_at(2), id, "0000").unwrap_err();
        assert_eq!(wrong.field(), Some("pin"));
        assert!(
            wrong.to_string().contains(&format!("{left} tr")),
            "{left} left: {wrong}"
        );
    }
    let fifth = accounts::resume(&clinic, clock_at(3), id, "0000").unwrap_err();
    assert!(fifth.to_string().contains("passphrase"), "{fifth}");
    assert_eq!(fifth.field(), Some("passphrase"), "the window asks for it");
    let spent = accounts::resume(&clinic, clock_at(4), id, OWNER_PIN).unwrap_err();
    assert!(
        spent.to_string().contains("sign in with the passphrase"),
        "even the right PIN no longer opens: {spent}"
    );
    accounts::sign_in(&clinic, clock_at(5), "Hannah Owner", OWNER_PASSPHRASE).unwrap();
    accounts::resume(&clinic, clock_at(6), id, OWNER_PIN)
        .expect("the passphrase gives the PIN its five tries back");
    let letters = account::hash_pin("12ab").unwrap_err();
    assert_eq!(letters.to_string(), "a PIN is 4 to 8 digits");
}

#[test]
fn practitioners_on_record_become_accounts_that_choose_their_passphrase_when_first_used() {
    let dir = tempfile::tempdir().unwrap();
    let clinic = crate::open_clinic(dir.path());
    let workstation = Ctx::new(&clinic, clock_at(0));
    pinpoint_core::action::catalogue::add_practitioner(&workstation, "Hannah Owner", "MD").unwrap();
    pinpoint_core::action::catalogue::add_practitioner(&workstation, "Leo Marsh", "RN").unwrap();
    accounts::create_first_owner(
        &clinic,
        clock_at(1),
        &first_owner("Hannah Owner", OWNER_PASSPHRASE),
    )
    .unwrap();
    let names = accounts::sign_in_names(&clinic).unwrap();
    let shown: Vec<(&str, bool)> = names
        .iter()
        .map(|n| (n.name.as_str(), n.needs_passphrase))
        .collect();
    assert_eq!(shown, [("Hannah Owner", false), ("Leo Marsh", true)]);
    let owner = accounts::sign_in(&clinic, clock_at(2), "Hannah Owner", OWNER_PASSPHRASE).unwrap();
    let as_owner = Ctx::new(&clinic, clock_at(2)).acting_as(owner);
    let all = accounts::list_accounts(&as_owner).unwrap();
    assert!(
        all.iter().all(|a| a.practitioner_id.is_some()),
        "the owner of the same name treats as that practitioner, Leo as his: {all:?}"
    );
    let leo = accounts::claim_account(
        &clinic,
        clock_at(3),
        "leo marsh",
        "Leo's chosen passphrase",
        "7319",
    )
    .unwrap();
    assert!(matches!(
        &leo,
        Actor::Account {
            role: Role::Practitioner,
            ..
        }
    ));
    let twice = accounts::claim_account(
        &clinic,
        clock_at(4),
        "Leo Marsh",
        "someone else's guess",
        "1111",
    )
    .unwrap_err();
    assert_eq!(
        twice.kind(),
        ErrorKind::Conflict,
        "claimed once only: {twice}"
    );
    accounts::sign_in(&clinic, clock_at(5), "Leo Marsh", "Leo's chosen passphrase").unwrap();
}
