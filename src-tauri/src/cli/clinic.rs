//! Clinic mode for the command line and the window: `--clinic FILE` (or
//! `$PINPOINT_CLINIC`) names the clinic connection file, and the records
//! are on the clinic's server instead of in the data folder, which is then
//! this desktop's own folder beside it. The password of the server
//! account, when it needs one, is read from the file
//! `$PINPOINT_CLINIC_PASSWORD_FILE` names, never from the command line.

use std::path::{Path, PathBuf};

use pinpoint_core::action::Clinic;
use pinpoint_core::db::connection::ClinicConnection;
use zeroize::Zeroizing;

use super::{user, Failure};

/// The variable that names the connection file when `--clinic` is not given.
pub(crate) const CLINIC_VAR: &str = "PINPOINT_CLINIC";

/// The variable that names the file holding the server account's password.
pub(crate) const PASSWORD_VAR: &str = "PINPOINT_CLINIC_PASSWORD_FILE";

/// The longest password file read: a password is a line, not a document.
const MAX_PASSWORD_BYTES: u64 = 4 * 1024;

/// A clinic's records server as this desktop reaches it: the connection
/// file, read and checked, and the account's password when one was given.
pub struct ClinicServer {
    connection: ClinicConnection,
    password: Option<Zeroizing<String>>,
}

impl std::fmt::Debug for ClinicServer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ClinicServer")
            .field("connection", &self.connection)
            .field("password", &self.password.as_ref().map(|_| "…"))
            .finish()
    }
}

impl ClinicServer {
    /// The server `connection` names, with `password` for its account.
    pub fn new(connection: ClinicConnection, password: Option<String>) -> ClinicServer {
        ClinicServer {
            connection,
            password: password.map(Zeroizing::new),
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
        Ok(Some(ClinicServer::new(connection, password)))
    }

    /// Opens clinic mode with `data_dir` as this desktop's own folder.
    pub fn open(&self, data_dir: &Path) -> pinpoint_core::Result<Clinic> {
        Clinic::open_clinic(
            data_dir,
            &self.connection,
            self.password.as_ref().map(|p| p.as_str()),
        )
    }
}
