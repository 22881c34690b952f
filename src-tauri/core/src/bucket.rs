//! The clinic's photo store: one bucket of an S3-compatible object store
//! (Garage on the clinic's own machines, or any S3 service), reached over
//! HTTP(S) with requests signed by AWS Signature Version 4 (`sigv4`).
//!
//! Only whole objects are put, read, checked and removed. The objects are
//! sealed before they get here (`photo::remote`): this module never sees a
//! photo in the clear. A request that fails on the way (the store
//! restarting, a dropped connection, a busy node) is tried again a few
//! times; a refusal (a wrong key, a missing bucket) is not.

use std::path::Path;
use std::time::Duration;

use sha2::{Digest, Sha256};
use zeroize::Zeroizing;

use crate::db::connection::PhotoBucket;
use crate::{Error, Result};

pub mod local;
mod sigv4;

/// How often a request that failed on the way is tried in all.
const TRIES: u32 = 5;
/// The longest wait for a connection, and for a whole request.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);
const REQUEST_TIMEOUT: Duration = Duration::from_secs(120);
/// The most a page of a listing is read of (1,000 names and their details).
const MAX_LISTING_BYTES: u64 = 4 << 20;
/// The most an error answer is read of.
const MAX_ERROR_BYTES: u64 = 64 * 1024;

/// A bucket and the key to it.
pub struct Bucket {
    agent: ureq::Agent,
    /// `http(s)://host[:port]`.
    base: String,
    /// The `Host` header ureq sends for `base`.
    host: String,
    name: String,
    region: String,
    access_key: String,
    secret_key: Zeroizing<String>,
}

impl std::fmt::Debug for Bucket {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Bucket")
            .field("base", &self.base)
            .field("name", &self.name)
            .field("access_key", &self.access_key)
            .finish_non_exhaustive()
    }
}

/// What went wrong with one request.
enum Failure {
    /// Worth trying again: no answer, or the store said it is busy.
    Passing(String),
    /// The store refused the request as it stands.
    Refused(String),
}

impl Bucket {
    /// A bucket as a clinic connection names it, with the secret of its
    /// access key. `ca` is the clinic's CA certificate for an `https://`
    /// endpoint signed by it (otherwise the public roots are trusted).
    pub fn new(photos: &PhotoBucket, secret_key: &str, ca: Option<&Path>) -> Result<Bucket> {
        let base = photos.endpoint.trim_end_matches('/').to_owned();
        let (scheme, rest) = base.split_once("://").ok_or_else(|| {
            Error::invalid(
                "photos.endpoint",
                "the photo store's endpoint must start with https://",
            )
        })?;
        let default_port = if scheme == "https" { ":443" } else { ":80" };
        let host = rest.strip_suffix(default_port).unwrap_or(rest).to_owned();
        let mut tls = ureq::tls::TlsConfig::builder();
        if let (Some(ca), "https") = (ca, scheme) {
            let certs = crate::db::postgres::read_ca(ca)?
                .into_iter()
                .map(|der| ureq::tls::Certificate::from_der(der.as_ref()).to_owned())
                .collect();
            tls = tls.root_certs(ureq::tls::RootCerts::Specific(std::sync::Arc::new(certs)));
        }
        let config = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .timeout_connect(Some(CONNECT_TIMEOUT))
            .timeout_global(Some(REQUEST_TIMEOUT))
            .max_redirects(0)
            .tls_config(tls.build())
            .build();
        Ok(Bucket {
            agent: ureq::Agent::new_with_config(config),
            base,
            host,
            name: photos.bucket.clone(),
            region: photos.region.clone(),
            access_key: photos.access_key.clone(),
            secret_key: Zeroizing::new(secret_key.to_owned()),
        })
    }

    /// The bucket's name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Checks that the bucket is there and the key may use it.
    pub fn check(&self) -> Result<()> {
        match self.request("HEAD", None, &[], None, 0)? {
            (200, _) => Ok(()),
            (404, _) => Err(Error::invalid(
                "photos.bucket",
                format!(
                    "the photo store has no bucket {}: ask the clinic's IT to create it",
                    self.name
                ),
            )),
            (403, _) => Err(Error::invalid(
                "photos.access_key",
                format!(
                    "the photo store refused the key {} for the bucket {}: check the key and \
                     its secret, and that the key may read and write the bucket",
                    self.access_key, self.name
                ),
            )),
            (status, _) => Err(unexpected(status, &[], "check the bucket")),
        }
    }

    /// Stores `body` as the object `key` (replacing any object of that name).
    pub fn put(&self, key: &str, body: &[u8]) -> Result<()> {
        match self.request("PUT", Some(key), &[], Some(body), 0)? {
            (200, _) => Ok(()),
            (status, answer) => Err(unexpected(status, &answer, "store a photo")),
        }
    }

