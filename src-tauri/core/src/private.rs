//! Owner-only files and folders: everything Pinpoint writes holds health
//! data, so folders are made 0700 and files 0600 whatever the person's
//! umask (on other systems the defaults apply).

use std::fs::{self, File, OpenOptions};
use std::io;
use std::path::Path;

/// Makes `path` and any missing parents, each new one readable by its
/// owner only.
pub fn create_dir_all(path: &Path) -> io::Result<()> {
    let mut builder = fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
    builder.create(path)
}

/// Creates (or empties) the file `path` for writing, readable by its owner
/// only.
pub fn create_file(path: &Path) -> io::Result<File> {
    let mut options = OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    options.open(path)
}

/// Writes `bytes` to a new owner-only file `path`.
pub fn write(path: &Path, bytes: &[u8]) -> io::Result<()> {
    use io::Write as _;
    create_file(path)?.write_all(bytes)
}

/// Copies `from` to a new owner-only file `to` (a plain copy would keep the
/// source's mode); returns the bytes copied.
pub fn copy(from: &Path, to: &Path) -> io::Result<u64> {
    let mut source = File::open(from)?;
    let mut target = create_file(to)?;
    io::copy(&mut source, &mut target)
}

/// Makes an existing folder owner-only (a data folder made by an older
/// Pinpoint, or under a loose umask).
pub fn restrict_dir(path: &Path) -> io::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        fs::set_permissions(path, fs::Permissions::from_mode(0o700))?;
    }
    #[cfg(not(unix))]
    let _ = path;
    Ok(())
}
