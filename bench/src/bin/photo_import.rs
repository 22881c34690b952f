//! Measures photo import (docs/measured.md) in a release build: from file to
//! stored original, preview, thumbnail and database row, through the core's
//! real pipeline (`pinpoint_core::photo::import_files`).
//!
//! cargo run --release -p pinpoint-bench --bin photo_import
//!     a quick look: twelve generated 12 MP photos, one core and all cores,
//!     and the peak memory of one 24 MP import
//!
//! `bench/run` drives it through these modes, each printing JSON lines:
//!     photo_import generate DIR        the generated 12 MP and 24 MP JPEGs, and
//!                                      the first 12 MP picture as PNG and WebP
//!     photo_import single RUNS FILE…   each file imported alone (one worker)
//!     photo_import batch RUNS FILE…    all files in one import (all cores)
//!     photo_import parts RUNS FILE…    hash alone and decode+resize+encode alone
//!     photo_import peak FILE           peak memory of importing one file
//!     photo_import bombs N             peak memory of one batch of N small
//!                                      PNGs that each decode to 100 MP

use pinpoint_core::SharedStore;
use std::path::{Path, PathBuf};
use std::time::Instant;

use pinpoint_bench::{photos, stats};
use pinpoint_core::ids::ClientId;
use pinpoint_core::photo;
use pinpoint_core::Store;
use sha2::Digest;

/// The generated photos: name, width, height, seed.
const GENERATED: [(&str, u32, u32, u64); 6] = [
    ("gen-12mp-1.jpg", 4000, 3000, 1201),
    ("gen-12mp-2.jpg", 4000, 3000, 1202),
    ("gen-12mp-3.jpg", 4000, 3000, 1203),
    ("gen-12mp-4.jpg", 4000, 3000, 1204),
    ("gen-24mp-1.jpg", 6000, 4000, 2401),
    ("gen-24mp-2.jpg", 6000, 4000, 2402),
];

fn open(dir: &Path) -> (SharedStore, ClientId) {
    photos::with_client(Store::open(dir).expect("open the data folder"))
}

fn import(store: &SharedStore, client: ClientId, files: &[PathBuf]) {
    for r in photos::import_batch(store, client, files) {
        assert!(r.refused.is_none(), "{:?}", r.refused);
        assert!(!r.duplicate, "every import starts from an empty folder");
    }
}

/// A fresh data folder in `PINPOINT_BENCH_WORK` (`bench` points it at its
/// cache on disk; /tmp may be memory), so the import's durable writes cost
/// what they cost for a user.
fn fresh_folder() -> tempfile::TempDir {
    let parent = std::env::var_os("PINPOINT_BENCH_WORK")
        .map(PathBuf::from)
        .unwrap_or_else(std::env::temp_dir);
    std::fs::create_dir_all(&parent).expect("the work folder");
    tempfile::Builder::new()
        .prefix("pinpoint-bench-")
        .tempdir_in(parent)
        .expect("a temporary data folder")
}

