//! `/board/drivers`: the driver users with their personal sign-in links. The
//! page's script asks the API for a new link (`POST /api/v1/users/{id}/link`)
//! or revokes it (`DELETE`); the token is shown once, so the server draws its
//! QR code on request (`POST /board/drivers/qr`, JSON, which cross-site forms
//! cannot send) for the dispatcher to print and hand over.

use askama::Template;
use axum::extract::State;
use axum::http::header;
use axum::response::{Html, IntoResponse, Response};
use serde::Deserialize;

use crate::api::{AppError, AppState, Json, PLANNERS};
use crate::domain::{Id, Role};
use crate::web::ctx::Ctx;
use crate::web::render;

pub struct DriverRow {
    pub id: Id,
    pub name: String,
    pub email: String,
    pub volunteer: String,
    pub active: bool,
}

#[derive(Template)]
#[template(path = "board/drivers.html")]
struct DriversPage {
    ctx: Ctx,
    drivers: Vec<DriverRow>,
    texts_json: String,
}

pub async fn page(State(state): State<AppState>, ctx: Ctx) -> Result<Html<String>, AppError> {
    ctx.require(PLANNERS)?;
    let volunteers = state.store.volunteers().await?;
    let drivers = state
        .store
        .users()
        .await?
        .into_iter()
        .filter(|u| u.role == Role::Driver)
        .map(|u| DriverRow {
            id: u.id,
            volunteer: u
                .volunteer_id
                .and_then(|v| volunteers.iter().find(|x| x.id == v))
                .map_or_else(String::new, |v| v.name.clone()),
            name: u.name,
            email: u.email,
            active: u.active,
        })
        .collect();
    render(&DriversPage {
        texts_json: ctx.t.json_prefix("board.drivers_js."),
        drivers,
        ctx,
    })
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct QrInput {
    /// The full personal link, `https://host/…`.
    link: String,
}

/// Longest link drawn; a personal link is far shorter.
const MAX_LINK: usize = 1000;

/// The link as a QR code, an SVG image.
pub fn qr_svg(link: &str) -> Result<String, AppError> {
    let code = qrcode::QrCode::new(link.as_bytes())
        .map_err(|e| AppError::invalid("link", &format!("cannot be drawn as a QR code: {e}")))?;
    let svg = code
        .render::<qrcode::render::svg::Color>()
        .min_dimensions(240, 240)
        .quiet_zone(true)
        .build();
    // The XML prolog has no place inside a page.
    Ok(svg
        .split_once("?>")
        .map_or(svg.clone(), |(_, rest)| rest.to_string()))
}

pub async fn qr(ctx: Ctx, Json(input): Json<QrInput>) -> Result<Response, AppError> {
    ctx.require(PLANNERS)?;
    let link = input.link.trim();
    if link.len() > MAX_LINK || !(link.starts_with("https://") || link.starts_with("http://")) {
        return Err(AppError::invalid(
            "link",
            "must be an http(s) link of at most 1000 characters",
        ));
    }
    Ok((
        [(header::CONTENT_TYPE, "image/svg+xml; charset=utf-8")],
        qr_svg(link)?,
    )
        .into_response())
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_link_becomes_an_svg_qr_code_without_prolog() {
        let svg = super::qr_svg("https://giro.example/d/0123456789abcdef").unwrap();
        assert!(svg.starts_with("<svg"), "{svg}");
        assert!(svg.ends_with("</svg>"));
        assert!(svg.contains("<path"));
        let longer = super::qr_svg(&format!("https://giro.example/d/{}", "x".repeat(200))).unwrap();
        assert!(longer.len() > svg.len(), "more data, more modules");
    }
}
