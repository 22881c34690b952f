//! Measures photo import (DESIGN.md §6) in a release build: milliseconds per
//! 12 MP phone-like JPEG from file to stored original, preview, thumbnail
//! and database row on one core and on all cores, and the extra peak memory
//! of importing one 24 MP JPEG.
//!
//! cargo run --release -p pinpoint-core --example photo_import
//! (the memory figure runs in a child process of its own)

use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::Instant;

use chrono::Utc;
use pinpoint_core::client::{self, ClientInput};
use pinpoint_core::ids::{ClientId, PhotoId};
use pinpoint_core::photo::{self, PhotoKind, PhotoPose, PhotoTags};
use pinpoint_core::Store;

/// A phone-like photo: smooth light, texture and sensor noise, so the JPEG
/// has a realistic size (a flat card would decode unrealistically fast).
fn phone_jpeg(width: u32, height: u32, seed: u64) -> Vec<u8> {
    let (w, h) = (width as usize, height as usize);
    let mut rgb = vec![0u8; w * h * 3];
    let mut state = seed | 1;
    for y in 0..h {
        for x in 0..w {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            let noise = (state & 0x1f) as f32 - 16.0;
            let fx = x as f32 / w as f32;
            let fy = y as f32 / h as f32;
            let wave = ((fx * 37.0).sin() * (fy * 23.0).cos()) * 30.0;
            let base = [190.0 - 60.0 * fy, 140.0 + 40.0 * fx, 110.0 + 20.0 * fy];
            let i = (y * w + x) * 3;
            for k in 0..3 {
                rgb[i + k] = (base[k] + wave + noise).clamp(0.0, 255.0) as u8;
            }
        }
    }
    let mut compressor = turbojpeg::Compressor::new().unwrap();
    compressor.set_quality(92).unwrap();
    compressor.set_subsamp(turbojpeg::Subsamp::Sub2x2).unwrap();
    let jpeg = compressor
        .compress_to_vec(turbojpeg::Image {
            pixels: rgb.as_slice(),
            width: w,
            pitch: w * 3,
            height: h,
            format: turbojpeg::PixelFormat::RGB,
        })
        .unwrap();
    photo::jpeg::with_exif(&jpeg, 6, Some(Utc::now().naive_utc()))
}

fn open(dir: &Path) -> (Mutex<Store>, ClientId) {
    let mut store = Store::open(dir).unwrap();
    let client = store
        .write(|tx| {
            let input = ClientInput {
                name: "Bench Client".to_owned(),
                ..Default::default()
            };
            client::create(
                tx,
                ClientId::new(),
                &input,
                Utc::now().date_naive(),
                Utc::now(),
            )
        })
        .unwrap()
        .id;
    (Mutex::new(store), client)
}

fn tags() -> PhotoTags {
    PhotoTags {
        session_id: None,
        kind: PhotoKind::Before,
        zone: "cheeks".to_owned(),
        pose: PhotoPose::Front,
        custom_pose: None,
    }
}

fn import(store: &Mutex<Store>, client: ClientId, files: &[PathBuf]) {
    let results = photo::import_files(
        store,
        client,
        &tags(),
        files,
        Utc::now(),
        &mut PhotoId::new,
        &mut |_| true,
    )
    .unwrap();
    for r in results {
        assert!(r.refused.is_none(), "{:?}", r.refused);
    }
}

fn status(field: &str) -> u64 {
    let text = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    text.lines()
        .find(|l| l.starts_with(field))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|v| v.parse().ok())
        .unwrap_or(0)
}

