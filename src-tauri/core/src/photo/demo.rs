//! Demo photos: a deterministic synthetic close-up of skin per client, zone
//! and pose, whose marks fade over the course, encoded as JPEG with an EXIF
//! capture time and brought in through the normal import pipeline.

use std::collections::BTreeMap;

use chrono::{DateTime, Duration, NaiveDateTime, Utc};

use super::import::{import_items, Item, Source};
use super::{jpeg, render, PhotoKind, PhotoPose, PhotoTags};
use crate::audit::Written;
use crate::ids::{ClientId, FollowUpId, PhotoId, SessionId};
use crate::store::read_instant;
use crate::Result;

const WIDTH: u32 = 640;
const HEIGHT: u32 = 480;

/// Skin tones from light to deep (sRGB).
const TONES: &[[f32; 3]] = &[
    [236.0, 196.0, 176.0],
    [226.0, 178.0, 148.0],
    [204.0, 150.0, 118.0],
    [170.0, 118.0, 86.0],
    [128.0, 86.0, 62.0],
    [96.0, 64.0, 48.0],
];

/// Where a demo photo is taken: a session, or a follow-up visit.
struct DemoSession {
    id: Option<SessionId>,
    visit: Option<FollowUpId>,
    started_at: DateTime<Utc>,
    zone: Option<String>,
}

