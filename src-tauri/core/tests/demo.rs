//! The demo clinic.

use pinpoint_core::client::{self, ClientQuery};
use pinpoint_core::{demo, practitioner, ErrorKind};

use crate::{fresh, now, today};

#[test]
fn demo_fills_an_empty_folder_with_a_varied_clinic() {
    let mut f = fresh();
    let summary = f.store.write(|tx| demo::fill(tx, today(), now())).unwrap();
    assert_eq!(summary.clients, 30);
    assert!(practitioner::list(f.store.db()).unwrap().len() >= 2);
    let all = client::search(
        f.store.db(),
        &ClientQuery {
            include_archived: true,
            ..ClientQuery::default()
        },
    )
    .unwrap();
    assert_eq!(all.len(), 30);
    let types: std::collections::BTreeSet<_> = all.iter().filter_map(|c| c.fitzpatrick).collect();
    assert!(types.len() >= 5, "skin types vary: {types:?}");
    assert!(all.iter().any(|c| c.archived), "some clients are archived");
    assert!(all.iter().all(|c| c.date_of_birth.unwrap() < today()));
}

#[test]
fn demo_refuses_a_folder_with_records() {
    let mut f = fresh();
    f.store.write(|tx| demo::fill(tx, today(), now())).unwrap();
    let err = f
        .store
        .write(|tx| demo::fill(tx, today(), now()))
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Conflict);
    assert_eq!(
        client::count(f.store.db()).unwrap(),
        30,
        "nothing added twice"
    );
}