/// CPU time of the whole process (all threads) in milliseconds: unlike wall
/// time, not inflated when other work shares the machine.
fn cpu_ms() -> f64 {
    let text = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    let fields: Vec<&str> = text
        .rsplit_once(')')
        .map(|(_, rest)| rest.split_whitespace().collect())
        .unwrap_or_default();
    let ticks: f64 = [11, 12]
        .iter()
        .filter_map(|&i| fields.get(i).and_then(|v| v.parse::<f64>().ok()))
        .sum();
    ticks * 10.0
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(|a, b| a.total_cmp(b));
    v[v.len() / 2]
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if args.len() == 3 && args[1] == "--peak" {
        // Child: one 24 MP import in a fresh process.
        let dir = tempfile::tempdir().unwrap();
        let (store, client) = open(dir.path());
        let file = PathBuf::from(&args[2]);
        let before = status("VmRSS:");
        import(&store, client, &[file]);
        let peak = status("VmHWM:");
        println!("{}", peak.saturating_sub(before));
        return;
    }
    let work = tempfile::tempdir().unwrap();
    let count = 12;
    let files: Vec<PathBuf> = (0..count)
        .map(|i| {
            let path = work.path().join(format!("IMG_{i:04}.jpg"));
            std::fs::write(&path, phone_jpeg(4000, 3000, 1000 + i)).unwrap();
            path
        })
        .collect();
    let size = std::fs::metadata(&files[0]).unwrap().len();
    println!(
        "12 MP JPEG (4000 × 3000, EXIF orientation 6): {:.1} MB",
        size as f64 / 1e6
    );

    // One file per call: one worker, so this is the cost on one core.
    let dir = tempfile::tempdir().unwrap();
    let (store, client) = open(dir.path());
    let mut times = Vec::new();
    let cpu_start = cpu_ms();
    for file in &files {
        let start = Instant::now();
        import(&store, client, std::slice::from_ref(file));
        times.push(start.elapsed().as_secs_f64() * 1000.0);
    }
    println!(
        "one core: median {:.0} ms per photo (min {:.0}, max {:.0}), hash + store + preview + thumbnail + row",
        median(times.clone()),
        times.iter().copied().fold(f64::MAX, f64::min),
        times.iter().copied().fold(0.0, f64::max)
    );
    println!(
        "  CPU time: {:.0} ms per photo",
        (cpu_ms() - cpu_start) / count as f64
    );

    // Just the decode and derived images, for comparison with DESIGN.md §6.
    let bytes = std::fs::read(&files[0]).unwrap();
    let mut render = Vec::new();
    let cpu_start = cpu_ms();
    for _ in 0..10 {
        let start = Instant::now();
        let rendered = photo::render::render(&bytes).unwrap();
        render.push(start.elapsed().as_secs_f64() * 1000.0);
        assert_eq!(rendered.width, 3000, "orientation 6 turns it upright");
    }
    println!(
        "  of which decode + resize + orient + encode: median {:.0} ms wall, {:.0} ms CPU",
        median(render),
        (cpu_ms() - cpu_start) / 10.0
    );

    // A batch on all cores.
    let dir = tempfile::tempdir().unwrap();
    let (store, client) = open(dir.path());
    let start = Instant::now();
    import(&store, client, &files);
    let total = start.elapsed().as_secs_f64() * 1000.0;
    println!(
        "batch of {count} on {} cores: {:.0} ms wall, {:.0} ms per photo",
        std::thread::available_parallelism().map_or(1, |n| n.get()),
        total,
        total / count as f64
    );

    // 24 MP peak memory, in a fresh process.
    let big = work.path().join("IMG_24MP.jpg");
    std::fs::write(&big, phone_jpeg(6000, 4000, 7)).unwrap();
    let big_size = std::fs::metadata(&big).unwrap().len();
    let out = std::process::Command::new(std::env::current_exe().unwrap())
        .arg("--peak")
        .arg(&big)
        .output()
        .unwrap();
    let kib: u64 = String::from_utf8_lossy(&out.stdout)
        .trim()
        .parse()
        .unwrap_or(0);
    println!(
        "24 MP JPEG (6000 × 4000, {:.1} MB): peak memory {:.0} MB above the process before the import",
        big_size as f64 / 1e6,
        kib as f64 / 1024.0
    );
}
