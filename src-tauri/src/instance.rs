//! One app window per data folder: the first instance holds the folder's
//! lock and listens on a socket (`pinpoint.sock` inside the owner-only data
//! folder, or, when that path is too long for a socket, one named after
//! the folder in the person's runtime folder); a second launch on the same
//! folder asks the first to come to the front and exits. Each connection
//! gets two seconds to speak, so a silent one cannot wedge the listener.
//! In clinic mode the data folder is this desktop's own folder beside the
//! clinic's server, held the same way, so the rule is the same.

use std::io::{Read, Write};
use std::os::unix::net::{UnixListener, UnixStream};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use pinpoint_core::action::Clinic;
use pinpoint_core::Error;
use tauri::{AppHandle, Manager};

use crate::cli::clinic::ClinicServer;

const SOCKET: &str = "pinpoint.sock";

/// Set once the window is closing: a launch then waits for the folder
/// instead of being sent to a window that is going away.
static CLOSING: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// Marks this instance as closing.
pub fn closing() {
    CLOSING.store(true, std::sync::atomic::Ordering::SeqCst);
}
const FOCUS: &[u8] = b"focus\n";

/// What opening the folder for the window led to.
#[derive(Debug)]
pub enum Opened {
    /// This process holds the folder (open, or sealed until someone signs
    /// in).
    First(Box<Clinic>),
    /// Another window has it and was asked to come to the front.
    Focused,
}

/// Opens `data_dir` for the window (with the clinic's `server` in clinic
/// mode). If another app holds it, that app is asked to show itself; a
/// folder held by a command-line run is waited for briefly, as is one
/// whose previous window is still closing.
pub fn open(data_dir: &Path, server: Option<&ClinicServer>) -> Result<Opened, Error> {
    let deadline = Instant::now() + Duration::from_secs(15);
    loop {
        let opened = match server {
            Some(server) => server.open(data_dir),
            None => Clinic::open(data_dir),
        };
        match opened {
            Ok(clinic) => return Ok(Opened::First(Box::new(clinic))),
            Err(Error::InUse { .. }) if ask_to_focus(data_dir) => return Ok(Opened::Focused),
            Err(error @ Error::InUse { .. }) if Instant::now() > deadline => return Err(error),
            Err(Error::InUse { .. }) => std::thread::sleep(Duration::from_millis(100)),
            Err(other) => return Err(other),
        }
    }
}

/// The longest socket path every Unix accepts (`sun_path` holds 104 to
/// 108 bytes, with its terminating zero).
const MAX_SOCKET_PATH: usize = 100;

/// How long a connection may take to say what it wants.
const TALK_TIMEOUT: Duration = Duration::from_secs(2);

fn socket_path(data_dir: &Path) -> PathBuf {
    let inside = data_dir.join(SOCKET);
    if inside.as_os_str().len() <= MAX_SOCKET_PATH {
        return inside;
    }
    // A long folder path: a socket named after it in the runtime folder
    // (per person and owner-only), else the temporary folder.
    use std::hash::{Hash, Hasher};
    let folder = data_dir
        .canonicalize()
        .unwrap_or_else(|_| data_dir.to_owned());
    let mut hasher = std::hash::DefaultHasher::new();
    folder.hash(&mut hasher);
    let base = std::env::var_os("XDG_RUNTIME_DIR")
        .map(PathBuf::from)
        .filter(|dir| dir.is_dir())
        .unwrap_or_else(std::env::temp_dir);
    base.join(format!("pinpoint-{:016x}.sock", hasher.finish()))
}

fn ask_to_focus(data_dir: &Path) -> bool {
    let Ok(mut stream) = UnixStream::connect(socket_path(data_dir)) else {
        return false;
    };
    // Longer than the listener gives a connection: a silent one ahead of
    // this may hold it that long.
    let _ = stream.set_read_timeout(Some(TALK_TIMEOUT * 3));
    let mut answer = [0u8; 3];
    stream.write_all(FOCUS).is_ok() && stream.read_exact(&mut answer).is_ok() && &answer == b"ok\n"
}

/// Listens for later launches on the same folder and brings the main
/// window to the front for each.
pub fn listen(app: &AppHandle, data_dir: &Path) {
    let path = socket_path(data_dir);
    // We hold the folder's lock, so any socket file left here is stale.
    let _ = std::fs::remove_file(&path);
    let listener = match UnixListener::bind(&path) {
        Ok(listener) => listener,
        Err(error) => {
            eprintln!("warning: cannot listen on {}: {error}", path.display());
            return;
        }
    };
    // Only its owner may connect (the folder is owner-only too).
    {
        use std::os::unix::fs::PermissionsExt as _;
        let _ = std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600));
    }
    let app = app.clone();
    std::thread::spawn(move || {
        serve(&listener, || {
            if let Some(window) = app.get_webview_window("main") {
                let _ = window.unminimize();
                let _ = window.show();
                let _ = window.set_focus();
            }
        });
    });
}

/// Answers each connection in turn: `focus` brings the window forward. A
/// connection that says nothing within two seconds is dropped.
fn serve(listener: &UnixListener, focus: impl Fn()) {
    for stream in listener.incoming() {
        let Ok(mut stream) = stream else { continue };
        let _ = stream.set_read_timeout(Some(TALK_TIMEOUT));
        let _ = stream.set_write_timeout(Some(TALK_TIMEOUT));
        let mut request = [0u8; 6];
        if CLOSING.load(std::sync::atomic::Ordering::SeqCst) {
            let _ = stream.write_all(b"no\n");
            continue;
        }
        if stream.read_exact(&mut request).is_ok() && request == FOCUS {
            focus();
            let _ = stream.write_all(b"ok\n");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_long_folder_path_still_gets_a_socket_every_unix_accepts() {
        let long = Path::new("/tmp").join("a-folder-name-that-goes-on".repeat(8));
        let path = socket_path(&long);
        assert!(
            path.as_os_str().len() <= MAX_SOCKET_PATH,
            "{}",
            path.display()
        );
        assert_eq!(path, socket_path(&long), "the same folder, the same socket");
        assert_ne!(path, socket_path(&long.join("other")));
        let short = Path::new("/tmp/clinic");
        assert_eq!(socket_path(short), short.join(SOCKET));
    }

    #[test]
    fn a_silent_connection_does_not_wedge_the_listener() {
        let dir = tempfile::tempdir().unwrap();
        let listener = UnixListener::bind(dir.path().join(SOCKET)).unwrap();
        let focused = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
        let seen = focused.clone();
        std::thread::spawn(move || {
            serve(&listener, || {
                seen.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            })
        });
        // Connects and says nothing, holding the connection open.
        let _silent = UnixStream::connect(dir.path().join(SOCKET)).unwrap();
        let started = Instant::now();
        assert!(ask_to_focus(dir.path()), "a later launch is still answered");
        assert!(started.elapsed() < Duration::from_secs(10));
        assert_eq!(focused.load(std::sync::atomic::Ordering::SeqCst), 1);
    }
}
