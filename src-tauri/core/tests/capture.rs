//! Photos that compare, through the action layer: a new photo aligned onto
//! its baseline as it is imported (and not when it is another picture),
//! the phone capture's plan and uploads, the client's portrait, and the
//! clinic's pose sequence.

use chrono::FixedOffset;
use pinpoint_core::action::capture::{self, CaptureTarget, CaptureUpload};
use pinpoint_core::action::{
    catalogue, clients, photos, progress, sessions, unwatched, Clinic, Clock, Ctx,
};
use pinpoint_core::client::ClientInput;
use pinpoint_core::ids::{ClientId, SessionId};
use pinpoint_core::photo::{
    AlignSource, Alignment, CaptureCondition, ImportResult, PhotoKind, PhotoPose, PhotoTags,
};
use pinpoint_core::ErrorKind;
use serde_json::json;

use crate::now;

fn clock() -> Clock {
    Clock::at(now(), FixedOffset::east_opt(3600).unwrap())
}

/// A clinic with a client treated on the cheeks 60 and 30 days ago and
/// today, and a second client.
struct Course {
    dir: tempfile::TempDir,
    clinic: Clinic,
    client: ClientId,
    other: ClientId,
    sessions: Vec<SessionId>,
}

fn course() -> Course {
    let dir = tempfile::tempdir().unwrap();
    let clinic = crate::open_clinic(&dir.path().join("data"));
    let ctx = Ctx::new(&clinic, clock());
    let practitioner = catalogue::add_practitioner(&ctx, "Maya Lewis", "RN").unwrap();
    let input = |name: &str| -> ClientInput {
        serde_json::from_value(json!({
            "name": name, "date_of_birth": null, "phone": null, "email": null,
            "fitzpatrick": null, "glogau": null, "indications": [], "alerts": "", "notes": "",
        }))
        .unwrap()
    };
    let client = clients::create_client(&ctx, &input("Olivia Bennett"))
        .unwrap()
        .id;
    let other = clients::create_client(&ctx, &input("Noah Price"))
        .unwrap()
        .id;
    let sessions = ["2026-09-26", "2026-10-26", "2026-11-25"]
        .iter()
        .map(|day| {
            let mut draft =
                sessions::blank_draft(&ctx, client, practitioner.id, sessions::PlanChoice::None)
                    .unwrap();
            draft.started_at = format!("{day}T10:00:00+01:00");
            draft.zones = vec![pinpoint_core::session::ZoneInput {
                zone: "cheeks".to_owned(),
                depth_mm: 1.0,
                passes: 2,
                technique: String::new(),
            }];
            let overrides =
                sessions::answer_warnings(&ctx, &draft, None, Vec::new(), Some("test")).unwrap();
            sessions::create_session(&ctx, &draft, &overrides)
                .unwrap()
                .id
        })
        .collect();
    Course {
        dir,
        clinic,
        client,
        other,
        sessions,
    }
}

impl Course {
    fn ctx(&self) -> Ctx<'_> {
        Ctx::new(&self.clinic, clock())
    }

    /// Imports one picture (`scene` seen through `view`) as the cheeks,
    /// front, at session `at`.
    fn import(&self, kind: PhotoKind, at: usize, scene: u64, view: View) -> ImportResult {
        let file = self.dir.path().join(format!("{kind:?}-{at}-{scene}.jpg"));
        std::fs::write(&file, photo(scene, view)).unwrap();
        let import = photos::PhotoImport {
            client_id: self.client,
            tags: PhotoTags {
                session_id: Some(self.sessions[at]),
                follow_up_id: None,
                kind,
                zone: "cheeks".to_owned(),
                pose: PhotoPose::Front,
                custom_pose: None,
            },
            files: vec![file],
        };
        let mut results = unwatched("photo import", |task| {
            photos::import_photos(&self.ctx(), &import, task)
        })
        .unwrap();
        results.pop().unwrap()
    }
}

