//! A PostgreSQL server of Pinpoint's own in a folder, listening on loopback
//! only: for the tests, the benchmarks and the clinic demo. A clinic's real
//! server is set up by its IT (README, "Clinic mode").
//!
//! It uses Debian's PostgreSQL programs (package `postgresql`), found under
//! `/usr/lib/postgresql/<version>/bin` (the newest), or in
//! `PINPOINT_PG_BINDIR`. PostgreSQL refuses to run as root: as root the
//! folder is given to the `postgres` account and the programs run as it.

use std::net::{Ipv4Addr, TcpListener};
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::{Error, Result};

/// The role and database a local server is made with.
pub const USER: &str = "pinpoint";
pub const DATABASE: &str = "pinpoint";

/// How a local server treats its disk.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Durability {
    /// Every commit reaches the disk (the demo).
    Durable,
    /// Nothing is flushed: for tests and benchmarks, whose data is thrown
    /// away (a crash of the machine may lose it, a crash of the server
    /// does not).
    Throwaway,
}

/// A running local server; stopped when dropped.
#[derive(Debug)]
pub struct LocalPostgres {
    folder: PathBuf,
    bin: PathBuf,
    port: u16,
    as_postgres: bool,
    /// The server's options (`pg_ctl -o`), kept for a restart.
    options: String,
}

impl LocalPostgres {
    /// Starts the server whose files are in `folder` (made there first if
    /// the folder holds none), on a free loopback port, with role and
    /// database `pinpoint`.
    pub fn start(folder: &Path, durability: Durability) -> Result<LocalPostgres> {
        LocalPostgres::start_with(folder, durability, None)
    }

    /// [`LocalPostgres::start`], taking TLS connections with the
    /// certificate `cert_pem` (its chain) and key `key_pem`.
    pub fn start_tls(
        folder: &Path,
        durability: Durability,
        cert_pem: &str,
        key_pem: &str,
    ) -> Result<LocalPostgres> {
        LocalPostgres::start_with(folder, durability, Some((cert_pem, key_pem)))
    }

    fn start_with(
        folder: &Path,
        durability: Durability,
        tls: Option<(&str, &str)>,
    ) -> Result<LocalPostgres> {
        let bin = bin_dir()?;
        let as_postgres = running_as_root();
        crate::private::create_dir_all(folder)
            .map_err(|e| Error::io(format!("cannot create {}", folder.display()), e))?;
        let data = folder.join("data");
        let port = free_port()?;
        let mut options = format!(
            "-c listen_addresses=127.0.0.1 -p {port} -c unix_socket_directories='' \
             -c max_connections=60"
        );
        if durability == Durability::Throwaway {
            options.push_str(" -c fsync=off -c full_page_writes=off");
        }
        if let Some((cert, key)) = tls {
            // Owner-only files, as the server demands of its key.
            let (cert_file, key_file) = (folder.join("server.crt"), folder.join("server.key"));
            for (file, text) in [(&cert_file, cert), (&key_file, key)] {
                crate::private::write(file, text.as_bytes())
                    .map_err(|e| Error::io(format!("cannot write {}", file.display()), e))?;
            }
            options.push_str(&format!(
                " -c ssl=on -c ssl_cert_file='{}' -c ssl_key_file='{}'",
                path_text(&cert_file)?,
                path_text(&key_file)?
            ));
        }
        let server = LocalPostgres {
            folder: folder.to_owned(),
            bin,
            port,
            as_postgres,
            options,
        };
        if as_postgres {
            server.run(
                "chown",
                &["-R", "postgres:postgres", &path_text(folder)?],
                false,
            )?;
        }
        let fresh = !data.join("PG_VERSION").is_file();
        if fresh {
            let initdb = server.bin.join("initdb");
            server.run(
                &path_text(&initdb)?,
                &[
                    "--pgdata",
                    &path_text(&data)?,
                    "--username",
                    USER,
                    "--auth",
                    "trust",
                    "--encoding",
                    "UTF8",
                    "--locale",
                    "C.UTF-8",
                    "--no-instructions",
                ],
                true,
            )?;
        }
        server.restart()?;
        if fresh {
            let db = super::PgConn::connect(&server.params_for("postgres"))?;
            db.execute_batch(&format!("CREATE DATABASE {DATABASE}"))?;
        }
        Ok(server)
    }

    /// The port the server listens on (127.0.0.1).
    pub fn port(&self) -> u16 {
        self.port
    }

    /// The connection string for the `pinpoint` database.
    pub fn params(&self) -> String {
        self.params_for(DATABASE)
    }

    /// The connection string for another database of this server.
    pub fn params_for(&self, database: &str) -> String {
        format!(
            "host=127.0.0.1 port={} user={USER} dbname={database} connect_timeout=10",
            self.port
        )
    }

    /// Stops the server at once, as a crash or a pulled cable would
    /// (`pg_ctl stop -m immediate`): for the fault tests.
    pub fn kill(&self) -> Result<()> {
        self.pg_ctl(&["stop", "--wait", "--silent", "-m", "immediate"])
    }

