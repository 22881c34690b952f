//! Photos through the real pipeline and store: orientation, duplicates, bad
//! files, HEIC, colour profiles, cancellation, tags, alignment, comparison
//! pairs and verification. Every image is generated here (the HEIC fixture
//! was made with Debian's `heif-enc` from a generated JPEG).

use pinpoint_core::SharedStore;
use std::path::{Path, PathBuf};

use chrono::{Duration, NaiveDate};
use pinpoint_core::ids::{ClientId, PhotoId, SessionId};
use pinpoint_core::photo::{
    self, jpeg, render, AlignSource, Alignment, ImportResult, Photo, PhotoKind, PhotoPose,
    PhotoSize, PhotoTags,
};
use pinpoint_core::{audit, ErrorKind, Store};

use crate::clinic::{clinic, days_before, Clinic};
use crate::{now, Folder};

/// A clinic with one client, its store shared as the app shares it.
struct Studio {
    dir: tempfile::TempDir,
    store: SharedStore,
    client: ClientId,
    sessions: Vec<SessionId>,
}

/// A studio whose client had sessions 60 and 30 days ago and today.
fn studio() -> Studio {
    let mut c = clinic();
    let client = c.client;
    let sessions = [60, 30, 0]
        .into_iter()
        .map(|days| c.create(&c.draft_for(client, days_before(days))).id)
        .collect();
    let Clinic {
        f: Folder { dir, store },
        ..
    } = c;
    Studio {
        dir,
        store: SharedStore::new(Some(store)),
        client,
        sessions,
    }
}

fn tags(kind: PhotoKind, pose: PhotoPose, session: Option<SessionId>) -> PhotoTags {
    PhotoTags {
        session_id: session,
        follow_up_id: None,
        kind,
        zone: "cheeks".to_owned(),
        pose,
        custom_pose: None,
    }
}

impl Studio {
    fn data(&self) -> &Path {
        self.dir.path()
    }

    fn import_as(
        &self,
        client: ClientId,
        tags: &PhotoTags,
        files: &[PathBuf],
    ) -> Vec<ImportResult> {
        photo::import_files(
            &self.store,
            client,
            tags,
            files,
            &crate::written(),
            &mut PhotoId::new,
            &mut |_| true,
        )
        .expect("the request is valid")
    }

    fn import(&self, files: &[PathBuf]) -> Vec<ImportResult> {
        let front = tags(PhotoKind::Before, PhotoPose::Front, Some(self.sessions[0]));
        self.import_as(self.client, &front, files)
    }

    fn import_one(&self, tags: &PhotoTags, file: &Path) -> Photo {
        let results = self.import_as(self.client, tags, &[file.to_owned()]);
        imported(&results[0])
    }

    /// Writes a file into a folder beside the data folder.
    fn file(&self, name: &str, bytes: &[u8]) -> PathBuf {
        let folder = self.dir.path().join("incoming");
        std::fs::create_dir_all(&folder).unwrap();
        let path = folder.join(name);
        std::fs::write(&path, bytes).unwrap();
        path
    }

    fn rows(&self) -> i64 {
        let store = self.store.lock().unwrap();
        store
            .db()
            .query_one("SELECT count(*) FROM photo", &[], "count", |r| r.get(0))
            .unwrap()
    }

    fn with<T>(&self, f: impl FnOnce(&mut Store) -> T) -> T {
        f(&mut self.store.lock().unwrap())
    }

    /// One size of a photo as the app reads it (unsealed where the folder
    /// seals its photos: in clinic mode, with the clinic's key).
    fn derived(&self, photo: &Photo, size: PhotoSize) -> Vec<u8> {
        photo::read(self.data(), photo, size)
            .expect("the photo's file")
            .bytes
    }
}

fn imported(result: &ImportResult) -> Photo {
    assert!(
        result.refused.is_none(),
        "{} should be imported: {:?}",
        result.file,
        result.refused
    );
    result.photo.clone().expect("an imported photo")
}

/// Every file under `dir` (relative), sorted.
fn files_under(dir: &Path) -> Vec<String> {
    fn walk(base: &Path, dir: &Path, out: &mut Vec<String>) {
        let Ok(entries) = std::fs::read_dir(dir) else {
            return;
        };
        for entry in entries {
            let path = entry.unwrap().path();
            if path.is_dir() {
                walk(base, &path, out);
            } else {
                out.push(path.strip_prefix(base).unwrap().display().to_string());
            }
        }
    }
    let mut out = Vec::new();
    walk(dir, dir, &mut out);
    out.sort();
    out
}

// ------------------------------------------------------------ images

const GRAY: [u8; 3] = [128, 128, 128];
const RED: [u8; 3] = [220, 30, 30];
const BLUE: [u8; 3] = [30, 30, 220];

/// An upright landscape test card: gray, a red block top-left, a blue
/// block top-right.
fn card(w: usize, h: usize) -> Vec<u8> {
    let mut rgb = Vec::with_capacity(w * h * 3);
    for y in 0..h {
        for x in 0..w {
            let top = y < h / 5;
            let px = if top && x < w / 5 {
                RED
            } else if top && x >= w - w / 5 {
                BLUE
            } else {
                GRAY
            };
            rgb.extend_from_slice(&px);
        }
    }
    rgb
}

/// Moves every pixel of `rgb` (w × h) to `to(x, y)` in an image of
/// `out_w` × `out_h`.
fn remap(
    rgb: &[u8],
    w: usize,
    h: usize,
    swap: bool,
    to: impl Fn(usize, usize) -> (usize, usize),
) -> (Vec<u8>, usize, usize) {
    let (ow, oh) = if swap { (h, w) } else { (w, h) };
    let mut out = vec![0; rgb.len()];
    for y in 0..h {
        for x in 0..w {
            let (nx, ny) = to(x, y);
            let (from, dest) = ((y * w + x) * 3, (ny * ow + nx) * 3);
            out[dest..dest + 3].copy_from_slice(&rgb[from..from + 3]);
        }
    }
    (out, ow, oh)
}

