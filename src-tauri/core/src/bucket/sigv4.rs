//! AWS Signature Version 4 for S3 requests: what every S3-compatible
//! store (Garage included) checks before it answers. A request is signed
//! over its method, path, query, the headers named in `SignedHeaders` and
//! the SHA-256 of its body, with a key derived from the secret for one day,
//! region and service.

use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256};
use zeroize::Zeroizing;

type HmacSha256 = Hmac<Sha256>;

/// The SHA-256 of an empty body, as S3 wants it for GET, HEAD and DELETE.
pub(crate) const EMPTY_SHA256: &str =
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

/// One request to sign.
#[derive(Debug)]
pub(crate) struct Request<'a> {
    pub method: &'a str,
    /// The `Host` header as sent (with `:port` unless the scheme's own).
    pub host: &'a str,
    /// The path, not yet encoded (`/bucket/key`).
    pub path: &'a str,
    /// Query parameters, not yet encoded.
    pub query: &'a [(&'a str, &'a str)],
    /// Headers besides `host`, `x-amz-date` and `x-amz-content-sha256`
    /// that are signed (names in lower case).
    pub headers: &'a [(&'a str, &'a str)],
    /// The hex SHA-256 of the body.
    pub payload_sha256: &'a str,
}

/// Who signs, and where.
pub(crate) struct Credentials<'a> {
    pub access_key: &'a str,
    pub secret_key: &'a str,
    pub region: &'a str,
}

impl std::fmt::Debug for Credentials<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Credentials")
            .field("access_key", &self.access_key)
            .field("region", &self.region)
            .finish_non_exhaustive()
    }
}

/// The headers to add to a request: `x-amz-date`, `x-amz-content-sha256`
/// and `authorization`. `now` is `YYYYMMDDTHHMMSSZ`.
pub(crate) fn sign(
    request: &Request<'_>,
    credentials: &Credentials<'_>,
    now: &str,
) -> [(&'static str, String); 3] {
    let day = now.get(..8).unwrap_or(now);
    let mut headers: Vec<(String, String)> = vec![
        ("host".to_owned(), request.host.trim().to_owned()),
        (
            "x-amz-content-sha256".to_owned(),
            request.payload_sha256.to_owned(),
        ),
        ("x-amz-date".to_owned(), now.to_owned()),
    ];
    headers.extend(
        request
            .headers
            .iter()
            .map(|(name, value)| (name.to_ascii_lowercase(), value.trim().to_owned())),
    );
    headers.sort();
    let signed_headers = headers
        .iter()
        .map(|(name, _)| name.as_str())
        .collect::<Vec<_>>()
        .join(";");
    let mut canonical_headers = String::new();
    for (name, value) in &headers {
        canonical_headers.push_str(name);
        canonical_headers.push(':');
        canonical_headers.push_str(value);
        canonical_headers.push('\n');
    }
    let mut query: Vec<(String, String)> = request
        .query
        .iter()
        .map(|(k, v)| (encode(k, true), encode(v, true)))
        .collect();
    query.sort();
    let canonical_query = query
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join("&");
    let canonical_request = format!(
        "{}\n{}\n{canonical_query}\n{canonical_headers}\n{signed_headers}\n{}",
        request.method,
        encode(request.path, false),
        request.payload_sha256
    );
    let scope = format!("{day}/{}/s3/aws4_request", credentials.region);
    let string_to_sign = format!(
        "AWS4-HMAC-SHA256\n{now}\n{scope}\n{}",
        crate::hex::encode(&Sha256::digest(canonical_request.as_bytes()))
    );
    let secret = Zeroizing::new(format!("AWS4{}", credentials.secret_key));
    let key = hmac(secret.as_bytes(), day.as_bytes());
    let key = hmac(&key[..], credentials.region.as_bytes());
    let key = hmac(&key[..], b"s3");
    let key = hmac(&key[..], b"aws4_request");
    let signature = crate::hex::encode(&hmac(&key[..], string_to_sign.as_bytes())[..]);
    [
        ("x-amz-date", now.to_owned()),
        ("x-amz-content-sha256", request.payload_sha256.to_owned()),
        (
            "authorization",
            format!(
                "AWS4-HMAC-SHA256 Credential={}/{scope},SignedHeaders={signed_headers},Signature={signature}",
                credentials.access_key
            ),
        ),
    ]
}

fn hmac(key: &[u8], data: &[u8]) -> Zeroizing<[u8; 32]> {
    let mut mac = HmacSha256::new_from_slice(key).expect("HMAC takes a key of any length");
    mac.update(data);
    let mut out = Zeroizing::new([0u8; 32]);
    out.copy_from_slice(&mac.finalize().into_bytes());
    out
}

/// URI encoding as S3 signs it: every byte but `A-Z a-z 0-9 - _ . ~` as
/// `%XX` (upper-case hex); `/` kept in a path, encoded in a query.
pub(crate) fn encode(text: &str, slash_too: bool) -> String {
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                out.push(byte as char);
            }
            b'/' if !slash_too => out.push('/'),
            other => out.push_str(&format!("%{other:02X}")),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The worked example of a signed GET in Amazon's S3 documentation
    /// ("Signature Calculations for the Authorization Header"), whose
    /// signature is published with it.
    #[test]
    fn the_published_get_example_signs_the_same() {
        let request = Request {
            method: "GET",
            host: "examplebucket.s3.amazonaws.com",
            path: "/test.txt",
            query: &[],
            headers: &[("range", "bytes=0-9")],
            payload_sha256: EMPTY_SHA256,
        };
        let credentials = Credentials {
            access_key: "AKIAIOSFODNN7EXAMPLE",
            secret_key: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
            region: "us-east-1",
        };
        let [_, _, (_, authorization)] = sign(&request, &credentials, "20130524T000000Z");
        assert_eq!(
            authorization,
            "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request,\
             SignedHeaders=host;range;x-amz-content-sha256;x-amz-date,\
             Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41"
        );
    }

    #[test]
    fn encoding_keeps_only_the_unreserved() {
        assert_eq!(encode("/b/a b+c~", false), "/b/a%20b%2Bc~");
        assert_eq!(encode("a/b=c", true), "a%2Fb%3Dc");
        assert_eq!(encode("é", true), "%C3%A9");
    }
}