    /// The object `key`, `None` if there is none; refused when larger than
    /// `limit` bytes.
    pub fn get(&self, key: &str, limit: u64) -> Result<Option<Vec<u8>>> {
        match self.request("GET", Some(key), &[], None, limit)? {
            (200, body) => Ok(Some(body)),
            (404, _) => Ok(None),
            (status, answer) => Err(unexpected(status, &answer, "read a photo")),
        }
    }

    /// Whether the object `key` is stored.
    pub fn exists(&self, key: &str) -> Result<bool> {
        match self.request("HEAD", Some(key), &[], None, 0)? {
            (200, _) => Ok(true),
            (404, _) => Ok(false),
            (status, _) => Err(unexpected(status, &[], "look for a photo")),
        }
    }

    /// Removes the object `key` (nothing if there is none).
    pub fn delete(&self, key: &str) -> Result<()> {
        match self.request("DELETE", Some(key), &[], None, 0)? {
            (200 | 204 | 404, _) => Ok(()),
            (status, answer) => Err(unexpected(status, &answer, "remove a photo")),
        }
    }

    /// Every object whose name starts with `prefix`, with when it was last
    /// written, a page of up to 1,000 at a time (ListObjectsV2).
    pub fn list(&self, prefix: &str) -> Result<Vec<Listed>> {
        let mut found = Vec::new();
        let mut token: Option<String> = None;
        loop {
            let mut query = vec![("list-type", "2"), ("prefix", prefix)];
            if let Some(token) = &token {
                query.push(("continuation-token", token));
            }
            let (status, body) = self.request("GET", None, &query, None, MAX_LISTING_BYTES)?;
            if status != 200 {
                return Err(unexpected(status, &body, "list the photos"));
            }
            let text = String::from_utf8_lossy(&body);
            for entry in elements(&text, "Contents") {
                let Some(key) = elements(entry, "Key").next() else {
                    continue;
                };
                let modified = elements(entry, "LastModified")
                    .next()
                    .and_then(|t| chrono::DateTime::parse_from_rfc3339(t).ok())
                    .map(|t| t.with_timezone(&chrono::Utc));
                found.push(Listed {
                    key: key.to_owned(),
                    modified,
                });
            }
            let truncated = elements(&text, "IsTruncated").next() == Some("true");
            token = elements(&text, "NextContinuationToken")
                .next()
                .map(str::to_owned);
            if !truncated || token.is_none() {
                return Ok(found);
            }
        }
    }

    /// Sends one request, tried again while it fails on the way: the status
    /// and the body (read up to `limit` for a 200, a little for an error).
    fn request(
        &self,
        method: &str,
        key: Option<&str>,
        query: &[(&str, &str)],
        body: Option<&[u8]>,
        limit: u64,
    ) -> Result<(u16, Vec<u8>)> {
        let mut last = String::new();
        for attempt in 0..TRIES {
            if attempt > 0 {
                // 0.1, 0.2, 0.4, 0.8 s: a node restarting is back within that.
                std::thread::sleep(Duration::from_millis(100 << (attempt - 1)));
            }
            match self.send(method, key, query, body, limit) {
                Ok(answer) => return Ok(answer),
                Err(Failure::Refused(why)) => return Err(store_error(why)),
                Err(Failure::Passing(why)) => last = why,
            }
        }
        Err(store_error(format!(
            "the clinic's photo store at {} cannot be reached ({last})",
            self.base
        )))
    }