/// How a camera stores an upright scene for each EXIF orientation: the
/// viewer must undo exactly this.
fn as_stored(rgb: &[u8], w: usize, h: usize, orientation: u8) -> (Vec<u8>, usize, usize) {
    match orientation {
        1 => (rgb.to_vec(), w, h),
        2 => remap(rgb, w, h, false, |x, y| (w - 1 - x, y)), // mirrored
        3 => remap(rgb, w, h, false, |x, y| (w - 1 - x, h - 1 - y)), // upside down
        4 => remap(rgb, w, h, false, |x, y| (x, h - 1 - y)), // flipped
        5 => remap(rgb, w, h, true, |x, y| (y, x)),          // transposed
        6 => remap(rgb, w, h, true, |x, y| (y, w - 1 - x)),  // turned left
        7 => remap(rgb, w, h, true, |x, y| (h - 1 - y, w - 1 - x)), // transversed
        8 => remap(rgb, w, h, true, |x, y| (h - 1 - y, x)),  // turned right
        _ => unreachable!(),
    }
}

fn jpeg_of(rgb: &[u8], w: usize, h: usize) -> Vec<u8> {
    render::encode_rgb_jpeg(rgb, w as u32, h as u32).unwrap()
}

fn png_of(rgb: &[u8], w: usize, h: usize) -> Vec<u8> {
    use image::ImageEncoder;
    let mut out = Vec::new();
    image::codecs::png::PngEncoder::new(&mut out)
        .write_image(rgb, w as u32, h as u32, image::ExtendedColorType::Rgb8)
        .unwrap();
    out
}

fn decode(jpeg: &[u8]) -> turbojpeg::Image<Vec<u8>> {
    turbojpeg::decompress(jpeg, turbojpeg::PixelFormat::RGB).expect("a valid JPEG")
}

fn pixel(image: &turbojpeg::Image<Vec<u8>>, fx: f64, fy: f64) -> [u8; 3] {
    let x = (image.width as f64 * fx) as usize;
    let y = (image.height as f64 * fy) as usize;
    let i = y * image.pitch + x * 3;
    [image.pixels[i], image.pixels[i + 1], image.pixels[i + 2]]
}

fn near(actual: [u8; 3], expected: [u8; 3]) -> bool {
    actual
        .iter()
        .zip(expected)
        .all(|(a, e)| (i32::from(*a) - i32::from(e)).abs() <= 24)
}

// ------------------------------------------------------------- tests

#[test]
fn every_exif_orientation_gives_an_upright_thumbnail_and_preview() {
    let s = studio();
    let (w, h) = (480, 320);
    let upright = card(w, h);
    for orientation in 1..=8u8 {
        let (stored, sw, sh) = as_stored(&upright, w, h, orientation);
        let bytes = jpeg::with_exif(&jpeg_of(&stored, sw, sh), orientation, None);
        let file = s.file(&format!("orientation-{orientation}.jpg"), &bytes);
        let photo = imported(&s.import(&[file])[0]);
        assert_eq!(
            photo.orientation, orientation,
            "the orientation is recorded"
        );
        assert_eq!(
            (photo.width, photo.height),
            (480, 320),
            "width and height are as displayed (orientation {orientation})"
        );
        for size in [PhotoSize::Thumb, PhotoSize::Preview] {
            let image = decode(&s.derived(&photo, size));
            let long = if size == PhotoSize::Thumb { 320 } else { 480 };
            assert_eq!(
                (image.width, image.height),
                (long, long * 2 / 3),
                "the {size:?} is landscape for orientation {orientation}"
            );
            let corners = (pixel(&image, 0.05, 0.05), pixel(&image, 0.95, 0.05));
            assert!(
                near(corners.0, RED) && near(corners.1, BLUE),
                "orientation {orientation}: the {size:?} must show red top-left and blue \
                 top-right, found {corners:?}"
            );
            assert!(
                near(pixel(&image, 0.5, 0.9), GRAY),
                "orientation {orientation}: the bottom is plain"
            );
        }
    }
}

#[test]
fn the_original_is_stored_byte_for_byte_under_its_hash_with_capture_time() {
    let s = studio();
    let taken = NaiveDate::from_ymd_opt(2026, 9, 1)
        .unwrap()
        .and_hms_opt(14, 5, 9)
        .unwrap();
    let bytes = jpeg::with_exif(&jpeg_of(&card(3000, 2000), 3000, 2000), 1, Some(taken));
    let file = s.file("IMG_0001.JPG", &bytes);
    let photo = imported(&s.import(&[file])[0]);
    let stored = files_under(&s.data().join("photos"));
    let sha = &photo.sha256;
    assert_eq!(
        stored,
        vec![format!("{}/{sha}.jpg", &sha[..2])],
        "one original, content-addressed"
    );
    let kept = s.derived(&photo, PhotoSize::Original);
    assert!(kept == bytes, "the original is kept unchanged");
    assert_eq!(photo.captured_at, Some(taken), "capture time from EXIF");
    assert_eq!(photo.original_name, "IMG_0001.JPG");
    assert_eq!(photo.bytes as usize, bytes.len());
    assert_eq!((photo.width, photo.height), (3000, 2000));
    let preview = decode(&s.derived(&photo, PhotoSize::Preview));
    assert_eq!(
        (preview.width, preview.height),
        (1600, 1067),
        "previews are 1600 px"
    );
    let thumb = decode(&s.derived(&photo, PhotoSize::Thumb));
    assert_eq!(
        (thumb.width, thumb.height),
        (320, 213),
        "thumbnails are 320 px"
    );

    let plain = s.file("no-exif.jpg", &jpeg_of(&card(60, 40), 60, 40));
    let photo = imported(&s.import(&[plain])[0]);
    assert_eq!(photo.captured_at, None, "no EXIF, no invented capture time");
    assert_eq!(photo.orientation, 1);
}

