//! Photo capture from the clinic's phone: while a capture is open, a small
//! HTTPS server on the computer's local network address serves the capture
//! page to the one phone that paired through the QR code, and takes its
//! photos into the client's session or visit through the core's import.
//!
//! - **Pairing.** The QR code's URL holds a one-time token (128 random
//!   bits) valid for [`PAIRING`]. The first phone to open it gets a
//!   session cookie (256 bits, `Secure`, `HttpOnly`, `SameSite=Strict`);
//!   the token is then spent, and every other request needs the cookie.
//! - **Reach.** The page can read the capture plan (the client's short
//!   name, the moment, the shots), the guide photos the plan names, and
//!   upload photos to this capture's target. Nothing else: the target is
//!   fixed when the capture opens, never taken from the request.
//! - **Limits.** At most [`MAX_CONNECTIONS`] connections at once, a read
//!   timeout on each, bounded heads and bodies (`http.rs`), at most
//!   [`MAX_REQUESTS_PER_MINUTE`] requests a minute and [`MAX_UPLOADS`]
//!   photos per capture. The server stops when the capture closes, when the
//!   code expires unused, or after [`IDLE`] without a request.
//! - **TLS only**, with the data folder's own certificate (`tls.rs`).

pub mod http;
pub mod tls;

use std::collections::HashSet;
use std::io::BufReader;
use std::net::{IpAddr, Ipv4Addr, SocketAddr, TcpListener, TcpStream, UdpSocket};
use std::sync::atomic::{AtomicBool, AtomicU32, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use pinpoint_core::action::capture::{
    self as core_capture, CapturePlan, CaptureTarget, CaptureUpload,
};
use pinpoint_core::action::{photos, Ctx};
use pinpoint_core::ids::PhotoId;
use pinpoint_core::photo::{CaptureCondition, ImportResult, PhotoKind, PhotoPose, PhotoSize};
use pinpoint_core::Error;
use serde::Serialize;

use http::{Refused, Request, Response};
use tls::Identity;

/// How long the QR code's token may wait for a phone.
pub const PAIRING: Duration = Duration::from_secs(10 * 60);
/// How long a paired capture may go without a request before it closes.
pub const IDLE: Duration = Duration::from_secs(10 * 60);
/// Connections served at once.
pub const MAX_CONNECTIONS: usize = 4;
/// Requests a minute, for the whole capture.
pub const MAX_REQUESTS_PER_MINUTE: u32 = 240;
/// Photos one capture takes.
pub const MAX_UPLOADS: u32 = 300;
/// The largest photo a phone may send (a 48 MP HEIC is about 15 MB).
pub const MAX_UPLOAD_BYTES: usize = 64 * 1024 * 1024;
/// The port tried first, so a phone's trust in the address holds between
/// captures; any free port when it is taken.
pub const PORT: u16 = 47_310;
/// How long one read or write may wait on a quiet connection.
const QUIET: Duration = Duration::from_secs(20);
/// The cookie that marks the paired phone.
const COOKIE: &str = "pinpoint_capture";

/// Where a capture's work is done: the clinic, as the person who opened
/// the capture, and whoever watches it (the window, or the terminal).
pub trait Desk: Send + Sync + 'static {
    /// Runs `f` in the context of the person who opened the capture, now;
    /// refused when they are no longer signed in.
    fn act<T>(
        &self,
        f: impl FnOnce(&Ctx<'_>) -> pinpoint_core::Result<T>,
    ) -> pinpoint_core::Result<T>;
    /// A phone paired: the code is spent.
    fn paired(&self);
    /// A photo arrived (imported or refused).
    fn arrived(&self, result: &ImportResult);
    /// The capture closed by itself (expired, idle), saying why.
    fn closed(&self, why: &str);
}

/// What the window shows for an open capture.
#[derive(Debug, Clone, Serialize, specta::Type)]
pub struct CaptureInfo {
    /// The pairing URL the QR code holds.
    pub url: String,
    /// The QR code of `url`, as an SVG document.
    pub qr_svg: String,
    /// The certificate's SHA-256, as the phone's browser shows it.
    pub fingerprint: String,
    /// Seconds the code stays valid for pairing.
    pub expires_in_seconds: u32,
    /// The client's short name and the moment, as the phone shows them.
    pub client: String,
    pub moment: String,
    /// Set when the computer has no local network address: only this
    /// computer can reach the page.
    pub loopback_only: bool,
}

/// An open capture: its server runs until this is dropped or closed.
#[derive(Debug)]
pub struct Capture {
    pub info: CaptureInfo,
    stop: Arc<AtomicBool>,
    server: Option<JoinHandle<()>>,
}

impl Capture {
    /// Opens a capture for `target`: the plan checked (client, session or
    /// visit, permission), the certificate for `host` made or read, the
    /// listener bound, and the server started.
    pub fn open<D: Desk>(desk: D, target: CaptureTarget, host: IpAddr) -> Result<Capture, Error> {
        let plan = desk.act(|ctx| core_capture::capture_plan(ctx, target))?;
        let identity = identity_for(&desk, host)?;
        let config = identity
            .server_config()
            .map_err(|e| Error::invalid("capture", format!("the capture certificate: {e}")))?;
        let listener = TcpListener::bind((host, PORT))
            .or_else(|_| TcpListener::bind((host, 0)))
            .map_err(|e| Error::io(format!("cannot listen on {host}"), e))?;
        listener
            .set_nonblocking(true)
            .map_err(|e| Error::io("cannot listen", e))?;
        let address = listener
            .local_addr()
            .map_err(|e| Error::io("cannot listen", e))?;
        let token = tls::random_hex(16);
        let url = format!("https://{}/pair/{token}", display_addr(address));
        let info = CaptureInfo {
            qr_svg: qr_svg(&url),
            url,
            fingerprint: identity.fingerprint(),
            expires_in_seconds: PAIRING.as_secs() as u32,
            client: plan.client.clone(),
            moment: plan.moment.clone(),
            loopback_only: host.is_loopback(),
        };
        let stop = Arc::new(AtomicBool::new(false));
        let shared = Arc::new(Shared {
            desk,
            target,
            config,
            stop: stop.clone(),
            pairing: Mutex::new(Pairing::new(token)),
            guides: Mutex::new(guides_of(&plan)),
            connections: AtomicUsize::new(0),
            uploads: AtomicU32::new(0),
            minute: Mutex::new((Instant::now(), 0)),
        });
        let server = std::thread::Builder::new()
            .name("capture".to_owned())
            .spawn(move || serve(listener, shared))
            .map_err(|e| Error::io("cannot start the capture server", e))?;
        Ok(Capture {
            info,
            stop,
            server: Some(server),
        })
    }

    /// Stops the server and waits for its listener to close.
    pub fn close(mut self) {
        self.shut();
    }

    fn shut(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        if let Some(server) = self.server.take() {
            let _ = server.join();
        }
    }
}

impl Drop for Capture {
    fn drop(&mut self) {
        self.shut();
    }
}

/// The address a phone on the clinic's network reaches this computer at:
/// `PINPOINT_CAPTURE_HOST` when set (tests), else the address of the
/// interface that routes to the local network, if it is a private one;
/// else loopback (only this computer can reach it).
pub fn local_address() -> IpAddr {
    if let Some(host) = std::env::var("PINPOINT_CAPTURE_HOST")
        .ok()
        .and_then(|h| h.parse().ok())
    {
        return host;
    }
    // Connecting a UDP socket sends nothing: it only asks the routing table
    // which interface would be used.
    let routed = UdpSocket::bind((Ipv4Addr::UNSPECIFIED, 0))
        .and_then(|s| s.connect((Ipv4Addr::new(10, 255, 255, 254), 9)).map(|_| s))
        .and_then(|s| s.local_addr())
        .map(|a| a.ip());
    match routed {
        Ok(IpAddr::V4(ip)) if ip.is_private() || ip.is_link_local() => IpAddr::V4(ip),
        _ => IpAddr::V4(Ipv4Addr::LOCALHOST),
    }
}

fn display_addr(address: SocketAddr) -> String {
    match address {
        SocketAddr::V4(a) => a.to_string(),
        SocketAddr::V6(a) => format!("[{}]:{}", a.ip(), a.port()),
    }
}

/// The data folder's certificate for `host`, made (and kept) when there is
/// none for that address yet.
fn identity_for(desk: &impl Desk, host: IpAddr) -> Result<Identity, Error> {
    let stored = desk.act(core_capture::stored_identity)?;
    if let Some(identity) = stored.and_then(|b| Identity::from_stored(&b, host)) {
        return Ok(identity);
    }
    let clinic = desk
        .act(pinpoint_core::action::catalogue::get_settings)
        .map(|s| s.clinic_name)
        .unwrap_or_default();
    let identity = Identity::make(host, &clinic)
        .map_err(|e| Error::invalid("capture", format!("cannot make a certificate: {e}")))?;
    desk.act(|ctx| core_capture::store_identity(ctx, &identity.to_stored()))?;
    Ok(identity)
}

fn qr_svg(url: &str) -> String {
    qrcode::QrCode::with_error_correction_level(url, qrcode::EcLevel::M)
        .map(|code| {
            code.render::<qrcode::render::svg::Color<'_>>()
                .min_dimensions(240, 240)
                .quiet_zone(true)
                .build()
        })
        .unwrap_or_default()
}

fn guides_of(plan: &CapturePlan) -> HashSet<PhotoId> {
    plan.shots.iter().filter_map(|s| s.guide).collect()
}

/// The pairing: the token until a phone spends it, then that phone's
/// cookie.
struct Pairing {
    token: String,
    opened: Instant,
    cookie: Option<String>,
    last_seen: Instant,
}

impl Pairing {
    fn new(token: String) -> Pairing {
        Pairing {
            token,
            opened: Instant::now(),
            cookie: None,
            last_seen: Instant::now(),
        }
    }

    /// The new cookie, when `token` is this capture's, unspent and not
    /// expired; nothing otherwise.
    fn spend(&mut self, token: &str) -> Option<String> {
        let fresh = self.cookie.is_none() && self.opened.elapsed() <= PAIRING;
        if !(fresh && same(token.as_bytes(), self.token.as_bytes())) {
            return None;
        }
        let cookie = tls::random_hex(32);
        self.cookie = Some(cookie.clone());
        self.last_seen = Instant::now();
        Some(cookie)
    }
}

/// What the server's threads share.
struct Shared<D> {
    desk: D,
    target: CaptureTarget,
    config: Arc<rustls::ServerConfig>,
    stop: Arc<AtomicBool>,
    pairing: Mutex<Pairing>,
    /// The guide photos the page may fetch: those its plans named.
    guides: Mutex<HashSet<PhotoId>>,
    connections: AtomicUsize,
    uploads: AtomicU32,
    /// The current minute's start and its requests.
    minute: Mutex<(Instant, u32)>,
}

impl<D> Shared<D> {
    fn pairing(&self) -> std::sync::MutexGuard<'_, Pairing> {
        self.pairing.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Why the capture should close by itself now, if it should.
    fn expired(&self) -> Option<&'static str> {
        let pairing = self.pairing();
        match pairing.cookie {
            None if pairing.opened.elapsed() > PAIRING => {
                Some("the code expired before a phone used it")
            }
            Some(_) if pairing.last_seen.elapsed() > IDLE => {
                Some("the phone sent nothing for 10 minutes")
            }
            _ => None,
        }
    }

    /// Counts a request against the minute's allowance.
    fn within_rate(&self) -> bool {
        let mut minute = self.minute.lock().unwrap_or_else(PoisonError::into_inner);
        if minute.0.elapsed() >= Duration::from_secs(60) {
            *minute = (Instant::now(), 0);
        }
        minute.1 += 1;
        minute.1 <= MAX_REQUESTS_PER_MINUTE
    }
}

