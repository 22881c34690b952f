//! A connection to a clinic's PostgreSQL server.
//!
//! Statements are prepared once per connection and kept by their text;
//! values are bound by the type the server gives each placeholder, so the
//! core's [`Value`]s need no casts in the shared SQL. Every write runs in a
//! SERIALIZABLE transaction that is tried again, whole, when the server
//! says another desktop's transaction got there first.

use std::cell::{Cell, RefCell};
use std::collections::HashMap;
use std::error::Error as StdError;

use bytes::BytesMut;
use postgres::error::SqlState;
use postgres::types::{to_sql_checked, IsNull, ToSql, Type};
use postgres::{Client, NoTls, Statement};

use super::connection::{ClinicConnection, Tls};
use super::{dollar_placeholders, Db, Row, Value};
use crate::{Error, Result};

/// How many times a transaction the server refused as a serialization
/// conflict is tried again before the conflict is reported. Each retry
/// first waits a random time up to 2^n ms (at most 256 ms), so desktops
/// that collided do not collide again in step: about 2.5 s in all at worst.
const RETRIES: u32 = 14;

/// One connection to the clinic server.
pub struct PgConn {
    /// `None` only while being dropped.
    client: RefCell<Option<Client>>,
    /// How it was made, for a second connection to the same database.
    link: Link,
    /// Which desktop this is among the clinic's, in its announcements.
    desktop: String,
    statements: RefCell<HashMap<String, Statement>>,
    in_transaction: Cell<bool>,
}

/// How a [`PgConn`] reached its server: the connection string (which may
/// hold the password: kept in memory only) and the TLS set-up, if any.
#[derive(Clone)]
struct Link {
    params: String,
    tls: Option<std::sync::Arc<rustls::ClientConfig>>,
}

impl Link {
    fn connect(&self) -> Result<Client> {
        Ok(match &self.tls {
            None => blocking(|| Client::connect(&self.params, NoTls))?,
            Some(config) => blocking(|| {
                Client::connect(
                    &self.params,
                    tokio_postgres_rustls::MakeRustlsConnect::new((**config).clone()),
                )
            })?,
        })
    }
}

impl std::fmt::Debug for PgConn {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PgConn")
            .field("statements", &self.statements.borrow().len())
            .field("in_transaction", &self.in_transaction.get())
            .finish()
    }
}

impl PgConn {
    /// Connects with a libpq-style connection string
    /// (`host=… port=… user=… dbname=…`), without TLS: for a server on
    /// this computer.
    pub fn connect(params: &str) -> Result<PgConn> {
        PgConn::with(Link {
            params: params.to_owned(),
            tls: None,
        })
    }

    /// Connects to the clinic's records server as `connection` says: over
    /// TLS, the server's certificate checked against the clinic's CA,
    /// unless TLS is off (loopback only).
    pub fn open(connection: &ClinicConnection, password: Option<&str>) -> Result<PgConn> {
        connection.check()?;
        let params = connection.params(password);
        let link = match connection.tls {
            Tls::Off => Link { params, tls: None },
            // Never falls back to a plain connection: no CA, no connection.
            Tls::Require => {
                let ca = connection.ca.as_deref().ok_or_else(|| {
                    Error::invalid(
                        "ca",
                        "TLS needs the clinic's CA certificate to check the server with",
                    )
                })?;
                Link {
                    params: format!("{params} sslmode=require"),
                    tls: Some(std::sync::Arc::new(tls_config(ca)?)),
                }
            }
        };
        PgConn::with(link)
    }

    /// A bare client to the same database, made the same way (the change
    /// feed listens on one).
    pub(crate) fn new_client(&self) -> Result<Client> {
        self.link.connect()
    }

    /// A second connection to the same database, made the same way: for
    /// long reads beside the desktop's own connection.
    pub fn reconnect(&self) -> Result<PgConn> {
        let mut conn = PgConn::with(self.link.clone())?;
        conn.desktop = self.desktop.clone();
        Ok(conn)
    }

    /// This desktop among the clinic's: the computer, the process and the
    /// connection, so that two windows on one computer are two desktops.
    pub fn desktop(&self) -> &str {
        &self.desktop
    }

    fn with(link: Link) -> Result<PgConn> {
        static MADE: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
        let n = MADE.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        Ok(PgConn {
            client: RefCell::new(Some(link.connect()?)),
            desktop: format!("{}/{}/{n}", super::changes::host_name(), std::process::id()),
            link,
            statements: RefCell::new(HashMap::new()),
            in_transaction: Cell::new(false),
        })
    }