#[test]
fn the_same_file_twice_is_stored_once() {
    let s = studio();
    let bytes = jpeg_of(&card(300, 200), 300, 200);
    let a = s.file("a.jpg", &bytes);
    let copy = s.file("copy-of-a.jpg", &bytes);
    let first = imported(&s.import(std::slice::from_ref(&a))[0]);
    let again = s.import(&[a, copy]);
    for result in &again {
        assert!(result.duplicate, "{} is a duplicate", result.file);
        assert_eq!(
            imported(result).id,
            first.id,
            "a duplicate returns the photo already stored"
        );
    }
    assert_eq!(s.rows(), 1, "one row");
    assert_eq!(
        files_under(&s.data().join("photos")).len(),
        1,
        "one original"
    );
    assert_eq!(
        files_under(&s.data().join("cache")).len(),
        2,
        "one thumb, one preview"
    );

    // The same bytes for another client are refused, not shared.
    let other = s.with(|store| {
        store
            .write(|tx| {
                pinpoint_core::client::create(
                    tx,
                    ClientId::new(),
                    &pinpoint_core::client::ClientInput {
                        name: "Mei Chen".to_owned(),
                        ..Default::default()
                    },
                    crate::today(),
                    now(),
                )
            })
            .unwrap()
            .id
    });
    let front = tags(PhotoKind::Before, PhotoPose::Front, None);
    let results = s.import_as(other, &front, &[s.file("b.jpg", &bytes)]);
    let refusal = results[0]
        .refused
        .as_ref()
        .expect("refused for another client");
    assert_eq!(refusal.kind, ErrorKind::Conflict);
    assert!(refusal.message.contains("b.jpg"), "{}", refusal.message);
    assert_eq!(s.rows(), 1);
    assert_eq!(files_under(&s.data().join("photos")).len(), 1);
}

/// A PNG whose header claims `w` × `h` pixels, with one tiny IDAT.
fn png_claiming(w: u32, h: u32) -> Vec<u8> {
    fn crc32(bytes: &[u8]) -> u32 {
        let mut crc = !0u32;
        for &b in bytes {
            crc ^= u32::from(b);
            for _ in 0..8 {
                crc = if crc & 1 == 1 {
                    (crc >> 1) ^ 0xEDB8_8320
                } else {
                    crc >> 1
                };
            }
        }
        !crc
    }
    fn chunk(out: &mut Vec<u8>, kind: &[u8], data: &[u8]) {
        out.extend_from_slice(&(data.len() as u32).to_be_bytes());
        let mut body = kind.to_vec();
        body.extend_from_slice(data);
        out.extend_from_slice(&body);
        out.extend_from_slice(&crc32(&body).to_be_bytes());
    }
    let mut out = b"\x89PNG\r\n\x1a\n".to_vec();
    let mut ihdr = Vec::new();
    ihdr.extend_from_slice(&w.to_be_bytes());
    ihdr.extend_from_slice(&h.to_be_bytes());
    ihdr.extend_from_slice(&[8, 2, 0, 0, 0]);
    chunk(&mut out, b"IHDR", &ihdr);
    chunk(
        &mut out,
        b"IDAT",
        &[0x78, 0x9c, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01],
    );
    chunk(&mut out, b"IEND", &[]);
    out
}

#[test]
fn bad_files_are_refused_with_their_reason_and_leave_nothing_behind() {
    let s = studio();
    let good_jpeg = jpeg_of(&card(400, 300), 400, 300);
    let mut noise = 0x2545_f491_4f6c_dd1du64;
    let random: Vec<u8> = (0..50_000)
        .map(|_| {
            noise ^= noise << 13;
            noise ^= noise >> 7;
            noise ^= noise << 17;
            noise as u8
        })
        .collect();
    let mut corrupt = good_jpeg[..200].to_vec();
    corrupt.extend_from_slice(&random[..4000]);
    let mut truncated_png = png_of(&card(400, 300), 400, 300);
    truncated_png.truncate(truncated_png.len() / 2);
    let cases: Vec<(&str, Vec<u8>, &str)> = vec![
        ("empty.jpg", Vec::new(), "empty"),
        (
            "truncated.jpg",
            good_jpeg[..good_jpeg.len() / 2].to_vec(),
            "truncated",
        ),
        ("noise.jpg", random.clone(), "not a supported image"),
        (
            "notes.jpg",
            b"Client notes: cheeks, 1.0 mm\n".to_vec(),
            "not a supported image",
        ),
        (
            "bomb.png",
            png_claiming(60_000, 60_000),
            "decompression bomb",
        ),
        (
            "wide-bomb.png",
            png_claiming(30_000, 100),
            "decompression bomb",
        ),
        ("corrupt.jpg", corrupt, ""),
        ("truncated.png", truncated_png, ""),
    ];
    let mut files = vec![s.file("good.jpg", &good_jpeg)];
    for (name, bytes, _) in &cases {
        files.push(s.file(name, bytes));
    }
    files.push(s.file("good.png", &png_of(&card(90, 60), 90, 60)));
    files.push(s.data().join("incoming/missing.jpg"));
    let results = s.import(&files);
    assert_eq!(results.len(), files.len(), "one result per file");
    imported(&results[0]);
    imported(&results[cases.len() + 1]);
    for ((name, _, reason), result) in cases.iter().zip(&results[1..]) {
        let refusal = result
            .refused
            .as_ref()
            .unwrap_or_else(|| panic!("{name} must be refused"));
        assert_eq!(refusal.kind, ErrorKind::Invalid, "{name}");
        assert!(
            refusal.message.starts_with(&format!("{name}: ")),
            "the message names the file: {}",
            refusal.message
        );
        assert!(
            refusal.message.contains(reason),
            "{name} is refused because it is {reason}: {}",
            refusal.message
        );
        assert!(result.photo.is_none());
    }
    let missing = results.last().unwrap().refused.as_ref().expect("refused");
    assert!(
        missing.message.contains("does not exist"),
        "{}",
        missing.message
    );

    assert_eq!(s.rows(), 2, "only the good files have rows");
    assert_eq!(
        files_under(&s.data().join("photos")).len(),
        2,
        "only the good originals are stored"
    );
    let cache = files_under(&s.data().join("cache"));
    assert_eq!(
        cache.len(),
        4,
        "thumb and preview of the good files: {cache:?}"
    );
    let everything = files_under(s.data());
    assert!(
        everything.iter().all(|f| !f.contains(".partial")),
        "no temporary file is left: {everything:?}"
    );
    let report = s.with(|store| photo::verify(store.db(), store.data_dir()).unwrap());
    assert!(
        report.ok() && report.orphans.is_empty(),
        "the store is consistent: {report:?}"
    );
}

