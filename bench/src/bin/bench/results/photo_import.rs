//! Section 1 of the page: photo import against the reference tools, the
//! ratios per group, peak memory, and the other formats.

use std::fmt::Write as _;

use super::{median, num, ratio, spread};
use crate::measure::photo_import::{PhotoFigures, PIPELINES};
use crate::options::Options;

pub(super) fn section(w: &mut String, o: &Options, photos: &PhotoFigures) {
    let all = photos.columns.last().cloned().unwrap_or_default();
    let _ = writeln!(
        w,
        "\n## 1. Photo import\n\nMilliseconds per photo for thumbnail (320 px) + preview (1600 px) + hash + \
         store, through `pinpoint_core::photo::import_files` (fresh data folder per run, on disk), \
         {} runs. The reference tools make the same two sizes from the same files in the same run; \
         they hash nothing and store nothing.\n",
        o.runs
    );
    let _ = write!(w, "| pipeline |");
    for (title, count, detail) in &photos.groups {
        if detail.is_empty() {
            let _ = write!(w, " {title} ({count}) |");
        } else {
            let _ = write!(w, " {title}: {count} photos, {detail} |");
        }
    }
    let _ = write!(w, " CPU ms per photo, all |\n| --- |");
    for _ in &photos.groups {
        let _ = write!(w, " --- |");
    }
    let _ = writeln!(w, " --- |");
    for (p, name) in PIPELINES.iter().enumerate() {
        let _ = write!(w, "| {} |", name.trim_start());
        for column in &photos.columns {
            let _ = write!(w, " {} |", spread(&column[p].wall));
        }
        let cpu = all.get(p).and_then(|x| x.cpu);
        let _ = writeln!(w, " {} |", cpu.map_or("–".to_owned(), num));
    }
    let _ = writeln!(
        w,
        "\nRatios of medians, per group (below 1 means Pinpoint is faster):\n"
    );
    let _ = write!(w, "| ratio |");
    for (title, _, _) in &photos.groups {
        let _ = write!(w, " {title} |");
    }
    let _ = write!(w, "\n| --- |");
    for _ in &photos.groups {
        let _ = write!(w, " --- |");
    }
    let _ = writeln!(w);
    for (label, a, b) in [
        ("Pinpoint batch / vipsthumbnail at its best", 1, 4),
        ("Pinpoint one at a time / vipsthumbnail 1 thread", 0, 5),
        ("Pinpoint batch / ImageMagick", 1, 6),
        ("Pinpoint one at a time / djpeg ½-scale floor", 0, 7),
        ("`photo::render` alone / djpeg ½-scale floor", 2, 7),
    ] {
        let _ = write!(w, "| {label} |");
        for column in &photos.columns {
            let _ = write!(
                w,
                " {} |",
                ratio(median(&column[a].wall), median(&column[b].wall))
            );
        }
        let _ = writeln!(w);
    }
    let _ = writeln!(
        w,
        "\nPeak memory, one 24 MP JPEG ({}):\n\n| | peak resident memory |\n| --- | --- |\n\
         | Pinpoint import, whole process (`VmHWM`), {} runs | {} MB |\n\
         | of which added by the import | {} MB |\n\
         | vipsthumbnail, 1600 px preview (GNU time `%M`) | {} MB |\n\
         | ImageMagick `convert`, both sizes (GNU time `%M`) | {} MB |",
        photos.big,
        photos.peak_mb.len(),
        spread(&photos.peak_mb),
        spread(&photos.added_mb),
        photos.vips_peak_mb.map_or("–".to_owned(), num),
        photos.convert_peak_mb.map_or("–".to_owned(), num),
    );
    let _ = writeln!(
        w,
        "\nNotes: Pinpoint decodes a JPEG at the largest DCT reduction (n/8) that still leaves a 1600 px \
         preview, never ¾ or ⅞ (libjpeg-turbo's plain-C inverse DCT there is slower than a whole decode): ½ for \
         12 MP and 3840 px, ⅜ for 24 MP and the 5640 × 3172 photo (less than the ½-scale floor decodes), ⅝ for \
         the 2560 px wallpapers and full size at 2000 px and below (more than the floor decodes). ImageMagick gets `-define jpeg:size=3200x3200` (twice the preview, as its usage \
         notes advise) so libjpeg may decode it reduced. The floor and ImageMagick run one process per photo \
         (process start included, about 1 ms). The generated photos carry EXIF orientation 6, so every \
         pipeline also turns them upright."
    );
    if let Some(bombs) = &photos.bombs {
        let _ = writeln!(
            w,
            "\nA batch of pixel bombs: {:.0} PNGs of {:.1} MB in all, each decoding to 10,000 × 10,000 \
             (100 MP, inside the size limits, so none is refused), imported in one batch on {:.0} workers \
             in a fresh process: peak resident memory {} MB, {} s. Every worker reserves a photo's pixel \
             memory from one shared 1.5 GiB decoding budget before it decodes (about 1 GB for each of these: \
             the 300 MB decoded and the copies it may need), so only one decodes at a time whatever the \
             number of cores.",
            bombs.files,
            bombs.file_mb,
            bombs.workers,
            num(bombs.peak_mb),
            num(bombs.seconds),
        );
    }

    if !photos.formats.is_empty() {
        let _ = writeln!(
            w,
            "\nOther formats: the first generated 12 MP picture (4000 × 3000) in each format the app imports, \
             imported alone (one worker), {} runs; peak memory is the importing process's `VmHWM`.\n\n\
             | format | file | ms per photo | peak resident memory |\n| --- | --- | --- | --- |",
            o.runs
        );
        for (format, mb, times, peaks) in &photos.formats {
            let _ = writeln!(
                w,
                "| {format} | {} MB | {} | {} MB |",
                num(*mb),
                spread(times),
                spread(peaks)
            );
        }
        let _ = writeln!(
            w,
            "\nJPEG is decoded reduced (DCT scaling); PNG, WebP and a HEIC without a thumbnail are decoded \
             at full size, so their memory grows with the picture (about 36 MB of pixels at 12 MP) and their \
             time with the decoder. A HEIC with a thumbnail item of its own (an iPhone writes one) is imported \
             from it: the whole file is checked, the thumbnail decoded, and the preview made from the \
             original when it is first shown (about the full decode's time, once)."
        );
    }
}
