//! `pinpoint --clinic-demo [ROOM]` (`npm start -- --clinic-demo`): clinic
//! mode in one command. Under the application-data folder's
//! `pinpoint-clinic-demo/` it starts a PostgreSQL server of its own in
//! `server/` and a one-node Garage photo store in `garage/` (or uses the
//! ones already running there, started by another room's window), writes
//! `clinic.json` for them, fills the demo clinic in when it has no
//! clients, and opens the window with `ROOM/` (default `room-1/`) as this
//! desktop's own folder (its cache of the photos). The servers stop when
//! the window closes, if this run started them.

use std::path::{Path, PathBuf};

use anyhow::{bail, Context as _};
use pinpoint_core::action::{clients, safety, Ctx};
use pinpoint_core::bucket::local::LocalGarage;
use pinpoint_core::db::connection::{ClinicConnection, PhotoBucket, Tls};
use pinpoint_core::db::local::{self, Durability, LocalPostgres};

use crate::cli::clinic::ClinicServer;

/// The demo's folder under the application-data folder.
const FOLDER: &str = "pinpoint-clinic-demo";

/// Opens the window on the demo clinic as the desktop `room`.
pub fn run(room: &str) -> anyhow::Result<()> {
    check_room(room)?;
    let base = dirs::data_dir()
        .context("no application-data folder on this system")?
        .join(FOLDER);
    pinpoint_core::private::create_dir_all(&base)
        .with_context(|| format!("cannot create {}", base.display()))?;
    let server_dir = server_folder(&base)?;
    let (started, port) = match running_port(&server_dir) {
        Some(port) => (None, port),
        None => {
            eprintln!(
                "starting the demo clinic's server in {}",
                server_dir.display()
            );
            let server = LocalPostgres::start(&server_dir, Durability::Durable)
                .context("cannot start the demo clinic's PostgreSQL server")?;
            // Stopped however this process ends (a window killed too).
            server
                .stop_when_gone_keeping_files(std::process::id())
                .context("cannot watch the demo clinic's server")?;
            let port = server.port();
            (Some(server), port)
        }
    };
    let garage_dir = base.join("garage");
    let (garage, garage_started) = match LocalGarage::resume(&garage_dir)? {
        Some(resumed) => resumed,
        None => {
            eprintln!(
                "starting the demo clinic's photo store in {}",
                garage_dir.display()
            );
            let garage = LocalGarage::start(&garage_dir, 1)
                .context("cannot start the demo clinic's Garage photo store")?;
            (garage, true)
        }
    };
    if garage_started {
        garage
            .stop_when_gone_keeping_files(std::process::id())
            .context("cannot watch the demo clinic's photo store")?;
    }
    let connection = demo_connection(port, garage.photo_bucket());
    connection.check()?;
    let file = base.join("clinic.json");
    let text = serde_json::to_string_pretty(&connection)?;
    pinpoint_core::private::write(&file, format!("{text}\n").as_bytes())
        .with_context(|| format!("cannot write {}", file.display()))?;

    // The bucket's secret, for the command line as another desktop
    // (`$PINPOINT_CLINIC_PHOTO_SECRET_FILE`), owner-only.
    let secret_file = base.join("photo-secret");
    pinpoint_core::private::write(
        &secret_file,
        format!("{}\n", garage.secret_key()).as_bytes(),
    )
    .with_context(|| format!("cannot write {}", secret_file.display()))?;

    let data_dir = base.join(room);
    let server = ClinicServer::new(connection, None, garage.secret_key().to_owned());
    let Some(clinic) = crate::open_for_window(&data_dir, Some(&server))? else {
        return Ok(());
    };
    let ctx = Ctx::new(&clinic, crate::clock::now());
    if clients::count_clients(&ctx)? == 0 {
        eprintln!("filling the demo clinic (this takes a minute the first time)");
        safety::fill_demo(&ctx).context("cannot fill the demo clinic")?;
    }
    eprintln!(
        "clinic demo: records on 127.0.0.1:{port}, photos in {} (connection {}), this \
         desktop's folder {}",
        server.photo_endpoint(),
        file.display(),
        data_dir.display()
    );
    // The servers, if this run started them, stop once the window has closed.
    let garage = garage_started.then_some(garage);
    let keep: Option<Box<dyn std::any::Any>> = match (started, garage) {
        (None, None) => None,
        (pg, garage) => Some(Box::new((pg, garage))),
    };
    crate::open_window(clinic, data_dir, keep)
}

