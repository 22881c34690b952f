//! Lot recall: which clients and sessions used a cartridge, anaesthetic or product lot.

use pinpoint_core::catalogue::ProductKind;
use pinpoint_core::recall::{self, LotUse};
use pinpoint_core::session::{AnaestheticInput, LotInput, Phase, ProductInput, SessionDraft};

use crate::clinic::{at, clinic, days_before};
use crate::today;

/// What a recall hit says, in a form that is easy to compare.
type Hit = (
    String,
    chrono::NaiveDate,
    String,
    ProductKind,
    String,
    LotUse,
);

#[test]
fn a_recall_finds_every_client_and_session_that_used_the_lot() {
    let mut c = clinic();
    let olivia = c.client;
    let sofia = c.add_client("Sofia Marquez");
    let base = c.draft();
    let lots = |cartridge: &str| SessionDraft {
        cartridge: Some(LotInput {
            product: "Nano 36-pin".to_owned(),
            lot: cartridge.to_owned(),
        }),
        anaesthetic: Some(AnaestheticInput {
            product: "Lidocaine 5% cream".to_owned(),
            lot: Some("LD-7781".to_owned()),
            applied_at: None,
            removed_at: None,
        }),
        products: vec![
            ProductInput {
                product: "Hyaluronic serum".to_owned(),
                lot: "HA-55".to_owned(),
                phase: Phase::During,
            },
            ProductInput {
                product: "Hyaluronic serum".to_owned(),
                lot: "HA-55".to_owned(),
                phase: Phase::After,
            },
        ],
        ..base.clone()
    };
    // Olivia: C-100 forty days ago, C-200 today; Sofia: C-100 ten days ago,
    // with no anaesthetic and no serum.
    let o1 = c.create(&SessionDraft {
        client_id: olivia,
        started_at: at(days_before(40), "09:00"),
        ..lots("C-100")
    });
    let o2 = c.create(&SessionDraft {
        client_id: olivia,
        ..lots("C-200")
    });
    let s1 = c.create(&SessionDraft {
        anaesthetic: None,
        products: Vec::new(),
        ..SessionDraft {
            client_id: sofia,
            started_at: at(days_before(10), "14:30"),
            ..lots("c-100")
        }
    });

    let hits = |lot: &str| -> Vec<(String, Hit)> {
        recall::recall(c.db(), lot)
            .unwrap()
            .into_iter()
            .map(|h| {
                let session = if h.session_id == o1.id {
                    "o1"
                } else if h.session_id == o2.id {
                    "o2"
                } else if h.session_id == s1.id {
                    "s1"
                } else {
                    "?"
                };
                (
                    session.to_owned(),
                    (
                        h.client_name,
                        h.session_date,
                        h.product,
                        h.kind,
                        h.lot_number,
                        h.used_as,
                    ),
                )
            })
            .collect()
    };
    let hit = |session: &str, client: &str, date, product: &str, kind, lot: &str, used| {
        (
            session.to_owned(),
            (
                client.to_owned(),
                date,
                product.to_owned(),
                kind,
                lot.to_owned(),
                used,
            ),
        )
    };
    let cartridge = |session, client, date| {
        hit(
            session,
            client,
            date,
            "Nano 36-pin",
            ProductKind::Cartridge,
            "C-100",
            LotUse::Cartridge,
        )
    };
    let anaesthetic = |session, date| {
        hit(
            session,
            "Olivia Bennett",
            date,
            "Lidocaine 5% cream",
            ProductKind::Anaesthetic,
            "LD-7781",
            LotUse::Anaesthetic,
        )
    };
    let serum = |session, date| {
        hit(
            session,
            "Olivia Bennett",
            date,
            "Hyaluronic serum",
            ProductKind::Serum,
            "HA-55",
            LotUse::Product,
        )
    };

    assert_eq!(
        hits("c-100"),
        [
            cartridge("o1", "Olivia Bennett", days_before(40)),
            cartridge("s1", "Sofia Marquez", days_before(10)),
        ],
        "a cartridge lot used by two clients lists both, oldest first, whatever the case typed"
    );
    assert_eq!(
        hits(" ld-7781 "),
        [
            anaesthetic("o1", days_before(40)),
            anaesthetic("o2", today())
        ],
        "an anaesthetic lot finds the sessions it was used in"
    );
    assert_eq!(
        hits("HA-55"),
        [serum("o1", days_before(40)), serum("o2", today())],
        "a product lot used twice in one session lists that session once"
    );
    assert_eq!(
        hits("C-200"),
        [hit(
            "o2",
            "Olivia Bennett",
            today(),
            "Nano 36-pin",
            ProductKind::Cartridge,
            "C-200",
            LotUse::Cartridge
        )]
    );
    assert_eq!(hits("C-999"), [], "an unknown lot finds nothing");
    assert_eq!(hits(""), [], "an empty lot number finds nothing");

    let first = &recall::recall(c.db(), "C-100").unwrap()[0];
    assert_eq!(
        (first.client_id, first.phone.as_deref()),
        (olivia, Some("+44 7700 900123")),
        "a hit carries what is needed to contact the client"
    );
}