/// The accept loop: until stopped or expired.
fn serve<D: Desk>(listener: TcpListener, shared: Arc<Shared<D>>) {
    loop {
        if shared.stop.load(Ordering::SeqCst) {
            break;
        }
        if let Some(why) = shared.expired() {
            shared.stop.store(true, Ordering::SeqCst);
            shared.desk.closed(why);
            break;
        }
        match listener.accept() {
            Ok((tcp, _)) => {
                if shared.connections.fetch_add(1, Ordering::SeqCst) >= MAX_CONNECTIONS {
                    shared.connections.fetch_sub(1, Ordering::SeqCst);
                    continue;
                }
                let shared = shared.clone();
                let spawned = std::thread::Builder::new()
                    .name("capture connection".to_owned())
                    .spawn(move || {
                        connection(&shared, tcp);
                        shared.connections.fetch_sub(1, Ordering::SeqCst);
                    });
                if spawned.is_err() {
                    // The connection was dropped with the closure.
                    continue;
                }
            }
            Err(_) => std::thread::sleep(Duration::from_millis(50)),
        }
    }
}

/// One connection: the TLS handshake, one request, one response.
fn connection<D: Desk>(shared: &Shared<D>, tcp: TcpStream) {
    let ready = tcp.set_nonblocking(false).is_ok()
        && tcp.set_read_timeout(Some(QUIET)).is_ok()
        && tcp.set_write_timeout(Some(QUIET)).is_ok();
    if !ready {
        return;
    }
    let Ok(tls) = rustls::ServerConnection::new(shared.config.clone()) else {
        return;
    };
    let mut stream = BufReader::new(rustls::StreamOwned::new(tls, tcp));
    let response = match http::read_head(&mut stream) {
        Err(Refused::Gone) => return,
        Err(Refused::Status(status, message)) => Response::error(status, message),
        Ok(request) => respond(shared, &request, &mut stream),
    };
    let stream = stream.get_mut();
    let _ = response.write_to(stream);
    stream.conn.send_close_notify();
    let _ = stream.conn.complete_io(&mut stream.sock);
}

