//! Which paths the window may read or write. The page is not trusted with
//! the file system: a command that reads or writes a path the page sends
//! goes ahead only when the person gave that path in this run, through a
//! native file dialog, a drop of files on the window, or a native question
//! naming the path (for a path typed into a field). Overwriting a file that
//! exists needs the person's own "replace": the save dialog's, or the
//! native question's.

use std::path::{Path, PathBuf};
use std::sync::{Mutex, PoisonError};

use pinpoint_core::Error;

/// What a command wants to do with a path.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Want {
    /// Read one file (a photo to import).
    ReadFile,
    /// List and read the files directly inside a folder.
    ReadFolder,
    /// Write one file; `replace` when it may overwrite one that exists.
    WriteFile { replace: bool },
    /// Write new files or folders inside a folder (exports, backups).
    WriteInto,
}

/// One path the person gave.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Grant {
    path: PathBuf,
    want: Want,
}

/// How the person is asked about a path the page sent on its own.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Answers {
    /// A native dialog, which the page cannot reach.
    Native,
    /// Answered without showing, for the end-to-end tests, which cannot
    /// drive native dialogs: set by whoever starts the process
    /// (`PINPOINT_TEST_DIALOGS=accept` or `refuse`), never by the page.
    Scripted(bool),
}

impl Answers {
    pub(crate) fn from_env() -> Answers {
        match std::env::var("PINPOINT_TEST_DIALOGS").as_deref() {
            Ok("accept") => Answers::Scripted(true),
            Ok("refuse") => Answers::Scripted(false),
            _ => Answers::Native,
        }
    }
}

/// The paths given in this run.
#[derive(Debug, Default)]
pub(crate) struct Grants {
    given: Mutex<Vec<Grant>>,
}

impl Grants {
    /// Notes that the person gave `path` for `want` (a dialog's answer, a
    /// drop). Paths that do not resolve are ignored.
    pub(crate) fn give(&self, path: &Path, want: Want) {
        if let Some(path) = resolve(path) {
            let mut given = self.given.lock().unwrap_or_else(PoisonError::into_inner);
            let grant = Grant { path, want };
            if !given.contains(&grant) {
                given.push(grant);
            }
        }
    }

    /// Notes files and folders dropped on the window: files to read, and
    /// folders to list and read from.
    pub(crate) fn give_dropped(&self, paths: &[PathBuf]) {
        for path in paths {
            let want = if path.is_dir() {
                Want::ReadFolder
            } else {
                Want::ReadFile
            };
            self.give(path, want);
        }
    }

    /// Whether `path` (already resolved) was given for `want`.
    fn covers(&self, path: &Path, want: Want) -> bool {
        let given = self.given.lock().unwrap_or_else(PoisonError::into_inner);
        given.iter().any(|grant| {
            let same = grant.path == path;
            match (want, grant.want) {
                (Want::ReadFile, Want::ReadFile) => same,
                // A file directly inside a folder given for reading.
                (Want::ReadFile, Want::ReadFolder) => path.parent() == Some(grant.path.as_path()),
                (Want::ReadFolder, Want::ReadFolder) => same,
                (Want::WriteInto, Want::WriteInto) => same,
                (Want::WriteFile { replace }, Want::WriteFile { replace: given }) => {
                    same && (given || !replace || !path.exists())
                }
                _ => false,
            }
        })
    }

    /// The resolved `path` when the person gave it for `want`; otherwise
    /// `ask` puts the question to the person (a native dialog) and a yes is
    /// noted for the rest of the run. A no is refused, and nothing is read
    /// or written.
    pub(crate) fn allow(
        &self,
        path: &Path,
        want: Want,
        ask: impl FnOnce(&str) -> bool,
    ) -> Result<PathBuf, Error> {
        let resolved = resolve(path).ok_or_else(|| {
            Error::invalid(
                "path",
                format!(
                    "the path {} is not a full path to a place that exists; choose it with the button beside the field",
                    path.display()
                ),
            )
        })?;
        if self.covers(&resolved, want) {
            return Ok(resolved);
        }
        if ask(&question(&resolved, want)) {
            self.give(&resolved, want);
            return Ok(resolved);
        }
        Err(Error::Forbidden(format!(
            "using {} was not allowed: it was not chosen in this window",
            resolved.display()
        )))
    }
}

impl Grants {
    /// Photo files to read: those given (picked, dropped, or inside a
    /// folder given for reading) go ahead; the others are put to the person
    /// in one question, and refused all together on a no.
    pub(crate) fn allow_files(
        &self,
        paths: &[String],
        ask: impl FnOnce(&str) -> bool,
    ) -> Result<Vec<PathBuf>, Error> {
        let mut resolved = Vec::with_capacity(paths.len());
        let mut unasked = Vec::new();
        for path in paths {
            let found = resolve(Path::new(path)).ok_or_else(|| {
                Error::invalid(
                    "path",
                    format!("the path {path} is not a full path to a file that exists"),
                )
            })?;
            if !self.covers(&found, Want::ReadFile) {
                unasked.push(found.clone());
            }
            resolved.push(found);
        }
        if unasked.is_empty() {
            return Ok(resolved);
        }
        let mut listed: Vec<String> = unasked
            .iter()
            .take(5)
            .map(|p| p.display().to_string())
            .collect();
        if unasked.len() > 5 {
            listed.push(format!("and {} more", unasked.len() - 5));
        }
        let question = format!(
            "Import {} {} into Pinpoint?\n\n{}",
            unasked.len(),
            if unasked.len() == 1 {
                "photo"
            } else {
                "photos"
            },
            listed.join("\n")
        );
        if !ask(&question) {
            return Err(Error::Forbidden(format!(
                "importing {} was not allowed: it was not chosen in this window",
                unasked[0].display()
            )));
        }
        for path in &unasked {
            self.give(path, Want::ReadFile);
        }
        Ok(resolved)
    }
}