    /// A handle for queries outside a transaction.
    pub fn db(&self) -> Db<'_> {
        Db::Postgres(self)
    }

    /// Outside a transaction, a connection the server closed (a restart,
    /// the network) is made again before the next statement, so a desktop
    /// carries on once the server is back. Inside one, nothing is redone:
    /// the transaction is lost and its caller told.
    fn reopen_if_closed(&self) -> Result<()> {
        if self.in_transaction.get()
            || !self.client.borrow().as_ref().is_some_and(Client::is_closed)
        {
            return Ok(());
        }
        let fresh = self.link.connect()?;
        // Dropping the old client closes it through its runtime too.
        blocking(|| *self.client.borrow_mut() = Some(fresh));
        // Prepared statements belonged to the old session.
        self.statements.borrow_mut().clear();
        Ok(())
    }

    fn statement(&self, sql: &str) -> Result<Statement> {
        self.reopen_if_closed()?;
        if let Some(statement) = self.statements.borrow().get(sql) {
            return Ok(statement.clone());
        }
        let statement = self.with_client(|client| client.prepare(&dollar_placeholders(sql)))?;
        self.statements
            .borrow_mut()
            .insert(sql.to_owned(), statement.clone());
        Ok(statement)
    }

    pub(crate) fn execute(&self, sql: &str, params: &[Value]) -> Result<u64> {
        let statement = self.statement(sql)?;
        let params: Vec<Param<'_>> = params.iter().map(Param).collect();
        let refs: Vec<&(dyn ToSql + Sync)> = params.iter().map(|p| p as _).collect();
        Ok(self.with_client(|client| client.execute(&statement, &refs))?)
    }

    pub(crate) fn query_named(
        &self,
        sql: &str,
        params: &[Value],
    ) -> Result<(Vec<String>, Vec<Row>)> {
        let statement = self.statement(sql)?;
        let params: Vec<Param<'_>> = params.iter().map(Param).collect();
        let refs: Vec<&(dyn ToSql + Sync)> = params.iter().map(|p| p as _).collect();
        let rows = self.with_client(|client| client.query(&statement, &refs))?;
        let names = statement
            .columns()
            .iter()
            .map(|c| c.name().to_owned())
            .collect();
        Ok((names, rows.iter().map(row_values).collect::<Result<_>>()?))
    }

    pub(crate) fn execute_batch(&self, sql: &str) -> Result<()> {
        self.reopen_if_closed()?;
        Ok(self.with_client(|client| client.batch_execute(sql))?)
    }

    /// Runs `f` in one SERIALIZABLE transaction: all of it is stored, or
    /// none. When the server refuses it because a concurrent transaction
    /// changed what it read, it is run again from the start (so `f` must
    /// only touch the database); after `RETRIES` such refusals, the
    /// conflict is returned.
    pub fn transaction<T>(&self, mut f: impl FnMut(Db<'_>) -> Result<T>) -> Result<T> {
        if self.in_transaction.get() {
            return Err(Error::Conflict(
                "a transaction is already open on this connection".to_owned(),
            ));
        }
        let mut attempt = 0;
        loop {
            attempt += 1;
            self.execute_batch("BEGIN ISOLATION LEVEL SERIALIZABLE")?;
            self.in_transaction.set(true);
            let committing = Cell::new(false);
            let outcome = f(Db::Postgres(self)).and_then(|value| {
                committing.set(true);
                self.execute_batch("COMMIT")?;
                Ok(value)
            });
            self.in_transaction.set(false);
            match outcome {
                Ok(value) => return Ok(value),
                // The COMMIT went out and no answer came back: the server
                // may have kept the change or not, and only a fresh read
                // can tell. Never tried again blindly (it could be twice).
                Err(error) if committing.get() && is_unanswered(&error) => {
                    return Err(Error::Conflict(
                        "the connection to the clinic server broke just as the change was \
                         being saved, so it may or may not have been kept: reload to see, \
                         before making it again"
                            .to_owned(),
                    ));
                }
                Err(error) => {
                    // A failed COMMIT has ended the transaction already; a
                    // ROLLBACK then only warns.
                    let _ = self.execute_batch("ROLLBACK");
                    if is_retryable(&error) && attempt <= RETRIES {
                        std::thread::sleep(backoff(attempt));
                        continue;
                    }
                    return Err(if is_retryable(&error) {
                        Error::Conflict(
                            "the record was changed on another computer at the same \
                             moment, again and again; nothing was saved: try once more"
                                .to_owned(),
                        )
                    } else {
                        error
                    });
                }
            }
        }
    }
}