/// The page's own files, served to anyone (they hold no data).
const PAGE: &str = include_str!("../../../ui/capture/index.html");
const SCRIPT: &str = include_str!("../../../ui/capture/capture.js");
const STYLE: &str = include_str!("../../../ui/capture/capture.css");

fn respond<D: Desk>(
    shared: &Shared<D>,
    request: &Request,
    body: &mut impl std::io::Read,
) -> Response {
    if shared.stop.load(Ordering::SeqCst) {
        return Response::error(503, "this capture is closed");
    }
    if !shared.within_rate() {
        return Response::error(429, "too many requests; wait a minute");
    }
    let method = request.method.as_str();
    match (method, request.path.as_str()) {
        ("GET", "/capture.js") => return Response::new(200, "text/javascript", SCRIPT),
        ("GET", "/capture.css") => return Response::new(200, "text/css", STYLE),
        ("GET", path) if path.starts_with("/pair/") => return pair(shared, &path[6..]),
        _ => {}
    }
    if !paired(shared, request) {
        if request.path != "/" {
            return Response::error(
                403,
                "this phone is not paired; scan the code on the computer",
            );
        }
        return message_page(
            403,
            "This phone is not paired",
            "Scan the code shown on the computer to take photos for this client.",
        );
    }
    match (method, request.path.as_str()) {
        ("GET", "/") => Response::new(200, "text/html; charset=utf-8", PAGE),
        ("GET", "/plan") => plan(shared),
        ("GET", path) if path.starts_with("/guide/") => guide(shared, &path[7..]),
        ("POST", "/upload") => upload(shared, request, body),
        (_, "/" | "/plan" | "/upload") => Response::error(405, "not allowed here"),
        _ => Response::error(404, "nothing here"),
    }
}