#[test]
fn a_heic_photo_imports_with_its_capture_time() {
    let s = studio();
    let fixture =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/photo-64x48-exif.heic");
    let photo = imported(&s.import(std::slice::from_ref(&fixture))[0]);
    assert_eq!(photo.format, photo::PhotoFormat::Heic);
    assert_eq!((photo.width, photo.height), (64, 48));
    assert_eq!(
        photo.captured_at,
        NaiveDate::from_ymd_opt(2026, 3, 14)
            .unwrap()
            .and_hms_opt(9, 26, 53),
        "capture time from the HEIC's EXIF block"
    );
    let stored = files_under(&s.data().join("photos"));
    assert!(stored[0].ends_with(".heic"), "{stored:?}");
    assert!(
        s.derived(&photo, PhotoSize::Original) == std::fs::read(&fixture).unwrap(),
        "the HEIC original is kept unchanged"
    );
    let thumb = decode(&s.derived(&photo, PhotoSize::Thumb));
    assert_eq!(
        (thumb.width, thumb.height),
        (64, 48),
        "small photos are not enlarged"
    );
    assert!(
        near(pixel(&thumb, 0.05, 0.05), [255, 0, 0])
            && near(pixel(&thumb, 0.95, 0.05), [0, 0, 255]),
        "the HEIC decodes to its colours, upright"
    );
    assert!(near(pixel(&thumb, 0.5, 0.6), [200, 120, 90]));
}

#[test]
fn a_heic_photo_with_its_own_thumbnail_imports_at_once_and_its_preview_follows() {
    let s = studio();
    // heif-enc -q 60 -t 320 of a 640 × 480 plasma: a 320 × 240 thumbnail
    // item, as phones write one.
    let fixture =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/photo-640x480-thumb.heic");
    let photo = imported(&s.import(std::slice::from_ref(&fixture))[0]);
    assert_eq!((photo.width, photo.height), (640, 480));
    let previews = || files_under(&s.data().join(photo::CACHE_DIR).join("preview"));
    assert!(
        previews().is_empty(),
        "the preview is not made during the import"
    );
    let thumb = decode(&s.derived(&photo, PhotoSize::Thumb));
    assert_eq!((thumb.width, thumb.height), (320, 240));
    // Asked for, it is made from the original, and agrees with the
    // thumbnail made from the file's own.
    let made = decode(&s.derived(&photo, PhotoSize::Preview));
    assert_eq!((made.width, made.height), (640, 480));
    assert_eq!(previews().len(), 1);
    for (fx, fy) in [(0.2, 0.2), (0.5, 0.5), (0.8, 0.7)] {
        let (a, b) = (pixel(&thumb, fx, fy), pixel(&made, fx, fy));
        let off = a.iter().zip(b).map(|(x, y)| x.abs_diff(y)).max().unwrap();
        assert!(off < 24, "{a:?} against {b:?} at {fx},{fy}");
    }

    // Cut short, it is refused, even though its thumbnail comes first.
    let whole = std::fs::read(&fixture).unwrap();
    let cut = s.data().join("cut.heic");
    std::fs::write(&cut, &whole[..whole.len() - 2000]).unwrap();
    let result = &s.import(std::slice::from_ref(&cut))[0];
    let refusal = result.refused.as_ref().expect("refused");
    assert!(
        refusal.message.contains("the HEIC file is damaged"),
        "{}",
        refusal.message
    );
}

#[test]
fn an_embedded_colour_profile_is_converted_to_srgb() {
    let s = studio();
    let (w, h) = (64, 48);
    let flat: Vec<u8> = [200u8, 100, 100].repeat(w * h);
    let plain = jpeg_of(&flat, w, h);
    // A Display P3 profile in APP2 right after SOI.
    let icc = moxcms::ColorProfile::new_display_p3().encode().unwrap();
    let mut segment = b"ICC_PROFILE\0\x01\x01".to_vec();
    segment.extend_from_slice(&icc);
    let mut p3 = plain[..2].to_vec();
    p3.extend_from_slice(&[0xFF, 0xE2]);
    p3.extend_from_slice(&((segment.len() + 2) as u16).to_be_bytes());
    p3.extend_from_slice(&segment);
    p3.extend_from_slice(&plain[2..]);
    let results = s.import(&[s.file("srgb.jpg", &plain), s.file("p3.jpg", &p3)]);
    let srgb = pixel(
        &decode(&s.derived(&imported(&results[0]), PhotoSize::Preview)),
        0.5,
        0.5,
    );
    let wide = pixel(
        &decode(&s.derived(&imported(&results[1]), PhotoSize::Preview)),
        0.5,
        0.5,
    );
    assert!(
        near(srgb, [200, 100, 100]),
        "no profile: taken as sRGB, {srgb:?}"
    );
    // P3 (200, 100, 100) is about sRGB (215, 93, 96).
    assert!(
        wide[0] >= 208 && wide[1] <= 97,
        "a P3 colour is converted to sRGB: {wide:?}"
    );
}

