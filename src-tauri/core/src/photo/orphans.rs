//! Originals a crash left without their rows. An import writes each
//! original before the row that names it; a process killed in between
//! leaves a file no record points to: health data that no export, erasure
//! or backup would ever find. An import therefore marks the folder while it
//! runs (`photos/.importing`); whoever opens the folder next and finds the
//! mark (the folder lock says its importer is gone) removes every original
//! and cached image without a row, then the mark.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use super::files::{CACHE_DIR, PHOTOS_DIR};
use crate::db::Db;
use crate::{Error, Result};

/// The mark an import leaves while it runs.
const MARK: &str = ".importing";

/// Held while an import runs; the mark goes when it drops (a crash leaves
/// it for the next start).
#[derive(Debug)]
pub(crate) struct Importing(PathBuf);

impl Importing {
    pub(crate) fn start(data_dir: &Path) -> std::io::Result<Importing> {
        let folder = data_dir.join(PHOTOS_DIR);
        crate::private::create_dir_all(&folder)?;
        let mark = folder.join(MARK);
        crate::private::write(&mark, std::process::id().to_string().as_bytes())?;
        Ok(Importing(mark))
    }
}

impl Drop for Importing {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

/// Whether an import died in this folder (its mark is still there).
pub fn interrupted(data_dir: &Path) -> bool {
    data_dir.join(PHOTOS_DIR).join(MARK).exists()
}

/// Removes the originals and cached images no photo row names, and
/// unfinished temporary files, then the import mark. Call it only while
/// holding the folder (no import may be running). Returns the files
/// removed, relative to the data folder.
pub fn sweep<'c>(conn: impl Into<Db<'c>>, data_dir: &Path) -> Result<Vec<String>> {
    let conn = conn.into();
    let known: HashSet<String> = conn
        .query_map("SELECT sha256 FROM photo", &[], |row| row.get(0))?
        .into_iter()
        .collect();
    let mut unnamed = Vec::new();
    for top in [PHOTOS_DIR, CACHE_DIR] {
        super::verify::walk(data_dir, &data_dir.join(top), &mut |relative| {
            let name = relative.rsplit('/').next().unwrap_or_default();
            // `<sha256>.<ext>` is kept when a row names it; the import's
            // mark is removed last; temporary `.name.partial-…` files go.
            let hash = name.split('.').next().unwrap_or_default();
            if name != MARK && (name.starts_with('.') || !known.contains(hash)) {
                unnamed.push(relative);
            }
        })?;
    }
    for relative in &unnamed {
        let path = data_dir.join(relative);
        std::fs::remove_file(&path)
            .map_err(|e| Error::io(format!("cannot remove {}", path.display()), e))?;
    }
    let _ = std::fs::remove_file(data_dir.join(PHOTOS_DIR).join(MARK));
    unnamed.sort();
    Ok(unnamed)
}