    fn send(
        &self,
        method: &str,
        key: Option<&str>,
        query: &[(&str, &str)],
        body: Option<&[u8]>,
        limit: u64,
    ) -> std::result::Result<(u16, Vec<u8>), Failure> {
        let path = match key {
            Some(key) => format!("/{}/{key}", self.name),
            None => format!("/{}", self.name),
        };
        let payload = body.map_or_else(
            || sigv4::EMPTY_SHA256.to_owned(),
            |b| crate::hex::encode(&Sha256::digest(b)),
        );
        let now = chrono::Utc::now().format("%Y%m%dT%H%M%SZ").to_string();
        let signed = sigv4::sign(
            &sigv4::Request {
                method,
                host: &self.host,
                path: &path,
                query,
                headers: &[],
                payload_sha256: &payload,
            },
            &sigv4::Credentials {
                access_key: &self.access_key,
                secret_key: &self.secret_key,
                region: &self.region,
            },
            &now,
        );
        let mut url = format!("{}{}", self.base, sigv4::encode(&path, false));
        for (i, (name, value)) in query.iter().enumerate() {
            url.push(if i == 0 { '?' } else { '&' });
            url.push_str(&sigv4::encode(name, true));
            url.push('=');
            url.push_str(&sigv4::encode(value, true));
        }
        let on_the_way = |e: ureq::Error| match e {
            ureq::Error::Io(_)
            | ureq::Error::Timeout(_)
            | ureq::Error::ConnectionFailed
            | ureq::Error::HostNotFound
            | ureq::Error::Protocol(_) => Failure::Passing(e.to_string()),
            other => Failure::Refused(format!("the clinic's photo store: {other}")),
        };
        let response = match (method, body) {
            ("PUT", Some(body)) => {
                let mut request = self.agent.put(&url);
                for (name, value) in &signed {
                    request = request.header(*name, value);
                }
                request.send(body)
            }
            _ => {
                let mut request = match method {
                    "GET" => self.agent.get(&url),
                    "HEAD" => self.agent.head(&url),
                    _ => self.agent.delete(&url),
                };
                for (name, value) in &signed {
                    request = request.header(*name, value);
                }
                request.call()
            }
        };
        let mut response = response.map_err(on_the_way)?;
        let status = response.status().as_u16();
        if method == "HEAD" {
            return Ok((status, Vec::new()));
        }
        let cap = if status == 200 {
            limit
        } else {
            MAX_ERROR_BYTES
        };
        let read = response
            .body_mut()
            .with_config()
            .limit(cap.max(1))
            .read_to_vec();
        let bytes = match read {
            Ok(bytes) => bytes,
            Err(ureq::Error::BodyExceedsLimit(_)) if status == 200 => {
                return Err(Failure::Refused(format!(
                    "the photo store's object is larger than {} MiB: not a photo Pinpoint stored",
                    limit >> 20
                )))
            }
            Err(e) => return Err(on_the_way(e)),
        };
        if matches!(status, 500 | 502 | 503 | 504) {
            return Err(Failure::Passing(format!(
                "HTTP {status} {}",
                error_code(&bytes)
            )));
        }
        Ok((status, bytes))
    }
}

/// An object as a listing gives it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Listed {
    pub key: String,
    /// When it was last written, if the store said.
    pub modified: Option<chrono::DateTime<chrono::Utc>>,
}

/// The text of each `<name>…</name>` element in `xml`, in order (S3's
/// listings are flat and their keys here are Pinpoint's own plain names;
/// nothing is unescaped).
fn elements<'a>(xml: &'a str, name: &str) -> impl Iterator<Item = &'a str> {
    let open = format!("<{name}>");
    let close = format!("</{name}>");
    let mut rest = xml;
    std::iter::from_fn(move || {
        let start = rest.find(&open)? + open.len();
        let end = rest[start..].find(&close)? + start;
        let found = &rest[start..end];
        rest = &rest[end + close.len()..];
        Some(found)
    })
}

fn store_error(message: String) -> Error {
    Error::io(
        message,
        std::io::Error::other("the photo was not stored or read"),
    )
}

/// An answer Pinpoint did not expect, with the store's own error code.
fn unexpected(status: u16, answer: &[u8], doing: &str) -> Error {
    store_error(format!(
        "the clinic's photo store did not {doing}: HTTP {status} {}",
        error_code(answer)
    ))
}

/// The `<Code>` of an S3 error answer (`AccessDenied`, `NoSuchBucket`).
fn error_code(answer: &[u8]) -> String {
    let text = String::from_utf8_lossy(answer);
    text.split_once("<Code>")
        .and_then(|(_, rest)| rest.split_once("</Code>"))
        .map(|(code, _)| code.chars().take(64).collect())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_listing_is_read_element_by_element() {
        let xml = "<ListBucketResult><IsTruncated>true</IsTruncated>\
            <Contents><Key>p/ab</Key><LastModified>2026-12-07T10:00:00.000Z</LastModified></Contents>\
            <Contents><Key>p/cd</Key></Contents>\
            <NextContinuationToken>t1</NextContinuationToken></ListBucketResult>";
        let keys: Vec<&str> = elements(xml, "Contents")
            .filter_map(|c| elements(c, "Key").next())
            .collect();
        assert_eq!(keys, ["p/ab", "p/cd"]);
        assert_eq!(elements(xml, "IsTruncated").next(), Some("true"));
        assert_eq!(elements(xml, "NextContinuationToken").next(), Some("t1"));
        assert_eq!(elements(xml, "Missing").next(), None);
        assert_eq!(elements("<Key>cut short", "Key").next(), None);
        assert_eq!(
            error_code(b"<Error><Code>AccessDenied</Code></Error>"),
            "AccessDenied"
        );
    }
}