/// A room is a plain folder name: `room-1`, `front-desk`.
fn check_room(room: &str) -> anyhow::Result<()> {
    let plain = !room.is_empty()
        && room.len() <= 40
        && room
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        && room != "server";
    if !plain {
        bail!("{room:?} is not a room name for the clinic demo (lower-case letters, digits and '-', as room-2)");
    }
    Ok(())
}

/// The connection file of the demo: its own server and photo store on
/// loopback (no TLS needed there).
fn demo_connection(port: u16, photos: PhotoBucket) -> ClinicConnection {
    ClinicConnection {
        server: "127.0.0.1".to_owned(),
        port,
        database: local::DATABASE.to_owned(),
        user: local::USER.to_owned(),
        tls: Tls::Off,
        ca: None,
        photos,
    }
}

/// Where the server's files are: `server/` in the demo's folder. PostgreSQL
/// refuses to run as root and runs as the `postgres` account instead, which
/// cannot reach into root's home folder: for root the server lives in
/// `/var/tmp/pinpoint-clinic-demo/server-<hash of the demo folder>`, behind
/// a folder others may pass through but not list.
fn server_folder(base: &Path) -> anyhow::Result<PathBuf> {
    use std::os::unix::fs::{MetadataExt as _, PermissionsExt as _};
    let root = std::fs::metadata("/proc/self").is_ok_and(|m| m.uid() == 0);
    if !root {
        return Ok(base.join("server"));
    }
    let outer = Path::new("/var/tmp/pinpoint-clinic-demo");
    // One server per demo folder (another $XDG_DATA_HOME, another clinic).
    let which = {
        use sha2::Digest as _;
        let digest = sha2::Sha256::digest(base.as_os_str().as_encoded_bytes());
        digest[..8]
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect::<String>()
    };
    match std::fs::symlink_metadata(outer) {
        Ok(meta) if meta.is_dir() && meta.uid() == 0 => {}
        Ok(_) => bail!(
            "{} is not root's own folder; remove it first",
            outer.display()
        ),
        Err(_) => std::fs::create_dir(outer)
            .with_context(|| format!("cannot create {}", outer.display()))?,
    }
    std::fs::set_permissions(outer, std::fs::Permissions::from_mode(0o711))
        .with_context(|| format!("cannot set the permissions of {}", outer.display()))?;
    Ok(outer.join(format!("server-{which}")))
}

/// The port of the server already running on `server_dir`, if one is: its
/// `postmaster.pid` names a live PostgreSQL process and the port it
/// listens on, and the port answers.
fn running_port(server_dir: &Path) -> Option<u16> {
    let text = std::fs::read_to_string(server_dir.join("data/postmaster.pid")).ok()?;
    let mut lines = text.lines();
    let pid: u32 = lines.next()?.trim().parse().ok()?;
    let port: u16 = lines.nth(2)?.trim().parse().ok()?;
    let program = std::fs::read_to_string(format!("/proc/{pid}/comm")).ok()?;
    if !program.trim().starts_with("postgres") {
        return None;
    }
    let address = std::net::SocketAddr::from(([127, 0, 0, 1], port));
    std::net::TcpStream::connect_timeout(&address, std::time::Duration::from_secs(2)).ok()?;
    Some(port)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_demo_connection_passes_the_connection_check() {
        let photos = PhotoBucket {
            endpoint: "http://127.0.0.1:3900".to_owned(),
            bucket: "pinpoint-photos".to_owned(),
            region: "garage".to_owned(),
            access_key: "GK0123456789abcdef01234567".to_owned(),
        };
        demo_connection(54321, photos).check().unwrap();
    }

    #[test]
    fn a_room_is_a_plain_folder_name() {
        for good in ["room-1", "room-2", "front-desk"] {
            check_room(good).unwrap();
        }
        for bad in ["", "../x", "Room", "a/b", ".", "server", &"r".repeat(41)] {
            assert!(check_room(bad).is_err(), "{bad:?} must be refused");
        }
    }

    #[test]
    fn no_server_runs_in_an_empty_folder() {
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(running_port(dir.path()), None);
        std::fs::create_dir(dir.path().join("data")).unwrap();
        // A stale file left by a crash: no such process.
        std::fs::write(
            dir.path().join("data/postmaster.pid"),
            "999999999\n/x\n1\n5432\n\n127.0.0.1\n",
        )
        .unwrap();
        assert_eq!(
            running_port(dir.path()),
            None,
            "a stale pid file is no server"
        );
    }
}
