//! Clinic mode for the command line and the window: `--clinic FILE` (or
//! `$PINPOINT_CLINIC`) names the clinic connection file, and the records
//! are on the clinic's server instead of in the data folder, which is then
//! this desktop's own folder beside it. The password of the server
//! account, when it needs one, is read from the file
//! `$PINPOINT_CLINIC_PASSWORD_FILE` names, and the secret of the photo
//! bucket's key from the file `$PINPOINT_CLINIC_PHOTO_SECRET_FILE` names:
//! never from the command line.

use std::io::IsTerminal as _;
use std::path::{Path, PathBuf};

use clap::Subcommand;
use pinpoint_core::action::Clinic;
use pinpoint_core::db::connection::ClinicConnection;
use zeroize::Zeroizing;

use super::{user, Failure, Folder};

/// The variable that names the connection file when `--clinic` is not given.
pub(crate) const CLINIC_VAR: &str = "PINPOINT_CLINIC";

/// The variable that names the file holding the server account's password.
pub(crate) const PASSWORD_VAR: &str = "PINPOINT_CLINIC_PASSWORD_FILE";

/// The variable that names the file holding the photo bucket's secret key.
pub(crate) const PHOTO_SECRET_VAR: &str = "PINPOINT_CLINIC_PHOTO_SECRET_FILE";

/// The longest password file read: a password is a line, not a document.
const MAX_PASSWORD_BYTES: u64 = 4 * 1024;

/// A clinic's records server as this desktop reaches it: the connection
/// file, read and checked, and the account's password when one was given.
pub struct ClinicServer {
    connection: ClinicConnection,
    password: Option<Zeroizing<String>>,
    photo_secret: Zeroizing<String>,
}

impl std::fmt::Debug for ClinicServer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ClinicServer")
            .field("connection", &self.connection)
            .field("password", &self.password.as_ref().map(|_| "…"))
            .finish_non_exhaustive()
    }
}

impl ClinicServer {
    /// The server `connection` names, with `password` for its account and
    /// `photo_secret` for the photo bucket's key.
    pub fn new(
        connection: ClinicConnection,
        password: Option<String>,
        photo_secret: String,
    ) -> ClinicServer {
        ClinicServer {
            connection,
            password: password.map(Zeroizing::new),
            photo_secret: Zeroizing::new(photo_secret),
        }
    }

    /// The connection file given with `--clinic`, else `$PINPOINT_CLINIC`
    /// (when set and not empty), read and checked, with the password from
    /// `$PINPOINT_CLINIC_PASSWORD_FILE`; `None` outside clinic mode. A
    /// missing or bad file is a user error naming it.
    pub(crate) fn chosen(flag: Option<PathBuf>) -> Result<Option<ClinicServer>, Failure> {
        let Some(path) = flag.or_else(|| {
            std::env::var_os(CLINIC_VAR)
                .filter(|v| !v.is_empty())
                .map(PathBuf::from)
        }) else {
            return Ok(None);
        };
        let connection = ClinicConnection::read(&path).map_err(|e| user(e.to_string()))?;
        let password = match std::env::var_os(PASSWORD_VAR).filter(|v| !v.is_empty()) {
            Some(file) => Some(super::auth::read_secret_file(
                PASSWORD_VAR,
                Path::new(&file),
                MAX_PASSWORD_BYTES,
            )?),
            None => None,
        };
        let photo_secret = match std::env::var_os(PHOTO_SECRET_VAR).filter(|v| !v.is_empty()) {
            Some(file) => super::auth::read_secret_file(
                PHOTO_SECRET_VAR,
                Path::new(&file),
                MAX_PASSWORD_BYTES,
            )?,
            None => {
                return Err(user(format!(
                    "clinic mode needs the secret of the photo bucket's key {}: put it in a \
                     file only you can read and name that file in {PHOTO_SECRET_VAR}",
                    connection.photos.access_key
                )))
            }
        };
        Ok(Some(ClinicServer::new(connection, password, photo_secret)))
    }