impl PgConn {
    /// Runs `f` on the open client, stepping out of an async runtime first.
    fn with_client<T>(&self, f: impl FnOnce(&mut Client) -> T) -> T {
        blocking(|| {
            let mut client = self.client.borrow_mut();
            f(client
                .as_mut()
                .expect("a connection is open until it is dropped"))
        })
    }
}

impl Drop for PgConn {
    /// Closing the client goes through its runtime too: out of an async
    /// runtime's worker first, as every other call.
    fn drop(&mut self) {
        if let Some(client) = self.client.get_mut().take() {
            blocking(move || drop(client));
        }
    }
}

/// Runs `f`, a call of the blocking client (which drives a runtime of its
/// own), so that it may be made from an async runtime's worker thread too
/// (a window's command): there it steps out of that runtime first.
fn blocking<T>(f: impl FnOnce() -> T) -> T {
    tokio::task::block_in_place(f)
}

/// The largest CA file read.
const MAX_CA_BYTES: u64 = 1 << 20;

/// The certificates of the clinic's CA, from the PEM file `ca` (read with
/// a size limit, each checked usable).
pub(crate) fn read_ca(
    ca: &std::path::Path,
) -> Result<Vec<rustls::pki_types::CertificateDer<'static>>> {
    use std::io::Read as _;

    use rustls::pki_types::pem::PemObject as _;
    use rustls::pki_types::CertificateDer;

    let shown = ca.display();
    let mut pem = Vec::new();
    std::fs::File::open(ca)
        .and_then(|f| f.take(MAX_CA_BYTES + 1).read_to_end(&mut pem))
        .map_err(|e| {
            Error::io(
                format!("cannot read the clinic's CA certificate {shown}"),
                e,
            )
        })?;
    if pem.len() as u64 > MAX_CA_BYTES {
        return Err(Error::invalid(
            "ca",
            format!("{shown} is larger than 1 MiB: not a CA certificate"),
        ));
    }
    let mut certs = Vec::new();
    let mut roots = rustls::RootCertStore::empty();
    for cert in CertificateDer::pem_slice_iter(&pem) {
        let cert = cert
            .map_err(|e| Error::invalid("ca", format!("{shown} is not a PEM certificate ({e})")))?;
        roots.add(cert.clone()).map_err(|e| {
            Error::invalid(
                "ca",
                format!("{shown} holds a certificate that cannot be used ({e})"),
            )
        })?;
        certs.push(cert);
    }
    if certs.is_empty() {
        return Err(Error::invalid(
            "ca",
            format!("{shown} holds no certificate"),
        ));
    }
    Ok(certs)
}

/// A TLS client that trusts only the certificates in the PEM file `ca`.
fn tls_config(ca: &std::path::Path) -> Result<rustls::ClientConfig> {
    let mut roots = rustls::RootCertStore::empty();
    for cert in read_ca(ca)? {
        roots.add(cert).map_err(|e| {
            Error::invalid("ca", format!("the CA certificate cannot be used ({e})"))
        })?;
    }
    let provider = std::sync::Arc::new(ring_provider());
    Ok(rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| Error::invalid("ca", format!("TLS cannot be set up ({e})")))?
        .with_root_certificates(roots)
        .with_no_client_auth())
}

/// rustls on *ring*, as the capture server: no C toolchain beyond what the
/// app already needs. rustls marks it deprecated because it offers no
/// post-quantum key exchange (noted for the clinic's IT in the README).
#[allow(deprecated)]
fn ring_provider() -> rustls::crypto::CryptoProvider {
    rustls::crypto::ring::default_provider()
}

/// A random wait before try `attempt` + 1.
fn backoff(attempt: u32) -> std::time::Duration {
    use std::hash::{BuildHasher, Hasher};
    let ceiling_ms = 1u64 << attempt.min(8);
    // A randomly keyed hasher's output is a random number.
    let random = std::collections::hash_map::RandomState::new()
        .build_hasher()
        .finish();
    std::time::Duration::from_micros(random % (ceiling_ms * 1000))
}

