//! Generated photo-like JPEGs for the benchmarks: skin-toned light and
//! shade at several scales, pores and fine texture, and a little sensor
//! noise, so a file has the size and decoding cost of a phone photo (a flat
//! card would decode unrealistically fast). Deterministic for a given seed.
//! And photos imported through the app's own pipeline: for a session, or
//! a batch for a bench client.

use pinpoint_core::{SharedStore, Store};
use std::path::{Path, PathBuf};

use chrono::{NaiveDate, TimeZone, Utc};
use pinpoint_core::client::{self, ClientInput};
use pinpoint_core::ids::{ClientId, PhotoId, SessionId};
use pinpoint_core::photo::{self, ImportResult, PhotoKind, PhotoPose, PhotoTags};

use crate::stats;

/// One octave of value noise: random values on a lattice `step` pixels
/// apart, smoothly interpolated.
struct Octave {
    step: f32,
    columns: usize,
    values: Vec<f32>,
}

impl Octave {
    fn new(width: usize, height: usize, step: usize, random: &mut stats::Random) -> Octave {
        let columns = width / step + 2;
        let rows = height / step + 2;
        let values = (0..columns * rows)
            .map(|_| random.unit() as f32 * 2.0 - 1.0)
            .collect();
        Octave {
            step: step as f32,
            columns,
            values,
        }
    }

    fn at(&self, x: usize, y: usize) -> f32 {
        let fx = x as f32 / self.step;
        let fy = y as f32 / self.step;
        let (cx, cy) = (fx as usize, fy as usize);
        let smooth = |t: f32| t * t * (3.0 - 2.0 * t);
        let (tx, ty) = (smooth(fx - cx as f32), smooth(fy - cy as f32));
        let v = |c: usize, r: usize| self.values[r * self.columns + c];
        let top = v(cx, cy) * (1.0 - tx) + v(cx + 1, cy) * tx;
        let bottom = v(cx, cy + 1) * (1.0 - tx) + v(cx + 1, cy + 1) * tx;
        top * (1.0 - ty) + bottom * ty
    }
}

/// RGB pixels of a photo-like picture of skin.
pub fn photo_like_rgb(width: u32, height: u32, seed: u64) -> Vec<u8> {
    let (w, h) = (width as usize, height as usize);
    let mut random = stats::Random::new(seed);
    let long = w.max(h);
    // Large shading, blotches, pores, fine texture.
    let octaves = [long / 5, long / 40, long / 400 + 2, 3]
        .map(|step| Octave::new(w, h, step.max(2), &mut random));
    let weights = [34.0f32, 16.0, 12.0, 9.0];
    let tint = Octave::new(w, h, (long / 25).max(2), &mut random);
    let mut rgb = vec![0u8; w * h * 3];
    for y in 0..h {
        for x in 0..w {
            let shade: f32 = octaves
                .iter()
                .zip(weights)
                .map(|(o, weight)| o.at(x, y) * weight)
                .sum();
            // Light falls off towards the corners, as through a phone lens.
            let dx = x as f32 / w as f32 - 0.5;
            let dy = y as f32 / h as f32 - 0.45;
            let light = 1.0 - 0.5 * (dx * dx + dy * dy);
            let red = tint.at(x, y) * 12.0;
            let noise = (random.next_u64() & 0xf) as f32 - 7.5;
            let base = [206.0 + red, 158.0 - red * 0.3, 132.0 - red * 0.2];
            let i = (y * w + x) * 3;
            for (k, b) in base.iter().enumerate() {
                rgb[i + k] = ((b + shade) * light + noise).clamp(0.0, 255.0) as u8;
            }
        }
    }
    rgb
}

/// A photo-like JPEG as a phone writes it: quality 92, 4:2:0, with EXIF
/// orientation `orientation` and a capture time.
pub fn photo_like_jpeg(width: u32, height: u32, seed: u64, orientation: u8) -> Vec<u8> {
    let rgb = photo_like_rgb(width, height, seed);
    let mut compressor = turbojpeg::Compressor::new().expect("libjpeg-turbo compressor");
    compressor.set_quality(92).expect("quality");
    compressor
        .set_subsamp(turbojpeg::Subsamp::Sub2x2)
        .expect("subsampling");
    let jpeg = compressor
        .compress_to_vec(turbojpeg::Image {
            pixels: rgb.as_slice(),
            width: width as usize,
            pitch: width as usize * 3,
            height: height as usize,
            format: turbojpeg::PixelFormat::RGB,
        })
        .expect("JPEG encoding");
    let taken = NaiveDate::from_ymd_opt(2026, 3, 14)
        .and_then(|d| d.and_hms_opt(10, 30, (seed % 60) as u32))
        .expect("valid time");
    photo::jpeg::with_exif(&jpeg, orientation, Some(taken))
}

/// Imports `file` for `client` as a `kind` photo of `session` (cheeks,
/// front) through the app's own pipeline, and returns what the import
/// reported for it.
pub fn import_for_session(
    store: &SharedStore,
    client: ClientId,
    session: SessionId,
    kind: PhotoKind,
    file: PathBuf,
) -> Vec<ImportResult> {
    import(store, client, &cheeks_front(Some(session), kind), &[file])
}

/// A `kind` photo of the cheeks, front, of `session` if given.
fn cheeks_front(session: Option<SessionId>, kind: PhotoKind) -> PhotoTags {
    PhotoTags {
        session_id: session,
        follow_up_id: None,
        kind,
        zone: "cheeks".to_owned(),
        pose: PhotoPose::Front,
        custom_pose: None,
    }
}

/// `files` imported in one batch (all cores) through the app's pipeline.
fn import(
    store: &SharedStore,
    client: ClientId,
    tags: &PhotoTags,
    files: &[PathBuf],
) -> Vec<ImportResult> {
    photo::import_files(
        store,
        client,
        tags,
        files,
        &crate::written(Utc::now()),
        &mut PhotoId::new,
        &mut |_| true,
    )
    .expect("import")
}

/// `store` with one client, "Bench Client", shared as the app shares it.
pub fn with_client(mut store: Store) -> (SharedStore, ClientId) {
    let now = Utc.with_ymd_and_hms(2026, 3, 14, 9, 0, 0).unwrap();
    let id = store
        .write(|tx| {
            let input = ClientInput {
                name: "Bench Client".to_owned(),
                ..Default::default()
            };
            client::create(tx, ClientId::new(), &input, now.date_naive(), now)
        })
        .expect("a client")
        .id;
    (SharedStore::new(Some(store)), id)
}

/// Imports `files` in one batch (all cores) as before photos of the
/// cheeks, front, for `client`, and returns what the import reported.
pub fn import_batch(store: &SharedStore, client: ClientId, files: &[PathBuf]) -> Vec<ImportResult> {
    import(store, client, &cheeks_front(None, PhotoKind::Before), files)
}

/// Every JPEG file under `dir`, at any depth, added to `out`.
pub fn jpegs_under(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            jpegs_under(&path, out);
        } else if path
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("jpg") || e.eq_ignore_ascii_case("jpeg"))
        {
            out.push(path);
        }
    }
}
