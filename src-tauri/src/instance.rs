//! One app window per data folder: the first instance holds the folder's
//! lock and listens on `pinpoint.sock` inside it; a second launch on the
//! same folder asks the first to come to the front and exits.

use std::io::{Read, Write};
use std::os::unix::net::{UnixListener, UnixStream};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use pinpoint_core::{Error, Store};
use tauri::{AppHandle, Manager};

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
    /// This process holds the folder.
    First(Store),
    /// Another window has it and was asked to come to the front.
    Focused,
}

/// Opens `data_dir` for the window. If another app holds it, that app is
/// asked to show itself; a folder held by a command-line run is waited for
/// briefly, as is one whose previous window is still closing.
pub fn open(data_dir: &Path) -> Result<Opened, Error> {
    let deadline = Instant::now() + Duration::from_secs(15);
    loop {
        match Store::open(data_dir) {
            Ok(store) => return Ok(Opened::First(store)),
            Err(Error::InUse { .. }) if ask_to_focus(data_dir) => return Ok(Opened::Focused),
            Err(error @ Error::InUse { .. }) if Instant::now() > deadline => return Err(error),
            Err(Error::InUse { .. }) => std::thread::sleep(Duration::from_millis(100)),
            Err(other) => return Err(other),
        }
    }
}

fn socket_path(data_dir: &Path) -> PathBuf {
    data_dir.join(SOCKET)
}

fn ask_to_focus(data_dir: &Path) -> bool {
    let Ok(mut stream) = UnixStream::connect(socket_path(data_dir)) else {
        return false;
    };
    let _ = stream.set_read_timeout(Some(Duration::from_secs(2)));
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
    let app = app.clone();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            let mut request = [0u8; 6];
            if CLOSING.load(std::sync::atomic::Ordering::SeqCst) {
                let _ = stream.write_all(b"no\n");
                continue;
            }
            if stream.read_exact(&mut request).is_ok() && request == FOCUS {
                if let Some(window) = app.get_webview_window("main") {
                    let _ = window.unminimize();
                    let _ = window.show();
                    let _ = window.set_focus();
                }
                let _ = stream.write_all(b"ok\n");
            }
        }
    });
}