#[test]
fn a_cancelled_batch_keeps_what_finished_and_starts_nothing_more() {
    let s = studio();
    let files: Vec<PathBuf> = (0..8)
        .map(|i| {
            let mut rgb = card(200 + i, 150);
            rgb[0] = i as u8; // every file different
            s.file(&format!("batch-{i}.jpg"), &jpeg_of(&rgb, 200 + i, 150))
        })
        .collect();
    let mut seen = Vec::new();
    let front = tags(PhotoKind::Progress, PhotoPose::Front, None);
    let results = photo::import_files(
        &s.store,
        s.client,
        &front,
        &files,
        &crate::written(),
        &mut PhotoId::new,
        &mut |p| {
            seen.push(p.clone());
            p.done < 1
        },
    )
    .unwrap();
    assert_eq!(seen[0].done, 0, "progress starts at zero");
    assert_eq!(seen[0].total, 8);
    assert_eq!(seen.len(), 2, "no progress after the cancel");
    let kept = results.iter().filter(|r| r.photo.is_some()).count();
    let cancelled = results
        .iter()
        .filter(|r| r.refused.as_ref().map(|x| x.kind) == Some(ErrorKind::Cancelled))
        .count();
    assert!(
        kept >= 1 && cancelled >= 1,
        "{kept} kept, {cancelled} cancelled"
    );
    assert_eq!(
        kept + cancelled,
        8,
        "every file is either kept or cancelled"
    );
    assert_eq!(s.rows() as usize, kept, "finished photos stay");
    assert_eq!(files_under(&s.data().join("photos")).len(), kept);
}

#[test]
fn a_bad_request_is_refused_before_any_file_is_read() {
    let s = studio();
    let file = s.file("a.jpg", &jpeg_of(&card(60, 40), 60, 40));
    let attempt = |tags: &PhotoTags| {
        photo::import_files(
            &s.store,
            s.client,
            tags,
            std::slice::from_ref(&file),
            &crate::written(),
            &mut PhotoId::new,
            &mut |_| true,
        )
        .expect_err("refused")
    };
    let mut t = tags(PhotoKind::Before, PhotoPose::Front, None);
    t.zone = "elbow".to_owned();
    let e = attempt(&t);
    assert_eq!(
        (e.kind(), e.field()),
        (ErrorKind::Invalid, Some("zone")),
        "{e}"
    );
    let mut t = tags(PhotoKind::Before, PhotoPose::Custom, None);
    t.custom_pose = Some("  ".to_owned());
    assert_eq!(attempt(&t).field(), Some("custom_pose"));
    let t = tags(PhotoKind::Before, PhotoPose::Front, Some(SessionId::new()));
    assert_eq!(attempt(&t).kind(), ErrorKind::NotFound);
    assert_eq!(s.rows(), 0);
    assert!(!s.data().join("photos").exists(), "nothing was written");
}

#[test]
fn tags_and_alignment_change_without_touching_the_original() {
    let s = studio();
    let before = s.import_one(
        &tags(PhotoKind::Before, PhotoPose::Front, Some(s.sessions[0])),
        &s.file("b.jpg", &jpeg_of(&card(120, 80), 120, 80)),
    );
    let after = s.import_one(
        &tags(PhotoKind::After, PhotoPose::Front, Some(s.sessions[2])),
        &s.file("a.jpg", &jpeg_of(&card(121, 80), 121, 80)),
    );
    let original = s.derived(&after, PhotoSize::Original);
    let later = now() + Duration::minutes(5);
    let mut custom = tags(PhotoKind::Progress, PhotoPose::Custom, Some(s.sessions[1]));
    custom.custom_pose = Some(" chin up ".to_owned());
    let retagged = s
        .with(|store| store.write(|tx| photo::set_tags(tx, after.id, &custom, later)))
        .unwrap();
    assert_eq!(retagged.kind, PhotoKind::Progress);
    assert_eq!(retagged.custom_pose.as_deref(), Some("chin up"));
    assert_eq!(retagged.session_id, Some(s.sessions[1]));

    let alignment = Alignment {
        reference: before.id,
        dx: 0.02,
        dy: -0.01,
        rotate_deg: 1.5,
        scale: 1.04,
        source: AlignSource::Manual,
        confidence: None,
    };
    let aligned = s
        .with(|store| store.write(|tx| photo::set_alignment(tx, after.id, Some(alignment), later)))
        .unwrap();
    assert_eq!(aligned.alignment, Some(alignment));
    let listed = s.with(|store| photo::list(store.db(), s.client).unwrap());
    assert_eq!(listed.len(), 2);
    assert_eq!(
        listed.iter().find(|p| p.id == after.id).unwrap().alignment,
        Some(alignment),
        "the alignment is saved"
    );
    for (bad, why) in [
        (
            Alignment {
                scale: 0.0,
                ..alignment
            },
            "scale",
        ),
        (
            Alignment {
                rotate_deg: 270.0,
                ..alignment
            },
            "rotation",
        ),
        (
            Alignment {
                dx: f64::NAN,
                ..alignment
            },
            "move",
        ),
        (
            Alignment {
                reference: after.id,
                ..alignment
            },
            "itself",
        ),
    ] {
        let e = s
            .with(|store| store.write(|tx| photo::set_alignment(tx, after.id, Some(bad), later)))
            .expect_err(why);
        assert!(e.to_string().contains(why), "{e}");
    }
    let cleared = s
        .with(|store| store.write(|tx| photo::set_alignment(tx, after.id, None, later)))
        .unwrap();
    assert_eq!(cleared.alignment, None);
    let now_original = s.derived(&after, PhotoSize::Original);
    assert!(now_original == original, "the original never changes");
    let chain = s.with(|store| audit::verify_chain(store.db()).unwrap());
    assert!(chain.first_broken.is_none());
    let events: i64 = s.with(|store| {
        store
            .db()
            .query_one(
                "SELECT count(*) FROM audit_event WHERE entity = 'photo'",
                &[],
                "count",
                |r| r.get(0),
            )
            .unwrap()
    });
    assert_eq!(
        events, 5,
        "two imports, a retag, an alignment and its removal are audited"
    );
}