/// Spends the token: the first phone to bring it gets the cookie.
fn pair<D: Desk>(shared: &Shared<D>, token: &str) -> Response {
    let spent = shared.pairing().spend(token);
    let Some(cookie) = spent else {
        return message_page(
            410,
            "This code cannot be used",
            "It was used already, or it expired. Ask for a new code on the computer.",
        );
    };
    shared.desk.paired();
    Response::new(303, "text/plain", "paired")
        .with("Location", "/".to_owned())
        .with(
            "Set-Cookie",
            format!("{COOKIE}={cookie}; Path=/; Secure; HttpOnly; SameSite=Strict"),
        )
}

fn paired<D>(shared: &Shared<D>, request: &Request) -> bool {
    let mut pairing = shared.pairing();
    let ok = match (&pairing.cookie, request.cookie(COOKIE)) {
        (Some(ours), Some(theirs)) => same(ours.as_bytes(), theirs.as_bytes()),
        _ => false,
    };
    if ok {
        pairing.last_seen = Instant::now();
    }
    ok
}

/// Compares secrets in time that does not depend on where they differ.
fn same(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

fn failure(error: &Error) -> Response {
    let status = match error.kind() {
        pinpoint_core::ErrorKind::Invalid | pinpoint_core::ErrorKind::Conflict => 422,
        pinpoint_core::ErrorKind::NotFound => 404,
        pinpoint_core::ErrorKind::Forbidden | pinpoint_core::ErrorKind::Locked => 403,
        _ => 503,
    };
    Response::error(status, &error.to_string())
}

fn plan<D: Desk>(shared: &Shared<D>) -> Response {
    match shared
        .desk
        .act(|ctx| core_capture::capture_plan(ctx, shared.target))
    {
        Ok(plan) => {
            shared
                .guides
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .extend(guides_of(&plan));
            Response::json(200, &PagePlan::from(&plan))
        }
        Err(e) => failure(&e),
    }
}

fn guide<D: Desk>(shared: &Shared<D>, id: &str) -> Response {
    let Ok(id) = id.parse::<PhotoId>() else {
        return Response::error(404, "no such guide");
    };
    let allowed = shared
        .guides
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .contains(&id);
    if !allowed {
        return Response::error(404, "no such guide");
    }
    match shared
        .desk
        .act(|ctx| photos::photo_file(ctx, id, PhotoSize::Preview))
    {
        Ok(file) => Response::new(200, "image/jpeg", file.bytes),
        Err(e) => failure(&e),
    }
}

fn upload<D: Desk>(
    shared: &Shared<D>,
    request: &Request,
    body: &mut impl std::io::Read,
) -> Response {
    let upload = match upload_of(request) {
        Ok(upload) => upload,
        Err(e) => return failure(&e),
    };
    if shared.uploads.fetch_add(1, Ordering::SeqCst) >= MAX_UPLOADS {
        return Response::error(429, "this capture has taken as many photos as it may");
    }
    let bytes = match http::read_body(body, request, MAX_UPLOAD_BYTES) {
        Ok(bytes) => bytes,
        Err(Refused::Status(status, message)) => return Response::error(status, message),
        Err(Refused::Gone) => return Response::error(400, "the photo did not arrive whole"),
    };
    let result = shared
        .desk
        .act(|ctx| core_capture::capture_upload(ctx, shared.target, &upload, bytes));
    match result {
        Ok(result) => {
            shared.desk.arrived(&result);
            match (&result.photo, &result.refused) {
                (Some(photo), _) => Response::json(
                    200,
                    &serde_json::json!({
                        "photo": photo.id,
                        "duplicate": result.duplicate,
                        "alignment": result.alignment.map(|a| serde_json::json!({
                            "applied": a.applied,
                            "confidence": a.confidence,
                        })),
                    }),
                ),
                (None, Some(refusal)) => Response::error(422, &refusal.message),
                (None, None) => Response::error(503, "the photo was not stored"),
            }
        }
        Err(e) => failure(&e),
    }
}

/// What an upload's query says: kind, zone, pose, conditions, file name.
fn upload_of(request: &Request) -> Result<CaptureUpload, Error> {
    let needed = |name: &'static str| {
        request
            .param(name)
            .ok_or_else(|| Error::invalid(name, format!("the upload does not say its {name}")))
    };
    let conditions = request
        .param("conditions")
        .unwrap_or("")
        .split(',')
        .filter(|c| !c.is_empty())
        .take(CaptureCondition::ALL.len() + 1)
        .map(CaptureCondition::parse)
        .collect::<Result<Vec<_>, _>>()?;
    Ok(CaptureUpload {
        kind: PhotoKind::parse(needed("kind")?)?,
        zone: needed("zone")?.chars().take(64).collect(),
        pose: PhotoPose::parse(needed("pose")?)?,
        conditions,
        name: request.param("name").unwrap_or("").to_owned(),
    })
}