/// How a camera saw a scene: turned (degrees), scaled and moved (pixels).
#[derive(Clone, Copy)]
struct View {
    turn: f64,
    scale: f64,
    dx: f64,
    dy: f64,
    light: f64,
}

const STRAIGHT: View = View {
    turn: 0.0,
    scale: 1.0,
    dx: 0.0,
    dy: 0.0,
    light: 1.0,
};

/// A 640 × 480 JPEG of a textured scene with detail at every scale, as
/// skin photographed close up has (a smooth picture gives a registration
/// nothing to hold on to).
fn photo(scene: u64, view: View) -> Vec<u8> {
    let (w, h) = (640usize, 480usize);
    let (sin, cos) = view.turn.to_radians().sin_cos();
    let mut rgb = vec![0u8; w * h * 3];
    for y in 0..h {
        for x in 0..w {
            // Where this pixel looks in the scene.
            let (cx, cy) = (
                x as f64 - w as f64 / 2.0 - view.dx,
                y as f64 - h as f64 / 2.0 - view.dy,
            );
            let sx = (cos * cx + sin * cy) / view.scale;
            let sy = (-sin * cx + cos * cy) / view.scale;
            let v = (texture(scene, sx, sy) * view.light).clamp(0.0, 255.0) as u8;
            let at = (y * w + x) * 3;
            rgb[at..at + 3].copy_from_slice(&[v, (v as f64 * 0.8) as u8, (v as f64 * 0.7) as u8]);
        }
    }
    let image = turbojpeg::Image {
        pixels: rgb.as_slice(),
        width: w,
        pitch: w * 3,
        height: h,
        format: turbojpeg::PixelFormat::RGB,
    };
    turbojpeg::compress(image, 90, turbojpeg::Subsamp::Sub2x2)
        .unwrap()
        .to_vec()
}

/// Value noise summed over octaves, 40 to 215.
fn texture(seed: u64, x: f64, y: f64) -> f64 {
    let lattice = |ix: i64, iy: i64, octave: u64| -> f64 {
        let mut h = seed ^ (octave.wrapping_mul(0x9E37_79B9_7F4A_7C15));
        h ^= (ix as u64).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        h ^= (iy as u64).wrapping_mul(0x94D0_49BB_1331_11EB);
        h ^= h >> 31;
        h = h.wrapping_mul(0xD6E8_FEB8_6659_FD93);
        h ^= h >> 32;
        (h % 1024) as f64 / 1023.0
    };
    let mut total = 0.0;
    let mut weight = 0.0;
    for octave in 0..5u64 {
        let cell = 64.0 / (1u64 << octave) as f64;
        let (gx, gy) = (x / cell, y / cell);
        let (ix, iy) = (gx.floor() as i64, gy.floor() as i64);
        let (fx, fy) = (gx - gx.floor(), gy - gy.floor());
        let smooth = |t: f64| t * t * (3.0 - 2.0 * t);
        let (u, v) = (smooth(fx), smooth(fy));
        let top = lattice(ix, iy, octave) * (1.0 - u) + lattice(ix + 1, iy, octave) * u;
        let bottom = lattice(ix, iy + 1, octave) * (1.0 - u) + lattice(ix + 1, iy + 1, octave) * u;
        let amplitude = 1.0 / (octave + 1) as f64;
        total += (top * (1.0 - v) + bottom * v) * amplitude;
        weight += amplitude;
    }
    40.0 + 175.0 * total / weight
}

