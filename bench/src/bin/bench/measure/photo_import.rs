//! Photo import: Pinpoint's one-at-a-time and batch imports, their parts,
//! and the reference tools (vipsthumbnail, ImageMagick, the `djpeg` floor)
//! on the same photos; peak memory of a 24 MP import; other formats.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use crate::child::{children_cpu_ms, collect, max_rss_kib, timed, Collected};
use crate::options::Options;

/// A set of photos measured together.
#[derive(Debug)]
struct Group {
    title: String,
    files: Vec<PathBuf>,
}

/// Per-pipeline results for one group: wall ms per photo of each run, and
/// CPU ms per photo (mean over the runs).
#[derive(Debug, Default, Clone)]
pub struct PerPhoto {
    pub wall: Vec<f64>,
    pub cpu: Option<f64>,
}

pub const PIPELINES: [&str; 8] = [
    "Pinpoint import, one photo at a time (1 worker)",
    "Pinpoint import, batch (all cores)",
    "  of which decode + resize + encode (`photo::render`, alone: two cores for a sequential JPEG)",
    "  of which SHA-256",
    "vipsthumbnail at its best (2 processes: previews, then thumbnails from them)",
    "vipsthumbnail, 1 thread (`VIPS_CONCURRENCY=1`)",
    "ImageMagick `convert`, one process per photo (`jpeg:size` hint, `+write`)",
    "floor: `djpeg -scale 1/2` (libjpeg-turbo decode alone, 1 thread)",
];

fn megapixels(files: &[PathBuf]) -> (f64, f64, f64) {
    let mut sizes = Vec::new();
    let mut bytes = 0u64;
    for f in files {
        bytes += std::fs::metadata(f).map_or(0, |m| m.len());
        let data = std::fs::read(f).unwrap_or_default();
        if let Ok(header) = turbojpeg::read_header(&data) {
            sizes.push((header.width * header.height) as f64 / 1e6);
        }
    }
    let min = sizes.iter().copied().fold(f64::MAX, f64::min);
    let max = sizes.iter().copied().fold(0.0, f64::max);
    (min, max, bytes as f64 / 1e6)
}

fn photo_import(o: &Options) -> PathBuf {
    o.programs.join("photo_import")
}

/// Runs `photo_import MODE RUNS FILE…` and collects what it prints.
fn import_runs(o: &Options, mode: &str, runs: usize, files: &[&Path]) -> Collected {
    let mut got = Collected::default();
    collect(
        Command::new(photo_import(o))
            .arg(mode)
            .arg(runs.to_string())
            .args(files),
        &mut got,
    );
    got
}

/// Per run, the mean over `files` of the samples printed as
/// `<prefix>:<file name>`.
fn per_photo_runs(got: &Collected, prefix: &str, files: &[PathBuf], runs: usize) -> Vec<f64> {
    (0..runs)
        .map(|r| {
            files
                .iter()
                .map(|f| {
                    let name = f.file_name().unwrap_or_default().to_string_lossy();
                    got.get(&format!("{prefix}:{name}"))
                        .get(r)
                        .copied()
                        .unwrap_or(f64::NAN)
                })
                .sum::<f64>()
                / files.len() as f64
        })
        .collect()
}

