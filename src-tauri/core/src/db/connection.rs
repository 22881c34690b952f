//! A clinic connection: where a desktop finds the clinic's records (a
//! PostgreSQL server) and photos (an S3-compatible bucket). It is a small
//! JSON file the clinic's IT writes once and copies to each desktop; it
//! holds no secret (the database password and the bucket's secret key are
//! asked for, or come from the environment).
//!
//! ```json
//! { "server": "records.clinic.lan", "port": 5432, "database": "pinpoint",
//!   "user": "room1", "tls": "require", "ca": "/etc/pinpoint/clinic-ca.pem",
//!   "photos": { "endpoint": "https://photos.clinic.lan:3900",
//!               "bucket": "pinpoint-photos", "region": "garage",
//!               "access_key": "GK31c2f218a2e44f485b94239e" } }
//! ```

use std::io::Read as _;
use std::net::IpAddr;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::{Error, Result};

/// The most a connection file may hold.
const MAX_FILE_BYTES: u64 = 64 * 1024;

/// Where the clinic's records and photos are.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ClinicConnection {
    /// The PostgreSQL server's host name or address.
    pub server: String,
    #[serde(default = "default_port")]
    pub port: u16,
    pub database: String,
    pub user: String,
    /// Whether the connection to the server is encrypted.
    #[serde(default)]
    pub tls: Tls,
    /// The clinic's CA certificate (PEM) that signed the server's
    /// certificate: needed with TLS.
    #[serde(default)]
    pub ca: Option<PathBuf>,
    pub photos: PhotoBucket,
}

/// Encryption of the connection to the records server.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Tls {
    /// TLS, with the server's certificate checked.
    #[default]
    Require,
    /// No TLS: only for a server on this computer (loopback), where nothing
    /// crosses a network.
    Off,
}

/// The S3-compatible bucket that keeps the photos (sealed before upload).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PhotoBucket {
    /// `https://host[:port]` (`http://` only on loopback).
    pub endpoint: String,
    pub bucket: String,
    #[serde(default = "default_region")]
    pub region: String,
    /// The access key id (its secret is not kept in this file).
    pub access_key: String,
}

fn default_port() -> u16 {
    5432
}

fn default_region() -> String {
    "garage".to_owned()
}

impl ClinicConnection {
    /// Reads and checks a connection file.
    pub fn read(path: &Path) -> Result<ClinicConnection> {
        let shown = path.display();
        let file = std::fs::File::open(path)
            .map_err(|e| Error::io(format!("cannot open the clinic connection {shown}"), e))?;
        let mut text = String::new();
        file.take(MAX_FILE_BYTES + 1)
            .read_to_string(&mut text)
            .map_err(|e| Error::io(format!("cannot read the clinic connection {shown}"), e))?;
        if text.len() as u64 > MAX_FILE_BYTES {
            return Err(Error::invalid_input(format!(
                "{shown} is larger than {} KiB: not a clinic connection",
                MAX_FILE_BYTES / 1024
            )));
        }
        ClinicConnection::parse(&text)
            .map_err(|e| Error::invalid_input(format!("the clinic connection {shown}: {e}")))
    }

    /// Parses and checks a connection's JSON text.
    pub fn parse(text: &str) -> Result<ClinicConnection> {
        let connection: ClinicConnection = serde_json::from_str(text)
            .map_err(|e| Error::invalid_input(format!("it is not valid ({e})")))?;
        connection.check()?;
        Ok(connection)
    }

