//! Needle depths: what a practitioner may type, how a depth reads, and its JSON form.

use pinpoint_core::depth::NeedleDepth;
use pinpoint_core::ErrorKind;

/// Parses `text` and checks the micrometres it holds and how it reads back.
fn check(text: &str, expected: Option<(u32, &str)>) {
    match (NeedleDepth::parse(text), expected) {
        (Ok(depth), Some((um, shown))) => {
            assert_eq!(depth.micrometres(), um, "{text:?} holds {um} µm");
            assert_eq!(depth.to_string(), shown, "{text:?} reads as {shown:?}");
        }
        (Err(err), None) => {
            assert_eq!(err.kind(), ErrorKind::Invalid, "{text:?}: {err}");
            let message = err.to_string();
            assert!(
                message.starts_with("needle depth") && !message.ends_with('.'),
                "the message names the depth, without a trailing dot: {message:?}"
            );
        }
        (Ok(depth), None) => panic!("{text:?} must be refused, got {depth:?}"),
        (Err(err), Some(_)) => panic!("{text:?} must be accepted: {err}"),
    }
}

#[test]
fn typed_depths() {
    let cases: &[(&str, Option<(u32, &str)>)] = &[
        ("0.5", Some((500, "0.5 mm"))),
        ("1,25", Some((1250, "1.25 mm"))),
        ("0.5mm", Some((500, "0.5 mm"))),
        (" 0.5 mm ", Some((500, "0.5 mm"))),
        ("2", Some((2000, "2 mm"))),
        ("2.0", Some((2000, "2 mm"))),
        ("0.01", Some((10, "0.01 mm"))),
        ("0.1", Some((100, "0.1 mm"))),
        ("1.15", Some((1150, "1.15 mm"))),
        ("3", Some((3000, "3 mm"))),
        ("3.0mm", Some((3000, "3 mm"))),
        ("0", None),
        ("-0.5", None),
        ("3.01", None),
        ("3.1", None),
        ("0.005", None),
        ("1.255", None),
        ("NaN", None),
        ("inf", None),
        ("", None),
        ("mm", None),
        ("half a millimetre", None),
        ("1.2.5", None),
    ];
    for (text, expected) in cases {
        check(text, *expected);
    }
}

#[test]
fn depths_from_numbers() {
    for mm in [0.0, -0.5, 3.1, f64::NAN, f64::INFINITY, 0.005, 0.0001] {
        let err = NeedleDepth::from_mm(mm).expect_err("an impossible depth is refused");
        assert_eq!(err.kind(), ErrorKind::Invalid, "{mm}: {err}");
    }
    let depth = NeedleDepth::from_mm(0.75).unwrap();
    assert_eq!(depth.mm(), 0.75, "the millimetres come back unchanged");
    assert_eq!(
        NeedleDepth::from_micrometres(depth.micrometres()).unwrap(),
        depth,
        "micrometres round-trip"
    );
    assert!(
        NeedleDepth::from_micrometres(3010).is_err(),
        "the micrometre door refuses what the millimetre door refuses"
    );
    assert!(
        NeedleDepth::from_mm(0.5).unwrap() < NeedleDepth::from_mm(1.25).unwrap(),
        "depths compare by length"
    );
}

#[test]
fn depth_is_a_json_number() {
    let depth = NeedleDepth::parse("1,25").unwrap();
    let json = serde_json::to_string(&depth).unwrap();
    assert_eq!(json, "1.25", "the UI sees millimetres as a plain number");
    let back: NeedleDepth = serde_json::from_str(&json).unwrap();
    assert_eq!(back, depth, "JSON round-trips");
    assert_eq!(
        serde_json::from_str::<NeedleDepth>("2")
            .unwrap()
            .to_string(),
        "2 mm",
        "a whole number of millimetres is accepted"
    );
    for bad in ["3.5", "0", "-1", "0.005", "\"0.5\"", "null"] {
        assert!(
            serde_json::from_str::<NeedleDepth>(bad).is_err(),
            "{bad} cannot become a needle depth"
        );
    }
}