    /// The photo store's address, to show.
    pub fn photo_endpoint(&self) -> &str {
        &self.connection.photos.endpoint
    }

    /// Opens clinic mode with `data_dir` as this desktop's own folder.
    pub fn open(&self, data_dir: &Path) -> pinpoint_core::Result<Clinic> {
        Clinic::open_clinic(
            data_dir,
            &self.connection,
            self.password.as_ref().map(|p| p.as_str()),
            &self.photo_secret,
        )
    }
}

/// `pinpoint clinic …`.
#[derive(Debug, Subcommand)]
pub enum ClinicCommand {
    /// Move a single desktop's data folder into clinic mode: every record
    /// onto the clinic's PostgreSQL server (an empty database) and every
    /// photo into its bucket, sealed, in one go; the audit chain is checked
    /// on both sides. The folder itself is left as it was. The owner signs
    /// in with --user; the server's password and the bucket's secret come
    /// from $PINPOINT_CLINIC_PASSWORD_FILE and
    /// $PINPOINT_CLINIC_PHOTO_SECRET_FILE
    Migrate {
        /// The data folder to move (default: --data-dir)
        #[arg(long, value_name = "DATA_DIR")]
        from: Option<PathBuf>,
        /// The clinic connection file of the clinic to move it into
        #[arg(long, value_name = "CONNECTION")]
        to: PathBuf,
    },
}

pub(crate) fn run_clinic(
    command: ClinicCommand,
    folder: &Folder,
    json: bool,
) -> Result<(), Failure> {
    match command {
        ClinicCommand::Migrate { from, to } => run_migrate(from, &to, folder, json),
    }
}

fn run_migrate(
    from: Option<PathBuf>,
    to: &Path,
    folder: &Folder,
    json: bool,
) -> Result<(), Failure> {
    if folder.is_clinic() {
        return Err(user(
            "`clinic migrate` moves a data folder: name the clinic with --to, not --clinic",
        ));
    }
    let server = ClinicServer::chosen(Some(to.to_owned()))?
        .ok_or_else(|| user("give the clinic connection file with --to"))?;
    let source_dir = from.unwrap_or_else(|| folder.dir.clone());
    let source_folder = Folder {
        dir: source_dir.clone(),
        clinic: None,
        clock: folder.clock,
        user: folder.user.clone(),
        actor: std::cell::OnceCell::new(),
        passphrase: std::cell::OnceCell::new(),
    };
    let source = Clinic::open_existing(&source_dir)?;
    let ctx = source_folder.ctx(&source)?;
    // The move's own desktop folder on the clinic side: scratch, removed
    // after (the photos are in the bucket by then).
    let scratch = std::env::temp_dir().join(format!(
        "pinpoint-move-{}-{}",
        std::process::id(),
        chrono::Utc::now().timestamp_nanos_opt().unwrap_or_default()
    ));
    let outcome = (|| {
        let target = server.open(&scratch)?;
        let show = !json && std::io::stderr().is_terminal();
        let moved =
            pinpoint_core::action::safety::move_into_clinic(&ctx, &target, &mut |what, n| {
                if show {
                    eprint!("\r\x1b[Kmoving {what}: {n}");
                }
            });
        if show {
            eprintln!();
        }
        Ok::<_, Failure>(moved?)
    })();
    let _ = std::fs::remove_dir_all(&scratch);
    let moved = outcome?;
    super::print(json, &moved, || {
        let rows: u64 = moved.tables.iter().map(|(_, n)| n).sum();
        let clients = moved
            .tables
            .iter()
            .find(|(t, _)| t == "client")
            .map_or(0, |(_, n)| *n);
        format!(
            "moved {} into the clinic at {}: {clients} clients ({rows} records in {} tables) \
             and {} photos; the audit log holds {} events on both sides, its head the same",
            source_dir.display(),
            server.connection.server,
            moved.tables.len(),
            moved.photos,
            moved.events
        )
    })
}