    /// Refuses a connection that could not work or would not be safe, field
    /// by field.
    pub fn check(&self) -> Result<()> {
        check_host("server", &self.server)?;
        if self.port == 0 {
            return Err(Error::invalid("port", "the port must be 1 to 65535"));
        }
        check_name("database", &self.database)?;
        check_name("user", &self.user)?;
        if self.tls == Tls::Off && !is_loopback(&self.server) {
            return Err(Error::invalid(
                "tls",
                format!(
                    "TLS may be off only for a server on this computer; {} is reached over the \
                     network, where the records would travel readable",
                    self.server
                ),
            ));
        }
        if self.tls == Tls::Require && self.ca.is_none() {
            return Err(Error::invalid(
                "ca",
                "TLS needs the clinic's CA certificate (a PEM file) to check the server with",
            ));
        }
        let photos = &self.photos;
        let (scheme, rest) = photos.endpoint.split_once("://").ok_or_else(|| {
            Error::invalid(
                "photos.endpoint",
                "the photo store's endpoint must start with https://",
            )
        })?;
        let host_port = rest.trim_end_matches('/');
        if host_port.contains('/') || host_port.contains('@') || host_port.contains('?') {
            return Err(Error::invalid(
                "photos.endpoint",
                "the photo store's endpoint is a scheme, a host and a port only \
                 (https://photos.clinic.lan:3900)",
            ));
        }
        let host = split_host(host_port);
        check_host("photos.endpoint", host)?;
        match scheme {
            "https" => {}
            "http" if is_loopback(host) => {}
            "http" => {
                return Err(Error::invalid(
                    "photos.endpoint",
                    format!("the photo store {host} is on the network: use https://"),
                ))
            }
            other => {
                return Err(Error::invalid(
                    "photos.endpoint",
                    format!("{other}:// is not a photo store's scheme; use https://"),
                ))
            }
        }
        check_bucket(&photos.bucket)?;
        check_name("photos.region", &photos.region)?;
        check_name("photos.access_key", &photos.access_key)?;
        Ok(())
    }

    /// The libpq-style connection string for the records server, with the
    /// password when one is given. Values are quoted, so no field can add
    /// a setting of its own.
    pub fn params(&self, password: Option<&str>) -> String {
        let mut params = format!(
            "host={} port={} dbname={} user={} connect_timeout=10 application_name=pinpoint",
            quoted(&self.server),
            self.port,
            quoted(&self.database),
            quoted(&self.user)
        );
        if let Some(password) = password {
            params.push_str(" password=");
            params.push_str(&quoted(password));
        }
        params
    }
}

/// `value` in single quotes, with `\` and `'` escaped as libpq reads them.
fn quoted(value: &str) -> String {
    let mut out = String::with_capacity(value.len() + 2);
    out.push('\'');
    for c in value.chars() {
        if c == '\'' || c == '\\' {
            out.push('\\');
        }
        out.push(c);
    }
    out.push('\'');
    out
}

/// The host of `host[:port]` (`[v6]:port` too).
fn split_host(host_port: &str) -> &str {
    if let Some(rest) = host_port.strip_prefix('[') {
        return rest.split(']').next().unwrap_or_default();
    }
    match host_port.rsplit_once(':') {
        Some((host, port)) if port.chars().all(|c| c.is_ascii_digit()) => host,
        _ => host_port,
    }
}

fn is_loopback(host: &str) -> bool {
    host.eq_ignore_ascii_case("localhost")
        || host
            .trim_matches(|c| c == '[' || c == ']')
            .parse::<IpAddr>()
            .is_ok_and(|ip| ip.is_loopback())
}

fn check_host(field: &str, host: &str) -> Result<()> {
    let fits = !host.is_empty()
        && host.len() <= 253
        && (host.parse::<IpAddr>().is_ok()
            || host.split('.').all(|label| {
                !label.is_empty()
                    && label.len() <= 63
                    && !label.starts_with('-')
                    && !label.ends_with('-')
                    && label.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
            }));
    if fits {
        Ok(())
    } else {
        Err(Error::invalid(
            field,
            format!("{host:?} is not a host name or address"),
        ))
    }
}

/// A database, role, region or key id: printable, no spaces, at most 63
/// characters (PostgreSQL's limit for names).
fn check_name(field: &str, name: &str) -> Result<()> {
    if name.is_empty() {
        return Err(Error::invalid(field, format!("{field} is empty")));
    }
    if name.len() > 63 || !name.chars().all(|c| c.is_ascii_graphic()) {
        return Err(Error::invalid(
            field,
            format!("{field} must be at most 63 printable characters without spaces"),
        ));
    }
    Ok(())
}