#[test]
fn a_new_photo_is_aligned_onto_its_baseline_as_it_is_imported() {
    let c = course();
    let before = c.import(PhotoKind::Before, 0, 7, STRAIGHT);
    assert!(
        before.alignment.is_none(),
        "the first photo has nothing to align onto"
    );
    let before = before.photo.unwrap();

    // The same scene a month later: turned 3°, a little closer, moved,
    // in brighter light.
    let moved = View {
        turn: 3.0,
        scale: 1.06,
        dx: 18.0,
        dy: -10.0,
        light: 1.1,
    };
    let after = c.import(PhotoKind::After, 1, 7, moved);
    let outcome = after.alignment.expect("tried against the baseline");
    assert_eq!(outcome.reference, before.id);
    assert!(outcome.applied, "confidence {}", outcome.confidence);
    let photo = after.photo.unwrap();
    let a = photo.alignment.expect("saved");
    assert_eq!(a.source, AlignSource::Auto);
    assert_eq!(a.confidence, Some(outcome.confidence));
    assert!((a.rotate_deg + 3.0).abs() < 0.4, "{a:?}");
    assert!((a.scale - 1.0 / 1.06).abs() < 0.02, "{a:?}");
    assert!((a.dx + 18.0 / 640.0 / 1.06).abs() < 0.01, "{a:?}");

    // Another scene is not the same view: nothing is applied.
    let stranger = c.import(PhotoKind::After, 2, 99, STRAIGHT);
    let outcome = stranger.alignment.expect("tried");
    assert!(!outcome.applied, "confidence {}", outcome.confidence);
    assert!(stranger.photo.unwrap().alignment.is_none());

    // A practitioner's adjustment overrides it and is saved as theirs,
    // whatever the caller claims.
    let mine = photos::set_photo_alignment(
        &c.ctx(),
        photo.id,
        Some(Alignment {
            rotate_deg: -2.5,
            source: AlignSource::Auto,
            confidence: Some(0.99),
            ..a
        }),
    )
    .unwrap();
    let mine = mine.alignment.unwrap();
    assert_eq!((mine.source, mine.confidence), (AlignSource::Manual, None));
    let again = photos::auto_align(&c.ctx(), photo.id, before.id, false).unwrap_err();
    assert_eq!(again.kind(), ErrorKind::Conflict);
}

#[test]
fn the_capture_plan_asks_for_each_zone_in_each_pose_with_its_guide() {
    let c = course();
    let before = c.import(PhotoKind::Before, 0, 7, STRAIGHT).photo.unwrap();
    let target = CaptureTarget {
        client_id: c.client,
        session_id: Some(c.sessions[2]),
        follow_up_id: None,
    };
    let plan = capture::capture_plan(&c.ctx(), target).unwrap();
    assert_eq!(plan.client, "Olivia B.");
    assert_eq!(plan.moment, "Session of 2026-11-25");
    assert_eq!(plan.kinds, [PhotoKind::Before, PhotoKind::After]);
    let shots: Vec<(&str, PhotoPose, bool)> = plan
        .shots
        .iter()
        .map(|s| (s.zone.as_str(), s.pose, s.guide == Some(before.id)))
        .collect();
    assert_eq!(
        shots,
        [
            ("cheeks", PhotoPose::Front, true),
            ("cheeks", PhotoPose::Left45, false),
            ("cheeks", PhotoPose::Right45, false),
        ]
    );
    assert_eq!(plan.conditions, CaptureCondition::ALL);

    // Another client's session is not this client's moment.
    let theirs = CaptureTarget {
        client_id: c.other,
        ..target
    };
    let e = capture::capture_plan(&c.ctx(), theirs).unwrap_err();
    assert!(e.to_string().contains("another client"), "{e}");

    // A follow-up visit takes progress photos; the zones the client has
    // photos of.
    let visit = progress::add_follow_up(&c.ctx(), c.client, crate::today(), "check").unwrap();
    let plan = capture::capture_plan(
        &c.ctx(),
        CaptureTarget {
            session_id: None,
            follow_up_id: Some(visit.id),
            ..target
        },
    )
    .unwrap();
    assert_eq!(plan.kinds, [PhotoKind::Progress]);
    assert!(
        plan.moment.starts_with("Follow-up visit of "),
        "{}",
        plan.moment
    );
    assert_eq!(plan.shots.len(), 3);

    // The clinic's own sequence.
    let mut settings = catalogue::get_settings(&c.ctx()).unwrap();
    settings.capture_poses = vec![PhotoPose::Front, PhotoPose::Left90];
    catalogue::save_settings(&c.ctx(), &settings).unwrap();
    let plan = capture::capture_plan(&c.ctx(), target).unwrap();
    let poses: Vec<PhotoPose> = plan.shots.iter().map(|s| s.pose).collect();
    assert_eq!(poses, [PhotoPose::Front, PhotoPose::Left90]);
    for (poses, why) in [
        (vec![], "1 to 5 poses"),
        (vec![PhotoPose::Custom], "named poses"),
        (vec![PhotoPose::Front, PhotoPose::Front], "twice"),
    ] {
        settings.capture_poses = poses;
        let e = catalogue::save_settings(&c.ctx(), &settings).unwrap_err();
        assert!(e.to_string().contains(why), "{e}");
    }
}

