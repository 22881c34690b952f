//! The `pinpoint:` URI scheme that brings photos to the page:
//! `pinpoint://localhost/photo/<id>/thumb|preview|original` (on Windows
//! `http://pinpoint.localhost/photo/...`). The id is looked up in the
//! database and the file found from the stored hash: nothing in the URL is
//! ever used as a path. A missing thumbnail or preview is made again from
//! the original.

use std::borrow::Cow;

use pinpoint_core::action::photos;
use pinpoint_core::ids::PhotoId;
use pinpoint_core::photo::PhotoSize;
use pinpoint_core::ErrorKind;
use tauri::http::{header, Request, Response, StatusCode};
use tauri::{Manager, Runtime, UriSchemeContext, UriSchemeResponder};

use crate::AppState;

/// The scheme's name, as registered on the builder.
pub const SCHEME: &str = "pinpoint";

/// Answers one request on a blocking thread (a cache rebuild decodes an
/// original).
pub fn handle<R: Runtime>(
    context: UriSchemeContext<'_, R>,
    request: Request<Vec<u8>>,
    responder: UriSchemeResponder,
) {
    let app = context.app_handle().clone();
    let path = request.uri().path().to_owned();
    let origin = request
        .headers()
        .get(header::ORIGIN)
        .and_then(|o| o.to_str().ok())
        .filter(|o| is_app_origin(o))
        .map(str::to_owned);
    tauri::async_runtime::spawn_blocking(move || {
        let mut response = respond(&app, &path);
        harden(&mut response, origin.as_deref());
        responder.respond(response);
    });
}

/// The window's own page: Tauri's origins, and the front end's dev server
/// on this computer. No other page may read a photo's pixels.
fn is_app_origin(origin: &str) -> bool {
    matches!(
        origin,
        "tauri://localhost" | "http://tauri.localhost" | "https://tauri.localhost"
    ) || origin
        .strip_prefix("http://localhost:")
        .is_some_and(|port| !port.is_empty() && port.bytes().all(|b| b.is_ascii_digit()))
}

/// Headers every answer carries: no type sniffing, and cross-origin reads
/// (the comparison view reads pixels from a canvas) only for the app's own
/// page.
fn harden(response: &mut Response<Cow<'static, [u8]>>, origin: Option<&str>) {
    let headers = response.headers_mut();
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        header::HeaderValue::from_static("nosniff"),
    );
    headers.insert(header::VARY, header::HeaderValue::from_static("Origin"));
    if let Some(value) = origin.and_then(|o| header::HeaderValue::from_str(o).ok()) {
        headers.insert(header::ACCESS_CONTROL_ALLOW_ORIGIN, value);
    }
}

fn respond<R: Runtime>(app: &tauri::AppHandle<R>, path: &str) -> Response<Cow<'static, [u8]>> {
    let Some((id, size)) = parse(path) else {
        return plain(StatusCode::NOT_FOUND, "no such photo");
    };
    let state = app.state::<AppState>();
    // A locked or signed-out window serves no photo.
    let Ok(ctx) = state.ctx() else {
        return plain(StatusCode::FORBIDDEN, "sign in to see photos");
    };
    let file = match photos::photo_file(&ctx, id, size) {
        Ok(file) => file,
        Err(e) if e.kind() == ErrorKind::NotFound => {
            return plain(StatusCode::NOT_FOUND, "no such photo")
        }
        Err(e) if e.kind() == ErrorKind::Forbidden => {
            return plain(StatusCode::FORBIDDEN, &e.to_string())
        }
        // The body says what, never where: no path leaves the scheme.
        Err(e) if e.kind() == ErrorKind::Damaged => {
            return plain(StatusCode::INTERNAL_SERVER_ERROR, "the photo is damaged")
        }
        Err(_) => {
            return plain(
                StatusCode::INTERNAL_SERVER_ERROR,
                "the photo cannot be read",
            )
        }
    };
    Response::builder()
        .status(StatusCode::OK)
        .header(header::CONTENT_TYPE, file.content_type)
        // A photo id always shows the same picture.
        .header(
            header::CACHE_CONTROL,
            "private, max-age=31536000, immutable",
        )
        .body(Cow::Owned(file.bytes))
        .unwrap_or_else(|_| plain(StatusCode::INTERNAL_SERVER_ERROR, "bad response"))
}

/// `/photo/<uuid>/<size>` → the id and size; anything else is `None`.
fn parse(path: &str) -> Option<(PhotoId, PhotoSize)> {
    let mut parts = path.trim_start_matches('/').split('/');
    let (Some("photo"), Some(id), Some(size), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return None;
    };
    let size = match size {
        "thumb" => PhotoSize::Thumb,
        "preview" => PhotoSize::Preview,
        "original" => PhotoSize::Original,
        _ => return None,
    };
    Some((id.parse().ok()?, size))
}

fn plain(status: StatusCode, message: &str) -> Response<Cow<'static, [u8]>> {
    Response::builder()
        .status(status)
        .header(header::CONTENT_TYPE, "text/plain; charset=utf-8")
        .body(Cow::Owned(message.as_bytes().to_vec()))
        .expect("a plain response")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_window_may_read_a_photo_across_origins() {
        for ours in [
            "tauri://localhost",
            "http://tauri.localhost",
            "http://localhost:5173",
        ] {
            assert!(is_app_origin(ours), "{ours}");
        }
        for other in [
            "https://evil.example",
            "http://localhost.evil.example",
            "http://localhost:",
            "null",
        ] {
            assert!(!is_app_origin(other), "{other}");
        }
        let mut answer = plain(StatusCode::NOT_FOUND, "no such photo");
        harden(&mut answer, None);
        let headers = answer.headers();
        assert_eq!(headers[header::X_CONTENT_TYPE_OPTIONS], "nosniff");
        assert!(
            !headers.contains_key(header::ACCESS_CONTROL_ALLOW_ORIGIN),
            "no wildcard for anyone"
        );
        let mut ours = plain(StatusCode::OK, "");
        harden(&mut ours, Some("tauri://localhost"));
        assert_eq!(
            ours.headers()[header::ACCESS_CONTROL_ALLOW_ORIGIN],
            "tauri://localhost"
        );
    }

    #[test]
    fn only_photo_urls_with_a_valid_id_and_size_are_understood() {
        let id = PhotoId::new();
        assert_eq!(
            parse(&format!("/photo/{id}/thumb")),
            Some((id, PhotoSize::Thumb))
        );
        assert_eq!(
            parse(&format!("/photo/{id}/original")),
            Some((id, PhotoSize::Original))
        );
        for bad in [
            "/photo/../../etc/passwd/thumb".to_owned(),
            format!("/photo/{id}/thumb/extra"),
            format!("/photo/{id}/huge"),
            format!("/photos/{id}/thumb"),
            "/photo/not-an-id/thumb".to_owned(),
            "/".to_owned(),
        ] {
            assert_eq!(parse(&bad), None, "{bad} must not be served");
        }
    }
}