/// Runs one group through every pipeline.
fn measure_group(o: &Options, group: &Group, work: &Path) -> Vec<PerPhoto> {
    let n = group.files.len() as f64;
    let runs = o.runs;
    let files: Vec<&Path> = group.files.iter().map(PathBuf::as_path).collect();
    let mut out = vec![PerPhoto::default(); PIPELINES.len()];
    std::env::set_var("PINPOINT_BENCH_WORK", work);

    // Pinpoint, one photo at a time: the runs' per-photo means.
    let cpu = children_cpu_ms();
    let got = import_runs(o, "single", runs, &files);
    out[0].cpu = Some((children_cpu_ms() - cpu) / runs as f64 / n);
    out[0].wall = per_photo_runs(&got, "single", &group.files, runs);

    let cpu = children_cpu_ms();
    let got = import_runs(o, "batch", runs, &files);
    out[1].cpu = Some((children_cpu_ms() - cpu) / runs as f64 / n);
    out[1].wall = got.get("batch").iter().map(|t| t / n).collect();

    let got = import_runs(o, "parts", runs, &files);
    for (index, part) in [(2, "render"), (3, "hash")] {
        out[index].wall = per_photo_runs(&got, part, &group.files, runs);
    }

    // vipsthumbnail at its best: one process makes every preview, a second
    // makes the thumbnails from the previews.
    for (index, threads) in [(4, None), (5, Some("1"))] {
        let cpu = children_cpu_ms();
        for _ in 0..runs {
            let dir = work.join("vips");
            let _ = std::fs::remove_dir_all(&dir);
            std::fs::create_dir_all(dir.join("p")).expect("vips folder");
            std::fs::create_dir_all(dir.join("t")).expect("vips folder");
            let previews: Vec<PathBuf> = group
                .files
                .iter()
                .map(|f| dir.join("p").join(f.file_name().unwrap_or_default()))
                .collect();
            let mut p = Command::new("vipsthumbnail");
            p.args(["-s", "1600", "-o"])
                .arg(format!("{}/p/%s.jpg[Q=85]", dir.display()))
                .args(&files);
            let mut t = Command::new("vipsthumbnail");
            t.args(["-s", "320", "-o"])
                .arg(format!("{}/t/%s.jpg[Q=85]", dir.display()))
                .args(&previews);
            if let Some(threads) = threads {
                p.env("VIPS_CONCURRENCY", threads);
                t.env("VIPS_CONCURRENCY", threads);
            }
            let ms = timed(&mut p) + timed(&mut t);
            out[index].wall.push(ms / n);
        }
        out[index].cpu = Some((children_cpu_ms() - cpu) / runs as f64 / n);
    }

    // ImageMagick: the same two sizes from one decode per photo.
    out[6] = per_photo_process(runs, &group.files, |f| {
        let mut command = Command::new("/usr/bin/convert");
        command
            .args(["-define", "jpeg:size=3200x3200"])
            .arg(f)
            .args([
                "-auto-orient",
                "-resize",
                "1600x1600>",
                "-quality",
                "85",
                "+write",
            ])
            .arg(work.join("im-preview.jpg"))
            .args(["-resize", "320x320>"])
            .arg(work.join("im-thumb.jpg"));
        command
    });

    // The floor: libjpeg-turbo decoding at 1/2 scale, nothing else.
    out[7] = per_photo_process(runs, &group.files, |f| {
        let mut command = Command::new("djpeg");
        command
            .args(["-scale", "1/2", "-outfile", "/dev/null"])
            .arg(f);
        command
    });
    out
}

/// A reference tool run as one process per photo over all `files`, `runs`
/// times: wall ms per photo of each run, and CPU ms per photo.
fn per_photo_process(
    runs: usize,
    files: &[PathBuf],
    command: impl Fn(&Path) -> Command,
) -> PerPhoto {
    let n = files.len() as f64;
    let mut out = PerPhoto::default();
    let cpu = children_cpu_ms();
    for _ in 0..runs {
        let mut total = 0.0;
        for f in files {
            total += timed(&mut command(f));
        }
        out.wall.push(total / n);
    }
    out.cpu = Some((children_cpu_ms() - cpu) / runs as f64 / n);
    out
}

/// Adds groups run by run into the "all photos" column, weighted by count.
fn combine(groups: &[Group], results: &[Vec<PerPhoto>]) -> Vec<PerPhoto> {
    let total: f64 = groups.iter().map(|g| g.files.len() as f64).sum();
    (0..PIPELINES.len())
        .map(|p| {
            let runs = results.iter().map(|r| r[p].wall.len()).min().unwrap_or(0);
            let wall = (0..runs)
                .map(|run| {
                    groups
                        .iter()
                        .zip(results)
                        .map(|(g, r)| r[p].wall[run] * g.files.len() as f64)
                        .sum::<f64>()
                        / total
                })
                .collect();
            let cpu = results
                .iter()
                .zip(groups)
                .map(|(r, g)| r[p].cpu.map(|c| c * g.files.len() as f64))
                .sum::<Option<f64>>()
                .map(|c| c / total);
            PerPhoto { wall, cpu }
        })
        .collect()
}