#[test]
fn comparison_proposes_the_first_before_against_the_latest_after() {
    let s = studio();
    let [first, middle, last] = [s.sessions[0], s.sessions[1], s.sessions[2]];
    let mut n = 0;
    let mut add = |kind, pose, session| {
        n += 1;
        s.import_one(
            &tags(kind, pose, Some(session)),
            &s.file(
                &format!("{n}.jpg"),
                &jpeg_of(&card(100 + n, 80), 100 + n, 80),
            ),
        )
        .id
    };
    let before = add(PhotoKind::Before, PhotoPose::Front, first);
    let same_day_after = add(PhotoKind::After, PhotoPose::Front, first);
    let progress = add(PhotoKind::Progress, PhotoPose::Front, middle);
    let latest = add(PhotoKind::After, PhotoPose::Front, last);
    let side = add(PhotoKind::After, PhotoPose::Left45, last);
    let found = s.with(|store| photo::candidates(store.db(), s.client).unwrap());
    let proposed = found.proposed.expect("a proposal");
    assert_eq!(
        (proposed.first, proposed.second),
        (before, latest),
        "first session's before against the latest session's after"
    );
    assert_eq!(proposed.zone, "cheeks");
    assert_eq!(proposed.pose, PhotoPose::Front);
    let pairs: Vec<(PhotoId, PhotoId)> = found.pairs.iter().map(|p| (p.first, p.second)).collect();
    assert!(pairs.contains(&(before, progress)));
    assert!(pairs.contains(&(same_day_after, latest)));
    assert!(
        !pairs.contains(&(before, same_day_after)),
        "photos of the same session are not a comparison"
    );
    assert!(
        pairs.iter().all(|(a, b)| *a != side && *b != side),
        "a pose with one photo has no pair"
    );
    assert_eq!(pairs.len(), 5, "{pairs:?}");
}

#[test]
fn lost_cache_files_are_made_again_from_the_original() {
    let s = studio();
    let photo = s.import_one(
        &tags(PhotoKind::Before, PhotoPose::Front, None),
        &s.file("a.jpg", &jpeg_of(&card(2000, 1000), 2000, 1000)),
    );
    std::fs::remove_dir_all(s.data().join("cache")).unwrap();
    let preview = decode(&s.derived(&photo, PhotoSize::Preview));
    assert_eq!((preview.width, preview.height), (1600, 800));
    let thumb = decode(&s.derived(&photo, PhotoSize::Thumb));
    assert_eq!((thumb.width, thumb.height), (320, 160));

    let out = s.data().join("export.jpg");
    let written = s
        .with(|store| photo::export_file(store.data_dir(), &photo, PhotoSize::Thumb, &out))
        .unwrap();
    assert_eq!(written.bytes as usize, std::fs::read(&out).unwrap().len());
}

#[test]
fn verify_finds_missing_and_changed_originals_and_orphans() {
    let s = studio();
    let results = s.import(&[
        s.file("a.jpg", &jpeg_of(&card(60, 40), 60, 40)),
        s.file("b.jpg", &jpeg_of(&card(61, 40), 61, 40)),
        s.file("c.jpg", &jpeg_of(&card(62, 40), 62, 40)),
    ]);
    let [a, b, _c] = [0, 1, 2].map(|i| imported(&results[i]));
    let path = |p: &Photo| photo::file(s.data(), p, PhotoSize::Original).unwrap().path;
    std::fs::remove_file(path(&a)).unwrap();
    std::fs::write(path(&b), b"changed").unwrap();
    let orphan = s.data().join("photos/ff/left-over.jpg");
    std::fs::create_dir_all(orphan.parent().unwrap()).unwrap();
    std::fs::write(&orphan, b"x").unwrap();
    let report = s.with(|store| photo::verify(store.db(), store.data_dir()).unwrap());
    assert_eq!(report.photos, 3);
    if crate::on_postgres() {
        // In clinic mode the folder is this desktop's cache of the clinic's
        // bucket: a lost or damaged copy is fetched again, whole, and only
        // the stray file is listed (clinic_photos.rs checks the bucket).
        assert!(report.ok(), "{report:?}");
        assert_eq!(report.orphans, vec!["photos/ff/left-over.jpg".to_owned()]);
        return;
    }
    assert!(!report.ok());
    let problems: Vec<(PhotoId, &str)> = report
        .problems
        .iter()
        .map(|p| (p.id, p.reason.as_str()))
        .collect();
    assert_eq!(problems.len(), 2, "{problems:?}");
    assert!(problems
        .iter()
        .any(|(id, why)| *id == a.id && why.contains("missing")));
    assert!(problems
        .iter()
        .any(|(id, why)| *id == b.id && why.contains("does not match")));
    assert_eq!(report.orphans, vec!["photos/ff/left-over.jpg".to_owned()]);
}

#[test]
fn the_demo_clinic_has_photos_to_compare() {
    let Folder { dir, mut store } = crate::fresh();
    store
        .write(|tx| pinpoint_core::demo::fill(tx, crate::today(), now()))
        .unwrap();
    let store = SharedStore::new(Some(store));
    let added = photo::demo::add_photos(&store, &crate::written()).unwrap();
    assert!(added >= 40, "demo sessions have photos: {added}");
    let store = store.take().unwrap();
    let with_photos: Vec<ClientId> = store
        .db()
        .query_map("SELECT DISTINCT client_id FROM photo", &[], |r| r.get(0))
        .unwrap();
    for client in with_photos {
        let photos = photo::list(store.db(), client).unwrap();
        assert!(
            photos
                .iter()
                .all(|p| (p.session_id.is_some() != p.follow_up_id.is_some())
                    && p.captured_at.is_some()),
            "demo photos belong to a session or a follow-up visit and carry a capture time"
        );
        if photos.len() >= 3 {
            let found = photo::candidates(store.db(), client).unwrap();
            assert!(found.proposed.is_some(), "a course has a before/after pair");
        }
    }
    let report = photo::verify(store.db(), dir.path()).unwrap();
    assert!(report.ok() && report.orphans.is_empty(), "{report:?}");
}