/// S3's rules for a bucket name: 3–63 lower-case letters, digits, `-` and
/// `.`, starting and ending with a letter or digit.
fn check_bucket(bucket: &str) -> Result<()> {
    let fits = (3..=63).contains(&bucket.len())
        && bucket
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '.')
        && bucket.starts_with(|c: char| c.is_ascii_alphanumeric())
        && bucket.ends_with(|c: char| c.is_ascii_alphanumeric());
    if fits {
        Ok(())
    } else {
        Err(Error::invalid(
            "photos.bucket",
            format!(
                "{bucket:?} is not a bucket name (3 to 63 lower-case letters, digits, '-' and '.')"
            ),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOOD: &str = r#"{ "server": "records.clinic.lan", "database": "pinpoint",
        "user": "room1", "ca": "/etc/pinpoint/clinic-ca.pem",
        "photos": { "endpoint": "https://photos.clinic.lan:3900",
                    "bucket": "pinpoint-photos", "access_key": "GK31c2f2" } }"#;

    fn refused(change: impl FnOnce(&mut ClinicConnection)) -> (Option<String>, String) {
        let mut c = ClinicConnection::parse(GOOD).unwrap();
        change(&mut c);
        let e = c.check().unwrap_err();
        (e.field().map(str::to_owned), e.to_string())
    }

    #[test]
    fn a_plain_connection_reads_with_its_defaults() {
        let c = ClinicConnection::parse(GOOD).unwrap();
        assert_eq!((c.port, c.tls), (5432, Tls::Require));
        assert_eq!(c.photos.region, "garage");
        assert_eq!(
            c.params(Some("it's a \\ secret")),
            "host='records.clinic.lan' port=5432 dbname='pinpoint' user='room1' \
             connect_timeout=10 application_name=pinpoint password='it\\'s a \\\\ secret'"
        );
    }

    #[test]
    fn unsafe_or_impossible_connections_are_refused_by_field() {
        let (field, message) = refused(|c| c.tls = Tls::Off);
        assert_eq!(field.as_deref(), Some("tls"));
        assert!(message.contains("records.clinic.lan is reached over the network"));
        let (field, _) = refused(|c| c.photos.endpoint = "http://photos.clinic.lan:3900".into());
        assert_eq!(field.as_deref(), Some("photos.endpoint"));
        let (field, _) = refused(|c| c.photos.endpoint = "https://a.lan/other?x=1".into());
        assert_eq!(field.as_deref(), Some("photos.endpoint"));
        let (field, message) = refused(|c| c.photos.bucket = "Photos_2026".into());
        assert_eq!(field.as_deref(), Some("photos.bucket"));
        assert!(message.contains("not a bucket name"));
        let (field, _) = refused(|c| c.server = "db host; drop".into());
        assert_eq!(field.as_deref(), Some("server"));
        let (field, _) = refused(|c| c.user = "room 1".into());
        assert_eq!(field.as_deref(), Some("user"));
        let (field, _) = refused(|c| c.port = 0);
        assert_eq!(field.as_deref(), Some("port"));
        let (field, _) = refused(|c| c.ca = None);
        assert_eq!(field.as_deref(), Some("ca"));
    }

    #[test]
    fn loopback_may_go_without_tls() {
        let mut c = ClinicConnection::parse(GOOD).unwrap();
        c.server = "127.0.0.1".into();
        c.tls = Tls::Off;
        c.photos.endpoint = "http://[::1]:3900".into();
        c.check().unwrap();
        c.photos.endpoint = "http://localhost:3900/".into();
        c.check().unwrap();
    }

    #[test]
    fn unknown_fields_and_bad_json_are_named() {
        let extra = GOOD.replacen("\"user\"", "\"password\": \"x\", \"user\"", 1);
        let e = ClinicConnection::parse(&extra).unwrap_err();
        assert!(e.to_string().contains("unknown field `password`"), "{e}");
        assert!(ClinicConnection::parse("{").is_err());
    }
}