fn name_of(file: &Path) -> String {
    file.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// The first 12 MP picture in the other formats the app imports (HEIC is
/// made by `bench` with `heif-enc`, as no HEIC encoder is built in).
fn generate_formats(dir: &Path) {
    use image::ImageEncoder;
    let (_, width, height, seed) = GENERATED[0];
    let png = dir.join("fmt-12mp.png");
    let webp = dir.join("fmt-12mp.webp");
    if png.is_file() && webp.is_file() {
        return;
    }
    let rgb = photos::photo_like_rgb(width, height, seed);
    let mut bytes = Vec::new();
    image::codecs::png::PngEncoder::new(&mut bytes)
        .write_image(&rgb, width, height, image::ExtendedColorType::Rgb8)
        .expect("encode PNG");
    std::fs::write(&png, &bytes).expect("write the PNG");
    let mut bytes = Vec::new();
    image::codecs::webp::WebPEncoder::new_lossless(&mut bytes)
        .write_image(&rgb, width, height, image::ExtendedColorType::Rgb8)
        .expect("encode WebP");
    std::fs::write(&webp, &bytes).expect("write the WebP");
}

fn generate(dir: &Path) {
    std::fs::create_dir_all(dir).expect("create the photo folder");
    generate_formats(dir);
    for (name, width, height, seed) in GENERATED {
        let path = dir.join(name);
        if !path.is_file() {
            let start = Instant::now();
            std::fs::write(&path, photos::photo_like_jpeg(width, height, seed, 6))
                .expect("write the photo");
            eprintln!(
                "generated {name} ({width} × {height}) in {:.1} s",
                start.elapsed().as_secs_f64()
            );
        }
    }
}

/// Each file imported on its own (a one-file import uses one worker), a
/// fresh data folder per run.
fn single(runs: usize, files: &[PathBuf]) {
    let mut samples: Vec<Vec<f64>> = vec![Vec::new(); files.len()];
    for _ in 0..runs {
        let dir = fresh_folder();
        let (store, client) = open(dir.path());
        for (file, times) in files.iter().zip(&mut samples) {
            let start = Instant::now();
            import(&store, client, std::slice::from_ref(file));
            times.push(stats::ms_since(start));
        }
    }
    for (file, times) in files.iter().zip(&samples) {
        stats::emit(&format!("single:{}", name_of(file)), "ms", times);
    }
}

/// All files in one import (all cores), a fresh data folder per run.
fn batch(runs: usize, files: &[PathBuf]) {
    let mut times = Vec::new();
    for _ in 0..runs {
        let dir = fresh_folder();
        let (store, client) = open(dir.path());
        let start = Instant::now();
        import(&store, client, files);
        times.push(stats::ms_since(start));
    }
    stats::emit("batch", "ms", &times);
}

/// The parts of one import that need no store: SHA-256 of the bytes, and
/// decode + resize + colour + orientation + encode (`photo::render`).
fn parts(runs: usize, files: &[PathBuf]) {
    for file in files {
        let bytes = std::fs::read(file).expect("read the photo");
        let mut hash = Vec::new();
        let mut render = Vec::new();
        for _ in 0..runs {
            let start = Instant::now();
            std::hint::black_box(sha2::Sha256::digest(&bytes));
            hash.push(stats::ms_since(start));
            let start = Instant::now();
            std::hint::black_box(photo::render::render(&bytes).expect("render"));
            render.push(stats::ms_since(start));
        }
        stats::emit(&format!("hash:{}", name_of(file)), "ms", &hash);
        stats::emit(&format!("render:{}", name_of(file)), "ms", &render);
    }
}

/// One import in this fresh process: the process's peak resident memory
/// (`VmHWM`) and how much of it the import added.
fn peak(file: &Path) {
    let dir = fresh_folder();
    let (store, client) = open(dir.path());
    let before = stats::memory_kib("VmRSS:");
    import(&store, client, &[file.to_owned()]);
    let peak = stats::memory_kib("VmHWM:");
    stats::emit_fact("peak_kib", peak);
    stats::emit_fact("before_kib", before);
}

/// A small PNG (a few hundred KB) that decodes to 10,000 × 10,000 pixels
/// (100 MP, the largest the limits allow): one flat colour, so it
/// compresses about a thousandfold. `shade` makes each one different, so
/// the import does not deduplicate them.
fn pixel_bomb(shade: u8) -> Vec<u8> {
    use image::ImageEncoder;
    const SIDE: u32 = 10_000;
    let row: Vec<u8> = (0..SIDE).flat_map(|_| [shade, 128, 255 - shade]).collect();
    let pixels = row.repeat(SIDE as usize);
    let mut png = Vec::new();
    image::codecs::png::PngEncoder::new_with_quality(
        &mut png,
        image::codecs::png::CompressionType::Fast,
        image::codecs::png::FilterType::Up,
    )
    .write_image(&pixels, SIDE, SIDE, image::ExtendedColorType::Rgb8)
    .expect("the PNG is written");
    png
}

/// One batch of `n` pixel bombs in this fresh process, on every core: the
/// process's peak resident memory, the wall time, and how many were
/// imported (the limits allow each one alone; the shared decoding budget
/// is what keeps them from decoding all at once).
fn bombs(n: usize) {
    let work = fresh_folder();
    let files: Vec<PathBuf> = (0..n)
        .map(|i| {
            let path = work.path().join(format!("bomb-{i:02}.png"));
            std::fs::write(&path, pixel_bomb(i as u8 * 7)).expect("the bomb is written");
            path
        })
        .collect();
    let bytes: u64 = files
        .iter()
        .map(|f| std::fs::metadata(f).map_or(0, |m| m.len()))
        .sum();
    let dir = fresh_folder();
    let (store, client) = open(dir.path());
    let before = stats::memory_kib("VmRSS:");
    let start = Instant::now();
    import(&store, client, &files);
    stats::emit_fact("batch_ms", stats::ms_since(start).round());
    stats::emit_fact("peak_kib", stats::memory_kib("VmHWM:"));
    stats::emit_fact("before_kib", before);
    stats::emit_fact("files", n as u64);
    stats::emit_fact("file_bytes", bytes);
    stats::emit_fact(
        "workers",
        std::thread::available_parallelism().map_or(1, |n| n.get()) as u64,
    );
}

fn quick_look() {
    let work = tempfile::tempdir().unwrap();
    let files: Vec<PathBuf> = (0..12)
        .map(|i| {
            let path = work.path().join(format!("IMG_{i:04}.jpg"));
            std::fs::write(&path, photos::photo_like_jpeg(4000, 3000, 1000 + i, 6)).unwrap();
            path
        })
        .collect();
    let size = std::fs::metadata(&files[0]).unwrap().len();
    println!(
        "12 MP JPEG (4000 × 3000, EXIF orientation 6): {:.1} MB",
        size as f64 / 1e6
    );
    let dir = tempfile::tempdir().unwrap();
    let (store, client) = open(dir.path());
    let mut times = Vec::new();
    for file in &files {
        let start = Instant::now();
        import(&store, client, std::slice::from_ref(file));
        times.push(stats::ms_since(start));
    }
    let one = stats::Summary::of(&times);
    println!(
        "one core: median {:.0} ms per photo (min {:.0}, max {:.0}), hash + store + preview + thumbnail + row",
        one.median, one.min, one.max
    );
    let dir = tempfile::tempdir().unwrap();
    let (store, client) = open(dir.path());
    let start = Instant::now();
    import(&store, client, &files);
    let total = stats::ms_since(start);
    println!(
        "batch of {} on {} cores: {total:.0} ms wall, {:.0} ms per photo",
        files.len(),
        std::thread::available_parallelism().map_or(1, |n| n.get()),
        total / files.len() as f64
    );
    let big = work.path().join("IMG_24MP.jpg");
    std::fs::write(&big, photos::photo_like_jpeg(6000, 4000, 7, 6)).unwrap();
    let out = std::process::Command::new(std::env::current_exe().unwrap())
        .arg("peak")
        .arg(&big)
        .output()
        .unwrap();
    println!(
        "24 MP JPEG (6000 × 4000): {}",
        String::from_utf8_lossy(&out.stdout)
            .trim()
            .replace('\n', ", ")
    );
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let runs = |text: &str| -> usize { text.parse().expect("a number of runs") };
    let files = |rest: &[String]| -> Vec<PathBuf> { rest.iter().map(PathBuf::from).collect() };
    match args.as_slice() {
        [] => quick_look(),
        [mode, dir] if mode == "generate" => generate(Path::new(dir)),
        [mode, file] if mode == "peak" => peak(Path::new(file)),
        [mode, n] if mode == "bombs" => bombs(runs(n)),
        [mode, n, rest @ ..] if mode == "single" && !rest.is_empty() => {
            single(runs(n), &files(rest))
        }
        [mode, n, rest @ ..] if mode == "batch" && !rest.is_empty() => batch(runs(n), &files(rest)),
        [mode, n, rest @ ..] if mode == "parts" && !rest.is_empty() => parts(runs(n), &files(rest)),
        _ => {
            eprintln!(
                "usage: photo_import [generate DIR | single|batch|parts RUNS FILE… | peak FILE]"
            );
            std::process::exit(2);
        }
    }
}