/// Adds photos to the demo clinic's sessions: for each client's course, a
/// front view at every session ("before" at the first, "after" at the last,
/// "progress" between) and a 45° view at the first and the last. Every
/// fifth client's photos are stored on their side with EXIF orientation 6,
/// as phones do. A follow-up visit gets a front progress photo, healed.
/// Returns how many photos were imported.
pub fn add_photos(store: &crate::store::SharedStore, written: &Written) -> Result<usize> {
    let mut courses: BTreeMap<ClientId, Vec<DemoSession>> = BTreeMap::new();
    let mut visits: BTreeMap<ClientId, Vec<DemoSession>> = BTreeMap::new();
    {
        let store = store.lock()?;
        let db = store.db();
        let rows = db.query_map(
            "SELECT s.id, s.client_id, s.started_at,
                    (SELECT zone FROM session_zone z WHERE z.session_id = s.id
                     ORDER BY z.ordinal LIMIT 1)
             FROM treatment_session s ORDER BY s.client_id, s.started_at",
            &[],
            |row| {
                Ok((
                    row.get::<SessionId>(0)?,
                    row.get::<ClientId>(1)?,
                    row.get::<String>(2)?,
                    row.get::<Option<String>>(3)?,
                ))
            },
        )?;
        for (id, client, started, zone) in rows {
            courses.entry(client).or_default().push(DemoSession {
                id: Some(id),
                visit: None,
                started_at: read_instant(&started)?,
                zone,
            });
        }
        let rows = db.query_map(
            "SELECT id, client_id, visited_on FROM follow_up ORDER BY client_id, visited_on",
            &[],
            |row| {
                Ok((
                    row.get::<FollowUpId>(0)?,
                    row.get::<ClientId>(1)?,
                    row.get::<chrono::NaiveDate>(2)?,
                ))
            },
        )?;
        for (visit, client, on) in rows {
            visits.entry(client).or_default().push(DemoSession {
                id: None,
                visit: Some(visit),
                started_at: on.and_hms_opt(10, 0, 0).expect("a time of day").and_utc(),
                zone: None,
            });
        }
    }
    // What to make: (client index, client, session, kind, pose, healed).
    let mut jobs = Vec::new();
    for (c, (client, sessions)) in courses.iter().enumerate() {
        let Some(zone) = sessions.iter().find_map(|s| s.zone.clone()) else {
            continue;
        };
        let n = sessions.len();
        for pose in [PhotoPose::Front, PhotoPose::Left45] {
            for (i, session) in sessions.iter().enumerate() {
                let (first, last) = (i == 0, i + 1 == n);
                if pose != PhotoPose::Front && !first && !last {
                    continue;
                }
                let kind = match i {
                    0 => PhotoKind::Before,
                    _ if last => PhotoKind::After,
                    _ => PhotoKind::Progress,
                };
                let healed = if n > 1 {
                    i as f32 / (n - 1) as f32
                } else {
                    0.0
                };
                jobs.push((c, *client, session, zone.clone(), kind, pose, healed));
            }
        }
        for visit in visits.get(client).into_iter().flatten() {
            jobs.push((
                c,
                *client,
                visit,
                zone.clone(),
                PhotoKind::Progress,
                PhotoPose::Front,
                1.0,
            ));
        }
    }
    // Pictures are made on all cores; the imports then run one by one.
    let workers = std::thread::available_parallelism().map_or(1, |n| n.get());
    let chunk = jobs.len().div_ceil(workers).max(1);
    let pictures: Vec<Result<Vec<u8>>> = std::thread::scope(|scope| {
        let handles: Vec<_> = jobs
            .chunks(chunk)
            .map(|part| {
                scope.spawn(move || {
                    // Consecutive jobs share a client and pose, so the skin
                    // is made once and only the marks change.
                    let mut base: Option<(u64, Vec<u8>)> = None;
                    part.iter()
                        .map(|(c, _, session, _, kind, pose, healed)| {
                            let seed = (*c as u64 + 1) * 7919 + *pose as u64 * 104_729;
                            if base.as_ref().is_none_or(|(s, _)| *s != seed) {
                                base = Some((seed, skin(seed, TONES[c % TONES.len()])));
                            }
                            let mut rgb = base.as_ref().expect("made above").1.clone();
                            marks(&mut rgb, seed, *healed);
                            demo_jpeg(rgb, taken_at(session, *kind), c % 5 == 2)
                        })
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().expect("demo pictures"))
            .collect()
    });
    // Demo data is made up: per-photo fsyncs would only slow it down.
    set_synchronous(store, "NORMAL")?;
    let mut items = Vec::with_capacity(jobs.len());
    for ((_, client, session, zone, kind, pose, _), bytes) in jobs.iter().zip(pictures) {
        let name = format!(
            "IMG_{}_{}.jpg",
            taken_at(session, *kind).format("%Y%m%d_%H%M%S"),
            pose.as_str()
        );
        items.push(Item {
            client_id: *client,
            tags: PhotoTags {
                session_id: session.id,
                follow_up_id: session.visit,
                kind: *kind,
                zone: zone.clone(),
                pose: *pose,
                custom_pose: None,
            },
            conditions: Vec::new(),
            source: Source::Bytes {
                name,
                bytes: bytes?,
            },
        });
    }
    let results = import_items(store, items, written, &mut PhotoId::new, &mut |_| true)?;
    let imported = results.iter().filter(|r| r.photo.is_some()).count();
    set_synchronous(store, "FULL")?;
    Ok(imported)
}

fn set_synchronous(store: &crate::store::SharedStore, mode: &str) -> Result<()> {
    let store = store.lock()?;
    // A clinic server keeps its own durability.
    if let Ok(conn) = store.sqlite() {
        conn.pragma_update(None, "synchronous", mode)?;
    }
    Ok(())
}

/// Before photos just before the session, the others after it.
fn taken_at(session: &DemoSession, kind: PhotoKind) -> NaiveDateTime {
    let offset = if kind == PhotoKind::Before { 2 } else { 50 };
    (session.started_at + Duration::minutes(offset)).naive_utc()
}

/// One demo photo as a JPEG file's bytes.
fn demo_jpeg(rgb: Vec<u8>, taken: NaiveDateTime, rotated: bool) -> Result<Vec<u8>> {
    let (rgb, w, h, orientation) = if rotated {
        // Stored turned a quarter to the left; orientation 6 turns it back.
        let (r, w, h) = render::orient(&rgb, WIDTH, HEIGHT, 8);
        (r, w, h, 6)
    } else {
        (rgb, WIDTH, HEIGHT, 1)
    };
    let plain = render::encode_rgb_jpeg(&rgb, w, h)?;
    Ok(jpeg::with_exif(&plain, orientation, Some(taken)))
}

/// A small deterministic random number generator (xorshift).
struct Noise(u64);

impl Noise {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn unit(&mut self) -> f32 {
        (self.next() >> 40) as f32 / (1u64 << 24) as f32
    }
}

/// Synthetic skin: even tone, soft light, blotches and pores.
fn skin(seed: u64, tone: [f32; 3]) -> Vec<u8> {
    let (w, h) = (WIDTH as usize, HEIGHT as usize);
    let mut noise = Noise(seed | 1);
    // Blotches: a coarse random grid, smoothly interpolated.
    const CELL: usize = 48;
    let (gw, gh) = (w / CELL + 2, h / CELL + 2);
    let grid: Vec<f32> = (0..gw * gh).map(|_| noise.unit() - 0.5).collect();
    let mut out = vec![0u8; w * h * 3];
    let mut grain = Noise(seed.rotate_left(17) | 1);
    let (cx, cy) = (w as f32 * 0.45, h as f32 * 0.4);
    let r2 = (w * w + h * h) as f32 / 4.0;
    for y in 0..h {
        let gy = y as f32 / CELL as f32;
        let (y0, fy) = (gy as usize, gy.fract());
        for x in 0..w {
            let gx = x as f32 / CELL as f32;
            let (x0, fx) = (gx as usize, gx.fract());
            let at = |i: usize, j: usize| grid[j * gw + i];
            let blotch = (at(x0, y0) * (1.0 - fx) + at(x0 + 1, y0) * fx) * (1.0 - fy)
                + (at(x0, y0 + 1) * (1.0 - fx) + at(x0 + 1, y0 + 1) * fx) * fy;
            let d2 = (x as f32 - cx).powi(2) + (y as f32 - cy).powi(2);
            let light = 1.06 - 0.22 * d2 / r2 + 0.05 * blotch;
            let random = grain.next();
            let pore = if random & 0xff < 6 { 0.9 } else { 1.0 };
            let fine = ((random >> 8) & 0xf) as f32 - 7.5;
            let i = (y * w + x) * 3;
            for (k, base) in tone.iter().enumerate() {
                let redness = if k == 0 { 4.0 * blotch } else { 0.0 };
                let v = base * light * pore + fine * 0.8 + redness;
                out[i + k] = v.clamp(0.0, 255.0) as u8;
            }
        }
    }
    out
}

/// Marks (scars, redness) at places fixed by `seed`, fading as `healed`
/// goes from 0 to 1.
fn marks(out: &mut [u8], seed: u64, healed: f32) {
    let (w, h) = (WIDTH as usize, HEIGHT as usize);
    let mut noise = Noise(seed.rotate_left(29) | 1);
    let strength = 1.0 - 0.8 * healed;
    for _ in 0..16 {
        let mx = noise.unit() * w as f32;
        let my = noise.unit() * h as f32;
        let radius = 6.0 + noise.unit() * 14.0;
        let reach = radius.ceil() as i64;
        for y in (my as i64 - reach).max(0)..(my as i64 + reach).min(h as i64) {
            for x in (mx as i64 - reach).max(0)..(mx as i64 + reach).min(w as i64) {
                let d = ((x as f32 - mx).powi(2) + (y as f32 - my).powi(2)).sqrt() / radius;
                if d >= 1.0 {
                    continue;
                }
                let a = strength * (1.0 - d * d);
                let i = (y as usize * w + x as usize) * 3;
                for (k, shift) in [-12.0f32, -38.0, -30.0].iter().enumerate() {
                    let v = f32::from(out[i + k]) + shift * a;
                    out[i + k] = v.clamp(0.0, 255.0) as u8;
                }
            }
        }
    }
}