#[test]
fn a_camera_folder_lists_its_photos_in_the_order_a_person_reads_them() {
    let dir = tempfile::tempdir().unwrap();
    for name in [
        "IMG_10.jpg",
        "IMG_2.JPG",
        "img_3.jpeg",
        "IMG_0001.heic",
        "notes.txt",
        ".hidden.jpg",
        "IMG_2b.png",
    ] {
        std::fs::write(dir.path().join(name), b"x").unwrap();
    }
    let names: Vec<String> = pinpoint_core::photo::importable_files(dir.path())
        .unwrap()
        .into_iter()
        .map(|f| f.name)
        .collect();
    assert_eq!(
        names,
        [
            "IMG_0001.heic",
            "IMG_2.JPG",
            "IMG_2b.png",
            "img_3.jpeg",
            "IMG_10.jpg"
        ],
        "numbers by value, letters without case, no hidden or non-photo files"
    );
}

#[test]
fn a_progress_photo_taken_at_a_follow_up_visit_sits_on_that_visit() {
    let s = studio();
    let visit = s.with(|store| {
        store
            .write(|tx| {
                pinpoint_core::followup::add_visit(
                    tx,
                    pinpoint_core::ids::FollowUpId::new(),
                    s.client,
                    crate::today(),
                    "six-week review",
                    crate::today(),
                    now(),
                )
            })
            .unwrap()
    });
    let rgb = vec![180u8; 64 * 48 * 3];
    let at_visit = PhotoTags {
        follow_up_id: Some(visit.id),
        ..tags(PhotoKind::Progress, PhotoPose::Front, None)
    };
    let photo = s.import_one(&at_visit, &s.file("visit.jpg", &jpeg_of(&rgb, 64, 48)));
    assert_eq!(
        (photo.session_id, photo.follow_up_id),
        (None, Some(visit.id)),
        "the photo is stored on the visit"
    );
    let timeline = s.with(|store| {
        pinpoint_core::timeline::build(store.db(), s.client, crate::today()).unwrap()
    });
    let on_visit: Vec<_> = timeline
        .entries
        .iter()
        .filter_map(|e| match e {
            pinpoint_core::timeline::TimelineEntry::FollowUp(v) => Some(&v.photos),
            _ => None,
        })
        .flatten()
        .map(|p| p.id)
        .collect();
    assert_eq!(on_visit, [photo.id], "the timeline shows it at the visit");

    // A photo cannot be on a session and a visit at once.
    let both = PhotoTags {
        follow_up_id: Some(visit.id),
        ..tags(PhotoKind::Progress, PhotoPose::Front, Some(s.sessions[2]))
    };
    let err = s
        .with(|store| store.write(|tx| photo::set_tags(tx, photo.id, &both, now())))
        .expect_err("session and visit together are refused");
    assert_eq!(
        (err.kind(), err.field()),
        (ErrorKind::Invalid, Some("follow_up_id"))
    );
    // Moving it to a session clears the visit.
    let moved = s
        .with(|store| {
            store.write(|tx| {
                photo::set_tags(
                    tx,
                    photo.id,
                    &tags(PhotoKind::Progress, PhotoPose::Front, Some(s.sessions[2])),
                    now(),
                )
            })
        })
        .unwrap();
    assert_eq!(
        (moved.session_id, moved.follow_up_id),
        (Some(s.sessions[2]), None)
    );
}

#[test]
fn a_score_of_a_photo_pair_opens_that_pair_from_the_chart() {
    use pinpoint_core::outcome::{self, Scale, ScoreSubject};
    let s = studio();
    let rgb = vec![120u8; 64 * 48 * 3];
    let lighter = vec![140u8; 64 * 48 * 3];
    let before = s.import_one(
        &tags(PhotoKind::Before, PhotoPose::Front, Some(s.sessions[0])),
        &s.file("before.jpg", &jpeg_of(&rgb, 64, 48)),
    );
    let after = s.import_one(
        &tags(PhotoKind::After, PhotoPose::Front, Some(s.sessions[2])),
        &s.file("after.jpg", &jpeg_of(&lighter, 64, 48)),
    );
    s.with(|store| {
        store
            .write(|tx| {
                outcome::add(
                    tx,
                    pinpoint_core::ids::ScoreId::new(),
                    &outcome::NewScore {
                        client_id: s.client,
                        scale: Scale::GaisPractitioner,
                        value: 2.0,
                        recorded_on: crate::today(),
                        subject: ScoreSubject {
                            before_photo_id: Some(before.id),
                            after_photo_id: Some(after.id),
                            ..ScoreSubject::default()
                        }
                        .clone(),
                        note: "".to_owned(),
                    },
                    crate::today(),
                    now(),
                )
            })
            .unwrap()
    });
    let timeline = s.with(|store| {
        pinpoint_core::timeline::build(store.db(), s.client, crate::today()).unwrap()
    });
    let point = &timeline.score_series[0].points[0];
    assert_eq!(
        (point.compared_with, point.photo_id),
        (Some(before.id), Some(after.id)),
        "the point opens the pair that was scored, before then after"
    );
}