    /// Starts the (stopped) server, on the same port as before.
    pub fn restart(&self) -> Result<()> {
        self.pg_ctl(&[
            "start",
            "--wait",
            "--timeout",
            "60",
            "--silent",
            "-o",
            &self.options,
            "-l",
            &path_text(&self.folder.join("server.log"))?,
        ])
    }

    /// Makes sure the server stops, and its folder goes, once process
    /// `pid` has ended however it ended (a test binary that finished, or
    /// panicked, or was killed): a small shell watches for it. For a server
    /// kept in a `static`, which is never dropped.
    pub fn stop_when_gone(&self, pid: u32) -> Result<()> {
        self.watch(pid, true)
    }

    /// [`LocalPostgres::stop_when_gone`], keeping the server's files (the
    /// demo's clinic, kept between runs).
    pub fn stop_when_gone_keeping_files(&self, pid: u32) -> Result<()> {
        self.watch(pid, false)
    }

    fn watch(&self, pid: u32, remove: bool) -> Result<()> {
        let data = path_text(&self.folder.join("data"))?;
        let pg_ctl = path_text(&self.bin.join("pg_ctl"))?;
        let folder = path_text(&self.folder)?;
        let stop = if self.as_postgres {
            format!(
                "runuser -u postgres -- '{pg_ctl}' --pgdata '{data}' stop --silent -m immediate"
            )
        } else {
            format!("'{pg_ctl}' --pgdata '{data}' stop --silent -m immediate")
        };
        let remove = if remove {
            format!("; rm -rf '{folder}'")
        } else {
            String::new()
        };
        let script = format!("while kill -0 {pid} 2>/dev/null; do sleep 1; done; {stop}{remove}");
        Command::new("sh")
            .args(["-c", &script])
            .stdin(std::process::Stdio::null())
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .map_err(|e| Error::io("cannot start the server's watchdog", e))?;
        Ok(())
    }

    fn pg_ctl(&self, args: &[&str]) -> Result<()> {
        let data = path_text(&self.folder.join("data"))?;
        let mut all = vec!["--pgdata", &data];
        all.extend_from_slice(args);
        self.run(&path_text(&self.bin.join("pg_ctl"))?, &all, true)
    }

    /// Runs `program`, as the `postgres` account when `as_server` and this
    /// process is root.
    fn run(&self, program: &str, args: &[&str], as_server: bool) -> Result<()> {
        let mut command = if as_server && self.as_postgres {
            let mut c = Command::new("runuser");
            c.args(["-u", "postgres", "--", program]);
            c
        } else {
            Command::new(program)
        };
        let output = command
            .args(args)
            .current_dir(&self.folder)
            .output()
            .map_err(|e| Error::io(format!("cannot run {program}"), e))?;
        if output.status.success() {
            return Ok(());
        }
        let said = String::from_utf8_lossy(&output.stderr);
        Err(Error::io(
            format!("{program} failed ({})", output.status),
            std::io::Error::other(said.trim().to_owned()),
        ))
    }
}

impl Drop for LocalPostgres {
    fn drop(&mut self) {
        let _ = self.pg_ctl(&["stop", "--wait", "--silent", "-m", "fast"]);
    }
}

/// The folder of PostgreSQL's server programs.
pub fn bin_dir() -> Result<PathBuf> {
    if let Some(dir) = std::env::var_os("PINPOINT_PG_BINDIR") {
        return Ok(PathBuf::from(dir));
    }
    let mut found: Vec<(u32, PathBuf)> = std::fs::read_dir("/usr/lib/postgresql")
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|entry| {
            let version = entry.file_name().to_str()?.parse().ok()?;
            let bin = entry.path().join("bin");
            bin.join("initdb").is_file().then_some((version, bin))
        })
        .collect();
    found.sort();
    found.pop().map(|(_, bin)| bin).ok_or_else(|| {
        Error::io(
            "PostgreSQL's server programs are not installed",
            std::io::Error::other(
                "install Debian's postgresql package (`bash .ci/setup` does), \
                 or set PINPOINT_PG_BINDIR",
            ),
        )
    })
}

fn running_as_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|out| out.stdout.trim_ascii() == b"0")
}

/// A loopback port free a moment ago (for a server of Pinpoint's own).
pub(crate) fn free_port() -> Result<u16> {
    let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0))
        .map_err(|e| Error::io("cannot find a free loopback port", e))?;
    let port = listener
        .local_addr()
        .map_err(|e| Error::io("cannot find a free loopback port", e))?
        .port();
    Ok(port)
}

fn path_text(path: &Path) -> Result<String> {
    path.to_str().map(str::to_owned).ok_or_else(|| {
        Error::invalid_input(format!(
            "{} is not a UTF-8 path, which PostgreSQL's programs need",
            path.display()
        ))
    })
}