/// The plan as the page reads it.
#[derive(Serialize)]
struct PagePlan<'a> {
    client: &'a str,
    moment: &'a str,
    kinds: Vec<&'static str>,
    shots: Vec<PageShot<'a>>,
    conditions: Vec<&'static str>,
}

#[derive(Serialize)]
struct PageShot<'a> {
    zone: &'a str,
    zone_name: &'a str,
    pose: &'static str,
    guide: Option<String>,
    taken: Vec<&'static str>,
}

impl<'a> From<&'a CapturePlan> for PagePlan<'a> {
    fn from(plan: &'a CapturePlan) -> PagePlan<'a> {
        PagePlan {
            client: &plan.client,
            moment: &plan.moment,
            kinds: plan.kinds.iter().map(|k| k.as_str()).collect(),
            shots: plan
                .shots
                .iter()
                .map(|s| PageShot {
                    zone: &s.zone,
                    zone_name: &s.zone_name,
                    pose: s.pose.as_str(),
                    guide: s.guide.map(|id| format!("/guide/{id}")),
                    taken: s.taken.iter().map(|k| k.as_str()).collect(),
                })
                .collect(),
            conditions: plan.conditions.iter().map(|c| c.as_str()).collect(),
        }
    }
}

/// A small page saying what happened, in the page's own style.
fn message_page(status: u16, title: &str, text: &str) -> Response {
    let html = format!(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>{title}</title><link rel=\"icon\" href=\"data:,\">\
         <link rel=\"stylesheet\" href=\"/capture.css\"></head>\
         <body><main class=\"message\"><h1>{title}</h1><p>{text}</p></main></body></html>"
    );
    Response::new(status, "text/html; charset=utf-8", html)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_token_pairs_once_and_only_while_fresh() {
        let token = tls::random_hex(16);
        let mut pairing = Pairing::new(token.clone());
        assert_eq!(pairing.spend(&tls::random_hex(16)), None, "another token");
        assert_eq!(pairing.spend(&token[..31]), None, "a shorter one");
        let cookie = pairing.spend(&token).expect("the first use pairs");
        assert_eq!(cookie.len(), 64);
        assert_eq!(pairing.spend(&token), None, "the second use does not");

        let mut late = Pairing::new(token.clone());
        late.opened = Instant::now() - PAIRING - Duration::from_secs(1);
        assert_eq!(late.spend(&token), None, "an expired token does not");
    }

    #[test]
    fn secrets_compare_whole() {
        assert!(same(b"abc", b"abc"));
        assert!(!same(b"abc", b"abd"));
        assert!(!same(b"abc", b"ab"));
        assert!(!same(b"", b"a"));
    }

    #[test]
    fn the_qr_code_is_an_svg_of_the_url() {
        let svg = qr_svg("https://192.168.1.20:47310/pair/0123456789abcdef0123456789abcdef");
        assert!(
            svg.starts_with("<?xml") || svg.starts_with("<svg"),
            "{svg:.40}"
        );
        assert!(svg.contains("</svg>"));
    }

    #[test]
    fn an_upload_says_what_it_is_or_is_refused_by_name() {
        let head = |q: &str| {
            http::read_head(&mut BufReader::new(
                format!("POST /upload?{q} HTTP/1.1\r\n\r\n").as_bytes(),
            ))
            .unwrap()
        };
        let up = upload_of(&head(
            "kind=after&zone=cheeks&pose=left_45&conditions=makeup_off,hair_back&name=IMG_1.HEIC",
        ))
        .unwrap();
        assert_eq!(up.kind, PhotoKind::After);
        assert_eq!(up.pose, PhotoPose::Left45);
        assert_eq!(
            up.conditions,
            [CaptureCondition::MakeupOff, CaptureCondition::HairBack]
        );
        let e = upload_of(&head("kind=after&zone=cheeks")).unwrap_err();
        assert!(e.to_string().contains("pose"), "{e}");
        let e = upload_of(&head("kind=after&zone=cheeks&pose=front&conditions=wet")).unwrap_err();
        assert!(e.to_string().contains("capture condition"), "{e}");
    }
}