/// Whether the server refused a transaction only because another one ran
/// at the same time (trying again is the documented answer).
fn is_retryable(error: &Error) -> bool {
    match error {
        Error::Server(e) => matches!(
            e.code(),
            Some(code) if *code == SqlState::T_R_SERIALIZATION_FAILURE
                || *code == SqlState::T_R_DEADLOCK_DETECTED
        ),
        _ => false,
    }
}

/// Whether the server gave no answer at all (closed, unreachable), as
/// opposed to an answer refusing something.
fn is_unanswered(error: &Error) -> bool {
    matches!(error, Error::Server(e) if e.as_db_error().is_none())
}

/// Whether `error` is the server refusing a duplicate of a unique key.
pub fn is_unique_violation(error: &Error) -> bool {
    matches!(error, Error::Server(e) if e.code() == Some(&SqlState::UNIQUE_VIOLATION))
}

/// A [`Value`] bound to a placeholder of whatever type the server gave it.
#[derive(Debug)]
struct Param<'a>(&'a Value);

impl ToSql for Param<'_> {
    fn to_sql(
        &self,
        ty: &Type,
        out: &mut BytesMut,
    ) -> std::result::Result<IsNull, Box<dyn StdError + Sync + Send>> {
        let unfit = |what: &str| -> Box<dyn StdError + Sync + Send> {
            format!("{what} cannot be bound to a placeholder of type {ty}").into()
        };
        match self.0 {
            Value::Null => Ok(IsNull::Yes),
            Value::Integer(n) => match *ty {
                Type::INT8 => n.to_sql(ty, out),
                Type::INT4 => i32::try_from(*n)?.to_sql(ty, out),
                Type::INT2 => i16::try_from(*n)?.to_sql(ty, out),
                Type::BOOL => (*n != 0).to_sql(ty, out),
                Type::FLOAT8 => (*n as f64).to_sql(ty, out),
                Type::TEXT | Type::VARCHAR => n.to_string().to_sql(ty, out),
                _ => Err(unfit("an integer")),
            },
            Value::Real(x) => match *ty {
                Type::FLOAT8 => x.to_sql(ty, out),
                Type::FLOAT4 => (*x as f32).to_sql(ty, out),
                _ => Err(unfit("a real number")),
            },
            Value::Text(text) => match *ty {
                Type::TEXT | Type::VARCHAR | Type::BPCHAR | Type::NAME | Type::UNKNOWN => {
                    text.as_str().to_sql(ty, out)
                }
                _ => Err(unfit("text")),
            },
            Value::Blob(bytes) => match *ty {
                Type::BYTEA => bytes.as_slice().to_sql(ty, out),
                _ => Err(unfit("a blob")),
            },
        }
    }

    fn accepts(_: &Type) -> bool {
        true
    }

    to_sql_checked!();
}

fn row_values(row: &postgres::Row) -> Result<Row> {
    let mut values = Vec::with_capacity(row.len());
    for (index, column) in row.columns().iter().enumerate() {
        let value = match *column.type_() {
            Type::INT8 => row.try_get::<_, Option<i64>>(index)?.map(Value::Integer),
            Type::INT4 => row
                .try_get::<_, Option<i32>>(index)?
                .map(|n| Value::Integer(n.into())),
            Type::INT2 => row
                .try_get::<_, Option<i16>>(index)?
                .map(|n| Value::Integer(n.into())),
            Type::BOOL => row
                .try_get::<_, Option<bool>>(index)?
                .map(|b| Value::Integer(b.into())),
            Type::FLOAT8 => row.try_get::<_, Option<f64>>(index)?.map(Value::Real),
            Type::FLOAT4 => row
                .try_get::<_, Option<f32>>(index)?
                .map(|x| Value::Real(x.into())),
            Type::TEXT | Type::VARCHAR | Type::BPCHAR | Type::NAME | Type::UNKNOWN => {
                row.try_get::<_, Option<String>>(index)?.map(Value::Text)
            }
            Type::BYTEA => row.try_get::<_, Option<Vec<u8>>>(index)?.map(Value::Blob),
            ref other => {
                return Err(Error::Damaged(format!(
                    "the server answered column {} with type {other}, which Pinpoint does not read",
                    column.name()
                )))
            }
        };
        values.push(value.unwrap_or(Value::Null));
    }
    Ok(Row::new(values))
}