#[test]
fn an_upload_lands_in_its_target_with_its_conditions_or_is_refused_by_name() {
    let c = course();
    let before = c.import(PhotoKind::Before, 0, 7, STRAIGHT).photo.unwrap();
    let target = CaptureTarget {
        client_id: c.client,
        session_id: Some(c.sessions[1]),
        follow_up_id: None,
    };
    let upload = CaptureUpload {
        kind: PhotoKind::After,
        zone: "cheeks".to_owned(),
        pose: PhotoPose::Front,
        conditions: vec![
            CaptureCondition::UsualLighting,
            CaptureCondition::MakeupOff,
            CaptureCondition::UsualLighting,
        ],
        name: "../IMG_0042.JPG\n".to_owned(),
    };
    let view = View {
        turn: -2.0,
        ..STRAIGHT
    };
    let result = capture::capture_upload(&c.ctx(), target, &upload, photo(7, view)).unwrap();
    let stored = result.photo.expect("imported");
    assert_eq!(stored.client_id, c.client);
    assert_eq!(stored.session_id, Some(c.sessions[1]));
    assert_eq!(stored.original_name, "..IMG_0042.JPG");
    assert_eq!(
        stored.conditions,
        [CaptureCondition::MakeupOff, CaptureCondition::UsualLighting]
    );
    assert_eq!(result.alignment.map(|a| a.reference), Some(before.id));
    assert!(stored.alignment.is_some());

    let refused =
        capture::capture_upload(&c.ctx(), target, &upload, b"\xff\xd8 not a photo".to_vec())
            .unwrap();
    let refusal = refused.refused.expect("refused");
    assert_eq!(refusal.kind, ErrorKind::Invalid);
    assert!(
        refusal.message.starts_with("..IMG_0042.JPG: "),
        "{}",
        refusal.message
    );

    let elsewhere = CaptureUpload {
        zone: "elbows".to_owned(),
        ..upload
    };
    let e = capture::capture_upload(&c.ctx(), target, &elsewhere, photo(7, STRAIGHT)).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Invalid);
}

#[test]
fn the_portrait_is_the_chosen_photo_else_the_latest_front_one() {
    let c = course();
    assert_eq!(photos::client_portrait(&c.ctx(), c.client).unwrap(), None);
    let first = c.import(PhotoKind::Before, 0, 7, STRAIGHT).photo.unwrap();
    let latest = c.import(PhotoKind::After, 1, 8, STRAIGHT).photo.unwrap();
    let portrait = |c: &Course| {
        photos::client_portrait(&c.ctx(), c.client)
            .unwrap()
            .map(|p| p.id)
    };
    assert_eq!(portrait(&c), Some(latest.id), "the latest front photo");
    let chosen = photos::set_photo_portrait(&c.ctx(), first.id, true).unwrap();
    assert!(chosen.portrait);
    assert_eq!(portrait(&c), Some(first.id), "the chosen one");
    // Choosing another replaces the choice: one portrait per client.
    photos::set_photo_portrait(&c.ctx(), latest.id, true).unwrap();
    assert_eq!(portrait(&c), Some(latest.id));
    let all = photos::list_photos(&c.ctx(), c.client).unwrap();
    assert_eq!(all.iter().filter(|p| p.portrait).count(), 1);
    photos::set_photo_portrait(&c.ctx(), latest.id, false).unwrap();
    assert_eq!(
        portrait(&c),
        Some(latest.id),
        "back to the latest front photo"
    );
    assert_eq!(photos::client_portrait(&c.ctx(), c.other).unwrap(), None);
}

