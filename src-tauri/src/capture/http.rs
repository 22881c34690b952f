//! Just enough HTTP/1.1 for the capture page, bounded everywhere: one
//! request per connection, a head of at most 16 KiB and 40 header lines, a
//! body only with `Content-Length` and never over the caller's limit, and
//! every response marked not to be cached, sniffed or framed.

use std::io::{self, BufRead, Read, Write};

/// The most bytes a request's head (request line and headers) may take.
pub const MAX_HEAD: usize = 16 * 1024;
const MAX_HEADERS: usize = 40;

/// A request as read.
#[derive(Debug)]
pub struct Request {
    pub method: String,
    /// The path, without the query.
    pub path: String,
    /// The query's `name=value` pairs, percent-decoded.
    pub query: Vec<(String, String)>,
    pub cookie: Option<String>,
    pub content_length: usize,
}

impl Request {
    pub fn param(&self, name: &str) -> Option<&str> {
        self.query
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    /// The value of cookie `name`, if the request carries it.
    pub fn cookie(&self, name: &str) -> Option<&str> {
        self.cookie.as_deref()?.split(';').find_map(|part| {
            let (n, v) = part.trim().split_once('=')?;
            (n == name).then_some(v)
        })
    }
}

/// Why a request was not read: the status to answer with, if any.
#[derive(Debug)]
pub enum Refused {
    /// The connection failed or went quiet: nothing to answer.
    Gone,
    /// Answer with this status and message.
    Status(u16, &'static str),
}

impl From<io::Error> for Refused {
    fn from(_: io::Error) -> Refused {
        Refused::Gone
    }
}

/// Reads a request's head. The body, if any, is left in `stream` for
/// [`read_body`].
pub fn read_head(stream: &mut impl BufRead) -> Result<Request, Refused> {
    let mut head = Vec::with_capacity(1024);
    loop {
        let before = head.len();
        let read = stream
            .take((MAX_HEAD - head.len()) as u64 + 1)
            .read_until(b'\n', &mut head)?;
        if read == 0 {
            return Err(Refused::Gone);
        }
        if head.len() > MAX_HEAD {
            return Err(Refused::Status(431, "the request's headers are too long"));
        }
        // A blank line ends the head.
        if head[before..] == *b"\r\n" || head[before..] == *b"\n" {
            break;
        }
    }
    let mut headers = [httparse::EMPTY_HEADER; MAX_HEADERS];
    let mut parsed = httparse::Request::new(&mut headers);
    match parsed.parse(&head) {
        Ok(httparse::Status::Complete(_)) => {}
        Err(httparse::Error::TooManyHeaders) => {
            return Err(Refused::Status(431, "the request has too many headers"))
        }
        _ => return Err(Refused::Status(400, "the request could not be read")),
    }
    let (Some(method), Some(target)) = (parsed.method, parsed.path) else {
        return Err(Refused::Status(400, "the request could not be read"));
    };
    let mut cookie = None;
    let mut content_length = 0usize;
    for header in parsed.headers.iter() {
        let value = std::str::from_utf8(header.value)
            .map_err(|_| Refused::Status(400, "a header is not text"))?;
        if header.name.eq_ignore_ascii_case("transfer-encoding") {
            return Err(Refused::Status(411, "send the length of the body"));
        }
        if header.name.eq_ignore_ascii_case("content-length") {
            content_length = value
                .trim()
                .parse()
                .map_err(|_| Refused::Status(400, "the body's length is not a number"))?;
        }
        if header.name.eq_ignore_ascii_case("cookie") {
            cookie = Some(value.to_owned());
        }
    }
    let (path, query) = target.split_once('?').unwrap_or((target, ""));
    Ok(Request {
        method: method.to_owned(),
        path: path.to_owned(),
        query: query
            .split('&')
            .filter(|p| !p.is_empty())
            .map(|p| {
                let (n, v) = p.split_once('=').unwrap_or((p, ""));
                (percent_decode(n), percent_decode(v))
            })
            .collect(),
        cookie,
        content_length,
    })
}

/// Reads the body of `request`, refused before reading when its length is
/// over `limit`.
pub fn read_body(
    stream: &mut impl Read,
    request: &Request,
    limit: usize,
) -> Result<Vec<u8>, Refused> {
    if request.content_length > limit {
        return Err(Refused::Status(
            413,
            "the photo is larger than a capture takes",
        ));
    }
    let mut body = vec![0; request.content_length];
    stream.read_exact(&mut body)?;
    Ok(body)
}

/// `%XX` and `+` decoded; anything malformed stays as it is.
fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let digit = |b: u8| (b as char).to_digit(16).map(|d| d as u8);
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let escaped = match bytes.get(i..i + 3) {
            Some([b'%', hi, lo]) => digit(*hi).zip(digit(*lo)).map(|(h, l)| h << 4 | l),
            _ => None,
        };
        match (escaped, bytes[i]) {
            (Some(b), _) => {
                out.push(b);
                i += 3;
                continue;
            }
            (None, b'+') => out.push(b' '),
            (None, b) => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// A response to write.
#[derive(Debug)]
pub struct Response {
    pub status: u16,
    pub content_type: &'static str,
    pub body: Vec<u8>,
    /// Extra headers (`Location`, `Set-Cookie`).
    pub headers: Vec<(&'static str, String)>,
}

impl Response {
    pub fn new(status: u16, content_type: &'static str, body: impl Into<Vec<u8>>) -> Response {
        Response {
            status,
            content_type,
            body: body.into(),
            headers: Vec::new(),
        }
    }

    pub fn json(status: u16, value: &impl serde::Serialize) -> Response {
        let body = serde_json::to_vec(value).expect("a response serialises");
        Response::new(status, "application/json", body)
    }

    /// A JSON `{"error": message}`.
    pub fn error(status: u16, message: &str) -> Response {
        Response::json(status, &serde_json::json!({ "error": message }))
    }

    pub fn with(mut self, name: &'static str, value: String) -> Response {
        self.headers.push((name, value));
        self
    }

    /// Writes the response; the connection is closed after it.
    pub fn write_to(&self, stream: &mut impl Write) -> io::Result<()> {
        let mut head = format!(
            "HTTP/1.1 {} {}\r\nContent-Type: {}\r\nContent-Length: {}\r\n\
             Cache-Control: no-store\r\nX-Content-Type-Options: nosniff\r\n\
             Referrer-Policy: no-referrer\r\nX-Frame-Options: DENY\r\n\
             Content-Security-Policy: default-src 'none'; script-src 'self'; style-src 'self'; \
             img-src 'self' blob: data:; media-src 'self' blob:; connect-src 'self'; \
             form-action 'none'; frame-ancestors 'none'; base-uri 'none'\r\n\
             Connection: close\r\n",
            self.status,
            reason(self.status),
            self.content_type,
            self.body.len()
        );
        for (name, value) in &self.headers {
            head.push_str(&format!("{name}: {value}\r\n"));
        }
        head.push_str("\r\n");
        stream.write_all(head.as_bytes())?;
        stream.write_all(&self.body)?;
        stream.flush()
    }
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        303 => "See Other",
        400 => "Bad Request",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        410 => "Gone",
        411 => "Length Required",
        413 => "Content Too Large",
        422 => "Unprocessable Content",
        429 => "Too Many Requests",
        431 => "Request Header Fields Too Large",
        503 => "Service Unavailable",
        _ => "Error",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn head(text: &str) -> Result<Request, Refused> {
        read_head(&mut io::BufReader::new(text.as_bytes()))
    }

    #[test]
    fn a_request_is_read_with_its_query_and_cookie() {
        let r = head(
            "POST /upload?zone=cheeks&pose=left_45&name=IMG%200042.HEIC&x HTTP/1.1\r\n\
             Host: 10.0.0.2\r\nCookie: a=1; pp=secret\r\nContent-Length: 12\r\n\r\nbody",
        )
        .unwrap();
        assert_eq!(r.method, "POST");
        assert_eq!(r.path, "/upload");
        assert_eq!(r.param("pose"), Some("left_45"));
        assert_eq!(r.param("name"), Some("IMG 0042.HEIC"));
        assert_eq!(r.param("x"), Some(""));
        assert_eq!(r.cookie("pp"), Some("secret"));
        assert_eq!(r.cookie("p"), None);
        assert_eq!(r.content_length, 12);
    }

    #[test]
    fn a_head_too_long_chunked_or_broken_is_refused_with_its_status() {
        let long = format!("GET / HTTP/1.1\r\nX: {}\r\n\r\n", "a".repeat(MAX_HEAD));
        assert!(matches!(head(&long), Err(Refused::Status(431, _))));
        let many = format!("GET / HTTP/1.1\r\n{}\r\n", "X: 1\r\n".repeat(50));
        assert!(matches!(head(&many), Err(Refused::Status(431, _))));
        let chunked = "POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n";
        assert!(matches!(head(chunked), Err(Refused::Status(411, _))));
        assert!(matches!(
            head("NONSENSE\r\n\r\n"),
            Err(Refused::Status(400, _))
        ));
        assert!(matches!(head("GET / HTTP/1.1\r\n"), Err(Refused::Gone)));
        let r = head("POST / HTTP/1.1\r\nContent-Length: 99\r\n\r\n").unwrap();
        assert!(matches!(
            read_body(&mut &b""[..], &r, 10),
            Err(Refused::Status(413, _))
        ));
        assert!(matches!(
            read_body(&mut &b"short"[..], &r, 100),
            Err(Refused::Gone)
        ));
    }

    #[test]
    fn percent_decoding_leaves_what_is_malformed() {
        assert_eq!(percent_decode("a%20b+c"), "a b c");
        assert_eq!(percent_decode("100%"), "100%");
        assert_eq!(percent_decode("%zz"), "%zz");
        assert_eq!(percent_decode("%e2%9c%93"), "✓");
        assert_eq!(percent_decode("é%4"), "é%4");
    }
}