/// A photo row whose stored hash was rewritten outside Pinpoint (a crafted
/// database in a backup) must never become a path: reading it is a
/// `damaged` error naming the photo, and the check reports it without
/// panicking, even for a value whose second byte is inside a character.
#[test]
fn a_stored_hash_that_is_not_a_sha256_is_never_used_as_a_path() {
    let s = studio();
    let photo = s.import_one(
        &tags(PhotoKind::Before, PhotoPose::Front, Some(s.sessions[0])),
        &s.file("a.jpg", &jpeg_of(&[120u8; 16 * 16 * 3], 16, 16)),
    );
    // Somewhere else on the disk, a file the crafted row points at.
    let secret = s.dir.path().join("secret.jpg");
    std::fs::write(&secret, b"not a clinical photo").unwrap();
    for crafted in [
        format!(
            "../../{}/secret",
            s.dir.path().file_name().unwrap().to_string_lossy()
        ),
        "é".repeat(32),
        photo.sha256.to_uppercase(),
    ] {
        s.with(|store| {
            store
                .db()
                // A crafted database need not carry the schema's checks.
                .execute_batch(&if crate::on_postgres() {
                    format!(
                        "ALTER TABLE photo DROP CONSTRAINT IF EXISTS photo_sha256_check;
                         UPDATE photo SET sha256 = '{crafted}' WHERE id = '{}';",
                        photo.id
                    )
                } else {
                    format!(
                        "PRAGMA ignore_check_constraints = ON;
                         UPDATE photo SET sha256 = '{crafted}' WHERE id = '{}';
                         PRAGMA ignore_check_constraints = OFF;",
                        photo.id
                    )
                })
                .unwrap();
        });
        let listed = s
            .with(|store| photo::list(store.db(), s.client))
            .unwrap_err();
        assert_eq!(listed.kind(), ErrorKind::Damaged, "{crafted}: {listed}");
        assert!(
            listed.to_string().contains(&photo.id.to_string())
                && listed.to_string().contains("not a SHA-256"),
            "the message names the photo and the problem: {listed}"
        );
        let report = s.with(|store| photo::verify(store.db(), s.data())).unwrap();
        assert!(
            report
                .problems
                .iter()
                .any(|p| p.id == photo.id && p.reason.contains("not a SHA-256")),
            "{crafted}: {report:?}"
        );
    }
}

/// Only regular files are read: a device that never ends (`/dev/zero`) and
/// a pipe nobody writes to are refused before a byte is read, with the
/// reason, and nothing is stored.
#[test]
fn a_device_or_a_pipe_is_refused_before_it_is_read() {
    let s = studio();
    let fifo = s.dir.path().join("camera.jpg");
    let made = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .expect("mkfifo runs");
    assert!(made.success());
    let results = s.import(&[PathBuf::from("/dev/zero"), fifo]);
    for result in &results {
        let refusal = result.refused.as_ref().expect("refused");
        assert!(
            refusal.message.contains("not a regular file"),
            "{}: {refusal:?}",
            result.file
        );
    }
    assert_eq!(s.rows(), 0, "nothing stored");
}

/// A process killed between storing an original and committing its row
/// leaves a file no record points to; the next open of the folder finds
/// the import's mark and removes every such file (cache included), and
/// nothing a record names.
#[test]
fn originals_a_crash_left_without_rows_are_swept_at_the_next_start() {
    let s = studio();
    let kept = s.import_one(
        &tags(PhotoKind::Before, PhotoPose::Front, Some(s.sessions[0])),
        &s.file("kept.jpg", &jpeg_of(&[100u8; 16 * 16 * 3], 16, 16)),
    );
    let Studio { dir, store, .. } = s;
    drop(store);
    // What a kill mid-import leaves: the mark, an original, its preview,
    // and a half-written temporary file.
    let orphan = "d".repeat(64);
    let photos = dir.path().join("photos/dd");
    std::fs::create_dir_all(&photos).unwrap();
    std::fs::write(photos.join(format!("{orphan}.jpg")), b"health data").unwrap();
    std::fs::write(photos.join(format!(".{orphan}.jpg.partial-1-0")), b"half").unwrap();
    let cache = dir.path().join("cache/preview/dd");
    std::fs::create_dir_all(&cache).unwrap();
    std::fs::write(cache.join(format!("{orphan}.jpg")), b"preview").unwrap();
    std::fs::write(dir.path().join("photos/.importing"), b"4294967").unwrap();

    let store = crate::open_store(dir.path());
    assert!(
        !photos.join(format!("{orphan}.jpg")).exists(),
        "the orphan original is gone"
    );
    assert!(
        !cache.join(format!("{orphan}.jpg")).exists(),
        "its preview too"
    );
    assert!(
        !dir.path().join("photos/.importing").exists(),
        "and the mark"
    );
    let report = photo::verify(store.db(), dir.path()).unwrap();
    assert!(
        report.orphans.is_empty() && report.problems.is_empty(),
        "{report:?}"
    );
    assert_eq!(report.photos, 1, "the photo with a record stays");
    let file = photo::file(dir.path(), &kept, PhotoSize::Original).unwrap();
    assert!(file.path.is_file());
}

/// A JPEG made of thousands of scans (each a full pass of the decoder) is
/// refused from its structure, before any decoding, naming the reason.
#[test]
fn a_jpeg_with_too_many_scans_is_refused_before_decoding() {
    let s = studio();
    let mut bytes = jpeg_of(&[80u8; 16 * 16 * 3], 16, 16);
    assert_eq!(bytes.split_off(bytes.len() - 2), [0xFF, 0xD9]);
    for _ in 0..5000 {
        bytes.extend_from_slice(&[
            0xFF, 0xDA, 0x00, 0x08, 0x01, 0x01, 0x00, 0x00, 0x3F, 0x00, 0x00,
        ]);
    }
    bytes.extend_from_slice(&[0xFF, 0xD9]);
    let results = s.import(&[s.file("scans.jpg", &bytes)]);
    let refusal = results[0].refused.as_ref().expect("refused");
    assert!(
        refusal.message.contains("more than 100 scans"),
        "{refusal:?}"
    );
    assert_eq!(s.rows(), 0);
}