/// What the native question says.
fn question(path: &Path, want: Want) -> String {
    let shown = path.display();
    match want {
        Want::ReadFile => format!("Import the photo\n\n{shown}\n\ninto Pinpoint?"),
        Want::ReadFolder => {
            format!("Let Pinpoint list and import photos from the folder\n\n{shown}?")
        }
        Want::WriteFile { replace: true } if path.exists() => {
            format!("{shown}\n\nalready exists. Replace it?")
        }
        Want::WriteFile { .. } => format!("Let Pinpoint write the file\n\n{shown}?"),
        Want::WriteInto => format!("Let Pinpoint write into the folder\n\n{shown}?"),
    }
}

/// The absolute path without links or `..`: an existing path as it is on
/// disk, a new file as its existing folder plus its name. Relative paths
/// and names like `..` are refused (`None`).
fn resolve(path: &Path) -> Option<PathBuf> {
    if !path.is_absolute() {
        return None;
    }
    if let Ok(found) = path.canonicalize() {
        return Some(found);
    }
    let name = path.file_name()?;
    if name == ".." || name == "." {
        return None;
    }
    Some(path.parent()?.canonicalize().ok()?.join(name))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn never(_: &str) -> bool {
        panic!("the person should not be asked")
    }

    #[test]
    fn a_path_nobody_gave_is_refused_when_the_person_says_no() {
        let dir = tempfile::tempdir().unwrap();
        let secret = dir.path().join("secret.jpg");
        std::fs::write(&secret, b"x").unwrap();
        let grants = Grants::default();
        let mut asked = String::new();
        let refused = grants
            .allow(&secret, Want::ReadFile, |q| {
                asked = q.to_owned();
                false
            })
            .unwrap_err();
        assert_eq!(refused.kind(), pinpoint_core::ErrorKind::Forbidden);
        assert!(asked.contains("secret.jpg"), "{asked}");
        // Still not given: asked again next time.
        let mut again = false;
        let _ = grants.allow(&secret, Want::ReadFile, |_| {
            again = true;
            false
        });
        assert!(again);
    }

    #[test]
    fn a_yes_is_remembered_for_that_path_and_use_only() {
        let dir = tempfile::tempdir().unwrap();
        let folder = dir.path().join("card");
        std::fs::create_dir(&folder).unwrap();
        std::fs::write(folder.join("a.jpg"), b"x").unwrap();
        std::fs::write(dir.path().join("b.jpg"), b"x").unwrap();
        let grants = Grants::default();
        grants.allow(&folder, Want::ReadFolder, |_| true).unwrap();
        // Files directly inside the folder may be read.
        grants
            .allow(&folder.join("a.jpg"), Want::ReadFile, never)
            .unwrap();
        // Not beside it, nor written into it.
        assert!(grants
            .allow(&dir.path().join("b.jpg"), Want::ReadFile, |_| false)
            .is_err());
        assert!(grants.allow(&folder, Want::WriteInto, |_| false).is_err());
    }

    #[test]
    fn links_and_dot_dot_resolve_to_where_they_lead() {
        let dir = tempfile::tempdir().unwrap();
        let folder = dir.path().join("card");
        std::fs::create_dir(&folder).unwrap();
        std::fs::write(dir.path().join("outside.jpg"), b"x").unwrap();
        let grants = Grants::default();
        grants.give(&folder, Want::ReadFolder);
        let sneaky = folder.join("..").join("outside.jpg");
        assert!(grants.allow(&sneaky, Want::ReadFile, |_| false).is_err());
        #[cfg(unix)]
        {
            std::os::unix::fs::symlink(dir.path().join("outside.jpg"), folder.join("link.jpg"))
                .unwrap();
            assert!(grants
                .allow(&folder.join("link.jpg"), Want::ReadFile, |_| false)
                .is_err());
        }
        assert!(grants
            .allow(Path::new("relative.jpg"), Want::ReadFile, never)
            .is_err());
    }

    #[test]
    fn replacing_a_file_needs_its_own_yes() {
        let dir = tempfile::tempdir().unwrap();
        let pdf = dir.path().join("note.pdf");
        let grants = Grants::default();
        // Chosen in a save dialog that did not confirm a replacement.
        grants.give(&pdf, Want::WriteFile { replace: false });
        grants
            .allow(&pdf, Want::WriteFile { replace: false }, never)
            .unwrap();
        std::fs::write(&pdf, b"old").unwrap();
        let mut asked = String::new();
        assert!(grants
            .allow(&pdf, Want::WriteFile { replace: true }, |q| {
                asked = q.to_owned();
                false
            })
            .is_err());
        assert!(asked.contains("Replace"), "{asked}");
        grants
            .allow(&pdf, Want::WriteFile { replace: true }, |_| true)
            .unwrap();
        // A save dialog's own confirmation counts as the replace.
        let other = dir.path().join("other.pdf");
        std::fs::write(&other, b"old").unwrap();
        grants.give(&other, Want::WriteFile { replace: true });
        grants
            .allow(&other, Want::WriteFile { replace: true }, never)
            .unwrap();
    }
}