#[derive(Debug, Default)]
pub struct PhotoFigures {
    pub groups: Vec<(String, usize, String)>,
    pub columns: Vec<Vec<PerPhoto>>,
    pub peak_mb: Vec<f64>,
    pub added_mb: Vec<f64>,
    pub vips_peak_mb: Option<f64>,
    pub convert_peak_mb: Option<f64>,
    pub big: String,
    /// The same 12 MP picture in each format: (format, file MB, ms per
    /// import on one worker, peak resident MB of the importing process).
    pub formats: Vec<(String, f64, Vec<f64>, Vec<f64>)>,
    /// One batch of pixel bombs (small PNGs that each decode to 100 MP).
    pub bombs: Option<Bombs>,
}

/// A batch of pixel bombs imported on every core, in a fresh process.
#[derive(Debug, Default)]
pub struct Bombs {
    pub files: f64,
    pub file_mb: f64,
    pub workers: f64,
    pub peak_mb: f64,
    pub seconds: f64,
}

pub fn photos(o: &Options) -> PhotoFigures {
    let generated = o.cache.join("photos");
    let status = Command::new(photo_import(o))
        .arg("generate")
        .arg(&generated)
        .status()
        .expect("run photo_import generate");
    assert!(status.success(), "generating the photos failed");
    let mut mate = Vec::new();
    pinpoint_bench::photos::jpegs_under(&o.mate, &mut mate);
    mate.sort();
    assert!(!mate.is_empty(), "no JPEGs under {}", o.mate.display());
    let gen = |prefix: &str| -> Vec<PathBuf> {
        let mut files: Vec<PathBuf> = std::fs::read_dir(&generated)
            .expect("generated photos")
            .flatten()
            .map(|e| e.path())
            .filter(|p| {
                p.file_name()
                    .is_some_and(|n| n.to_string_lossy().starts_with(prefix))
            })
            .collect();
        files.sort();
        files
    };
    let groups = vec![
        Group {
            title: "Debian mate-backgrounds JPEGs".to_owned(),
            files: mate,
        },
        Group {
            title: "generated 12 MP (4000 × 3000)".to_owned(),
            files: gen("gen-12mp-"),
        },
        Group {
            title: "generated 24 MP (6000 × 4000)".to_owned(),
            files: gen("gen-24mp-"),
        },
    ];
    let work = o.cache.join("work");
    std::fs::create_dir_all(&work).expect("work folder");
    let mut figures = PhotoFigures::default();
    let mut results = Vec::new();
    for group in &groups {
        eprintln!(
            "bench: photo import, {} ({} files)",
            group.title,
            group.files.len()
        );
        let (min, max, mb) = megapixels(&group.files);
        let detail = if (max - min).abs() < 0.05 {
            format!("{max:.1} MP, {mb:.1} MB in all")
        } else {
            format!("{min:.1}–{max:.1} MP, {mb:.1} MB in all")
        };
        figures
            .groups
            .push((group.title.clone(), group.files.len(), detail));
        results.push(measure_group(o, group, &work));
    }
    let all = combine(&groups, &results);
    figures.columns = results;
    figures.columns.push(all);
    figures.groups.push((
        "all".to_owned(),
        groups.iter().map(|g| g.files.len()).sum(),
        String::new(),
    ));

    // Peak memory of one 24 MP import, each in a fresh process.
    let big = &groups[2].files[0];
    figures.big = big
        .file_name()
        .unwrap_or_default()
        .to_string_lossy()
        .into_owned();
    for _ in 0..3.min(o.runs) {
        let mut got = Collected::default();
        collect(Command::new(photo_import(o)).arg("peak").arg(big), &mut got);
        if let (Some(peak), Some(before)) = (got.fact("peak_kib"), got.fact("before_kib")) {
            figures.peak_mb.push(peak / 1024.0);
            figures.added_mb.push((peak - before) / 1024.0);
        }
    }
    let vips_out = format!("{}/vips-peak-%s.jpg[Q=85]", work.display());
    figures.vips_peak_mb = max_rss_kib(
        "vipsthumbnail",
        &["-s", "1600", "-o", &vips_out, &big.to_string_lossy()],
    )
    .map(|k| k / 1024.0);
    let im_preview = work.join("im-peak-p.jpg").to_string_lossy().into_owned();
    let im_thumb = work.join("im-peak-t.jpg").to_string_lossy().into_owned();
    figures.convert_peak_mb = max_rss_kib(
        "/usr/bin/convert",
        &[
            "-define",
            "jpeg:size=3200x3200",
            &big.to_string_lossy(),
            "-auto-orient",
            "-resize",
            "1600x1600>",
            "+write",
            &im_preview,
            "-resize",
            "320x320>",
            &im_thumb,
        ],
    )
    .map(|k| k / 1024.0);
    figures.formats = formats(o, &generated, &work);
    let mut got = Collected::default();
    collect(
        Command::new(photo_import(o)).arg("bombs").arg("16"),
        &mut got,
    );
    figures.bombs = match (
        got.fact("files"),
        got.fact("file_bytes"),
        got.fact("workers"),
        got.fact("peak_kib"),
        got.fact("batch_ms"),
    ) {
        (Some(files), Some(bytes), Some(workers), Some(peak), Some(ms)) => Some(Bombs {
            files,
            file_mb: bytes / 1e6,
            workers,
            peak_mb: peak / 1024.0,
            seconds: ms / 1000.0,
        }),
        _ => None,
    };
    figures
}

