//! Property tests for every parser of outside input: whatever a person types
//! or a file holds, the core answers with a value or a clear error, never a
//! panic.

use pinpoint_core::client::{self, ClientInput, ClientQuery};
use pinpoint_core::depth::NeedleDepth;
use pinpoint_core::ids::ClientId;
use pinpoint_core::{backup, ErrorKind};
use proptest::prelude::*;

use crate::{fresh, now, today};

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn typed_depths_parse_or_say_why(text in ".{0,12}") {
        match NeedleDepth::parse(&text) {
            Ok(depth) => {
                prop_assert!(depth.micrometres() > 0 && depth.micrometres() <= 3000);
                let shown = depth.to_string();
                prop_assert_eq!(NeedleDepth::parse(&shown).unwrap(), depth, "display parses back");
            }
            Err(e) => {
                prop_assert_eq!(e.kind(), ErrorKind::Invalid);
                prop_assert!(e.to_string().contains("needle depth"), "{}", e);
            }
        }
    }

    #[test]
    fn depths_in_mm_are_valid_exactly_when_possible(mm in proptest::num::f64::ANY) {
        let result = NeedleDepth::from_mm(mm);
        let hundredths = (mm * 100.0).round();
        let possible = mm.is_finite() && mm * 1000.0 >= 0.5 && (mm * 1000.0).round() <= 3000.0
            && ((mm * 1000.0).round() / 10.0).fract() == 0.0;
        prop_assert_eq!(result.is_ok(), possible, "{} mm ({} hundredths)", mm, hundredths);
    }

    #[test]
    fn numbers_of_hundredths_round_trip_through_json(h in 1u32..=300) {
        let depth = NeedleDepth::from_mm(f64::from(h) / 100.0).unwrap();
        let json = serde_json::to_string(&depth).unwrap();
        prop_assert_eq!(serde_json::from_str::<NeedleDepth>(&json).unwrap(), depth);
    }

    #[test]
    fn backup_manifests_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..300)) {
        let _ = backup::read_manifest(&bytes);
    }

    #[test]
    fn manifest_like_json_is_checked_not_trusted(
        path in "[a-z./]{0,20}",
        sha in "[0-9a-g]{0,70}",
        version in 0u32..5,
    ) {
        let json = format!(
            r#"{{"format":"pinpoint-backup","format_version":{version},"app_version":"x","schema_version":2,"created_at":"t","parts":[{{"path":"pinpoint.sqlite3","size":1,"sha256":"{}"}},{{"path":"{path}","size":1,"sha256":"{sha}"}}]}}"#,
            "0".repeat(64)
        );
        if let Ok(manifest) = backup::read_manifest(json.as_bytes()) {
            for part in &manifest.parts {
                prop_assert!(!part.path.contains(".."), "no escaping paths: {}", part.path);
                prop_assert!(!part.path.starts_with('/'));
                prop_assert_eq!(part.sha256.len(), 64);
            }
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn client_input_is_stored_or_refused_with_a_field(
        name in ".{0,30}",
        dob in proptest::option::of("[0-9-]{0,12}"),
        phone in proptest::option::of("[0-9 +()a-z.-]{0,25}"),
        email in proptest::option::of("[a-z@. ]{0,20}"),
        fitzpatrick in proptest::option::of(any::<u8>()),
        glogau in proptest::option::of(any::<u8>()),
    ) {
        let mut f = fresh();
        let input = ClientInput { name, date_of_birth: dob, phone, email, fitzpatrick, glogau, ..ClientInput::default() };
        let checked = input.validate(today());
        let stored = f.store.write(|tx| client::create(tx, ClientId::new(), &input, today(), now()));
        prop_assert_eq!(checked.is_ok(), stored.is_ok(), "validate and create agree");
        match stored {
            Ok(c) => prop_assert_eq!(client::get(f.store.db(), c.id).unwrap(), c),
            Err(e) => {
                prop_assert_eq!(e.kind(), ErrorKind::Invalid);
                prop_assert!(e.field().is_some(), "every refusal names its field: {}", e);
                prop_assert_eq!(client::count(f.store.db()).unwrap(), 0);
            }
        }
    }

    #[test]
    fn any_search_text_is_safe(query in ".{0,20}") {
        let f = fresh();
        let result = client::search(
            f.store.db(),
            &ClientQuery { search: Some(query.clone()), ..ClientQuery::default() },
        );
        prop_assert!(result.is_ok(), "search for {:?} failed: {:?}", query, result.err());
    }
}