#[test]
fn a_comparison_image_goes_to_the_client_and_to_marketing_only_with_consent() {
    let c = course();
    let before = c.import(PhotoKind::Before, 0, 7, STRAIGHT).photo.unwrap();
    let after = c.import(PhotoKind::After, 1, 8, STRAIGHT).photo.unwrap();
    let image = photo(3, STRAIGHT);
    let out = c.dir.path().join("comparison.jpg");
    let pair = (before.id, after.id);
    use photos::ComparisonUse::{ClientCopy, Marketing};
    let export = |pair, usage, image: &[u8], out: &std::path::Path| {
        photos::export_comparison(&c.ctx(), pair, usage, image, out, false)
    };
    let written = export(pair, ClientCopy, &image, &out).unwrap();
    assert_eq!((written.width, written.height), (640, 480));
    assert_eq!(std::fs::read(&out).unwrap(), image);
    use std::os::unix::fs::PermissionsExt;
    assert_eq!(
        std::fs::metadata(&out).unwrap().permissions().mode() & 0o777,
        0o600
    );
    let again = export(pair, ClientCopy, &image, &out).unwrap_err();
    assert_eq!(again.kind(), ErrorKind::Conflict, "{again}");

    let marketing = c.dir.path().join("marketing.jpg");
    let e = export(pair, Marketing, &image, &marketing).unwrap_err();
    assert!(e.to_string().contains("no marketing-photo consent"), "{e}");
    assert!(!marketing.exists());
    pinpoint_core::action::records::add_consent(
        &c.ctx(),
        &pinpoint_core::consent::NewConsent {
            client_id: c.client,
            kind: pinpoint_core::consent::ConsentKind::MarketingPhotos,
            given_on: crate::today(),
            signature: "Olivia Bennett".to_owned(),
        },
    )
    .unwrap();
    export(pair, Marketing, &image, &marketing).unwrap();

    for (bad, why) in [
        (b"GIF89a".to_vec(), "not a JPEG"),
        (image[..image.len() / 3].to_vec(), "comparison image"),
    ] {
        let e = export(pair, ClientCopy, &bad, &c.dir.path().join("bad.jpg")).unwrap_err();
        assert!(e.to_string().contains(why), "{e}");
    }
    let theirs = c.dir.path().join("theirs.jpg");
    std::fs::write(&theirs, photo(11, STRAIGHT)).unwrap();
    let import = photos::PhotoImport {
        client_id: c.other,
        tags: PhotoTags {
            session_id: None,
            follow_up_id: None,
            kind: PhotoKind::Before,
            zone: "cheeks".to_owned(),
            pose: PhotoPose::Front,
            custom_pose: None,
        },
        files: vec![theirs],
    };
    let theirs = unwatched("photo import", |task| {
        photos::import_photos(&c.ctx(), &import, task)
    })
    .unwrap()[0]
        .photo
        .clone()
        .unwrap();
    let e = photos::export_comparison(
        &c.ctx(),
        (before.id, theirs.id),
        photos::ComparisonUse::ClientCopy,
        &image,
        &c.dir.path().join("mixed.jpg"),
        false,
    )
    .unwrap_err();
    assert!(e.to_string().contains("different clients"), "{e}");
}