/// One 12 MP picture as JPEG, PNG, lossless WebP and HEIC (`heif-enc`,
/// quality 85, when Debian's libheif-examples is installed: with a 320 px
/// thumbnail item, as phones write, and without one), each imported alone:
/// time per import and peak memory of the importing process.
fn formats(o: &Options, generated: &Path, work: &Path) -> Vec<(String, f64, Vec<f64>, Vec<f64>)> {
    let heic = |name: &str, thumbnail: bool| {
        let file = generated.join(name);
        if !file.is_file() {
            let mut encode = Command::new("heif-enc");
            encode.args(["-q", "85"]);
            if thumbnail {
                encode.args(["-t", "320"]);
            }
            let _ = encode
                .arg("-o")
                .arg(&file)
                .arg(generated.join("gen-12mp-1.jpg"))
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .status();
        }
        file
    };
    let candidates = [
        ("JPEG (quality 92)", generated.join("gen-12mp-1.jpg")),
        ("PNG", generated.join("fmt-12mp.png")),
        ("WebP (lossless)", generated.join("fmt-12mp.webp")),
        (
            "HEIC (heif-enc, quality 85, with a 320 px thumbnail, as phones write)",
            heic("fmt-12mp-thumb.heic", true),
        ),
        (
            "HEIC (heif-enc, quality 85, without a thumbnail)",
            heic("fmt-12mp.heic", false),
        ),
    ];
    std::env::set_var("PINPOINT_BENCH_WORK", work);
    let mut out = Vec::new();
    for (format, file) in candidates {
        let Ok(meta) = std::fs::metadata(&file) else {
            eprintln!("bench: no {format} file, skipped");
            continue;
        };
        eprintln!("bench: photo import, 12 MP {format}");
        let got = import_runs(o, "single", o.runs, &[file.as_path()]);
        let name = file
            .file_name()
            .unwrap_or_default()
            .to_string_lossy()
            .into_owned();
        let times = got.get(&format!("single:{name}")).to_vec();
        let mut peaks = Vec::new();
        for _ in 0..3.min(o.runs) {
            let mut got = Collected::default();
            collect(
                Command::new(photo_import(o)).arg("peak").arg(&file),
                &mut got,
            );
            if let Some(peak) = got.fact("peak_kib") {
                peaks.push(peak / 1024.0);
            }
        }
        out.push((format.to_owned(), meta.len() as f64 / 1e6, times, peaks));
    }
    out
}
