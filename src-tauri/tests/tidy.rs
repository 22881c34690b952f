//! Repository hygiene that a reviewer would otherwise have to remember:
//! every Rust file says what it is for, the map (ARCHITECTURE.md) names
//! every source file, and no source file cites a document outside the
//! repository.

use std::path::{Path, PathBuf};

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// Files under `dir` whose names end with one of `endings`.
fn files(dir: &Path, endings: &[&str], out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy();
        if path.is_dir() {
            let skipped = [
                "target",
                "node_modules",
                ".git",
                "gen",
                "fuzz-target",
                "dist",
                "artifacts",
                "corpus",
            ];
            if !skipped.contains(&name.as_ref()) {
                files(&path, endings, out);
            }
        } else if endings.iter().any(|e| name.ends_with(e)) {
            out.push(path);
        }
    }
}

fn relative(path: &Path) -> String {
    path.strip_prefix(root()).unwrap().display().to_string()
}

fn rust_sources() -> Vec<PathBuf> {
    let mut found = Vec::new();
    for dir in ["src-tauri", "bench"] {
        files(&root().join(dir), &[".rs"], &mut found);
    }
    assert!(found.len() > 50, "the walk found the sources");
    found
}

#[test]
fn every_rust_file_opens_with_a_doc_line() {
    let missing: Vec<_> = rust_sources()
        .iter()
        .filter(|path| {
            let text = std::fs::read_to_string(path).unwrap();
            !text.trim_start().starts_with("//!")
        })
        .map(|p| relative(p))
        .collect();
    assert!(
        missing.is_empty(),
        "these files must open with a `//!` line saying what they are for: {missing:?}"
    );
}

/// The `code spans` of a Markdown text.
fn code_spans(markdown: &str) -> Vec<String> {
    markdown
        .split('`')
        .skip(1)
        .step_by(2)
        .map(|span| span.trim().trim_end_matches('/').to_owned())
        .filter(|span| !span.is_empty())
        .collect()
}

/// Whether the map names `path` (relative to the repository): a span that
/// the path ends with (a bare `mod.rs`, `lib.rs` or `main.rs` names
/// nothing), or the folder of a `mod.rs`, `lib.rs` or `main.rs`.
fn named(path: &str, spans: &[String]) -> bool {
    const MODULE_ROOTS: [&str; 3] = ["mod.rs", "lib.rs", "main.rs"];
    spans.iter().any(|span| {
        let ends = path == span || path.ends_with(&format!("/{span}"));
        let bare_root = MODULE_ROOTS.contains(&span.as_str());
        (ends && !bare_root)
            || MODULE_ROOTS
                .iter()
                .any(|m| path.ends_with(&format!("/{span}/{m}")))
    })
}

#[test]
fn the_map_names_every_source_file_and_front_end_feature() {
    let map = std::fs::read_to_string(root().join("ARCHITECTURE.md")).unwrap();
    let spans = code_spans(&map);
    let mut unnamed: Vec<String> = rust_sources()
        .iter()
        .map(|p| relative(p))
        .filter(|p| !named(p, &spans))
        .collect();
    for entry in std::fs::read_dir(root().join("ui/src/lib")).unwrap() {
        let feature = entry.unwrap().file_name().to_string_lossy().into_owned();
        if !spans.iter().any(|s| s == &feature) {
            unnamed.push(format!("ui/src/lib/{feature}/"));
        }
    }
    assert!(
        unnamed.is_empty(),
        "ARCHITECTURE.md should say what these are for (name them in `code`): {unnamed:?}"
    );
}

#[test]
fn the_map_check_tells_files_apart() {
    let spans = code_spans("`session/read.rs`, `photo/`, `client.rs`, `mod.rs`");
    assert!(named("src-tauri/core/src/session/read.rs", &spans));
    assert!(named("src-tauri/core/src/photo/mod.rs", &spans));
    assert!(named("src-tauri/core/src/client.rs", &spans));
    assert!(
        !named("src-tauri/src/cli/clients.rs", &spans),
        "clients.rs is not client.rs"
    );
    assert!(
        !named("src-tauri/core/src/action/mod.rs", &spans),
        "a bare mod.rs names nothing"
    );
    assert!(!named("src-tauri/core/src/photo/read.rs", &spans));
}

#[test]
fn sources_cite_no_document_outside_the_repository() {
    let mut sources = rust_sources();
    files(
        &root().join("ui/src"),
        &[".ts", ".svelte", ".css"],
        &mut sources,
    );
    files(&root().join("tests"), &[".mjs"], &mut sources);
    files(&root().join(".ci"), &[""], &mut sources);
    for manifest in [
        "Cargo.toml",
        "src-tauri/core/Cargo.toml",
        "bench/Cargo.toml",
    ] {
        sources.push(root().join(manifest));
    }
    // Spelled in pieces, so this file does not cite them itself.
    let outside = [
        format!("{}.md", "DESIGN"),
        format!("{}.md", "STYLE"),
        format!("{}/", "shared"),
    ];
    let citing: Vec<String> = sources
        .iter()
        .filter(|path| {
            let text = std::fs::read_to_string(path).unwrap_or_default();
            outside.iter().any(|doc| text.contains(doc.as_str()))
        })
        .map(|p| relative(p))
        .collect();
    assert!(
        citing.is_empty(),
        "these cite a document outside the repository; move what they need into docs/: {citing:?}"
    );
}
