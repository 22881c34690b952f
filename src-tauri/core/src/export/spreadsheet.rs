//! `sessions.csv` and `zones.csv`: the client's sessions as spreadsheets,
//! with formula-looking cells defused.

use super::*;

/// A text cell that a spreadsheet would run as a formula gets a leading
/// apostrophe (documented in FORMAT.md).
pub(crate) fn cell(text: &str) -> String {
    if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{text}")
    } else {
        text.to_owned()
    }
}

pub(crate) fn csv_bytes(header: &[&str], rows: Vec<Vec<String>>) -> Result<Vec<u8>> {
    let mut out = csv::Writer::from_writer(Vec::new());
    let fail = |e: csv::Error| Error::Report(format!("the CSV cannot be written: {e}"));
    out.write_record(header).map_err(fail)?;
    for row in rows {
        out.write_record(&row).map_err(fail)?;
    }
    out.into_inner()
        .map_err(|e| Error::Report(format!("the CSV cannot be written: {e}")))
}

/// `sessions.csv`: one row per session. Returns the bytes and how many
/// zones the sessions treated.
pub fn sessions_csv(sessions: &[TreatmentSession]) -> Result<(Vec<u8>, usize)> {
    let header = [
        "session_id",
        "date",
        "started_at",
        "practitioner",
        "course_position",
        "course_length",
        "plan_id",
        "device",
        "device_serial",
        "cartridge",
        "cartridge_lot",
        "cartridge_expires_on",
        "anaesthetic",
        "anaesthetic_lot",
        "anaesthetic_applied_at",
        "anaesthetic_removed_at",
        "zones",
        "products",
        "endpoint",
        "pain",
        "immediate_reaction",
        "adverse_events",
        "aftercare",
        "notes",
        "warnings",
        "signed_at",
        "amendments",
    ];
    let opt = |v: Option<String>| v.unwrap_or_default();
    let mut zones = 0;
    let rows = sessions
        .iter()
        .map(|s| {
            zones += s.zones.len();
            vec![
                s.id.to_string(),
                s.local_date.to_string(),
                s.started_at.to_rfc3339(),
                cell(&s.practitioner),
                opt(s.course_position.map(|n| n.to_string())),
                opt(s.course_length.map(|n| n.to_string())),
                opt(s.plan_id.map(|p| p.to_string())),
                cell(&opt(s.device.as_ref().map(|d| d.model.clone()))),
                cell(&opt(s.device.as_ref().map(|d| d.serial.clone()))),
                cell(&opt(s.cartridge.as_ref().map(|c| c.product.clone()))),
                cell(&opt(s.cartridge.as_ref().map(|c| c.lot_number.clone()))),
                opt(s
                    .cartridge
                    .as_ref()
                    .and_then(|c| c.expires_on)
                    .map(|d| d.to_string())),
                cell(&opt(s.anaesthetic.as_ref().map(|a| a.product.clone()))),
                cell(&opt(s
                    .anaesthetic
                    .as_ref()
                    .and_then(|a| a.lot.as_ref())
                    .map(|l| l.lot_number.clone()))),
                opt(s.anaesthetic.as_ref().and_then(|a| a.applied_at.clone())),
                opt(s.anaesthetic.as_ref().and_then(|a| a.removed_at.clone())),
                cell(
                    &s.zones
                        .iter()
                        .map(|z| format!("{} {} x {}", z.zone_name, z.depth, z.passes))
                        .collect::<Vec<_>>()
                        .join("; "),
                ),
                cell(
                    &s.products
                        .iter()
                        .map(|p| {
                            format!(
                                "{} lot {} ({})",
                                p.lot.product,
                                p.lot.lot_number,
                                p.phase.as_str()
                            )
                        })
                        .collect::<Vec<_>>()
                        .join("; "),
                ),
                opt(s.endpoint.map(|e| e.as_str().to_owned())),
                opt(s.pain.map(|p| p.to_string())),
                cell(&s.immediate_reaction),
                cell(&s.adverse_events),
                cell(&s.aftercare),
                cell(&s.notes),
                cell(
                    &s.warnings
                        .iter()
                        .map(|w| format!("{} (reason: {})", w.message, w.reason))
                        .collect::<Vec<_>>()
                        .join("; "),
                ),
                opt(s.signed_at.map(|t| t.to_rfc3339())),
                s.amendments.len().to_string(),
            ]
        })
        .collect();
    Ok((csv_bytes(&header, rows)?, zones))
}

/// `zones.csv`: one row per treated zone per session.
pub fn zones_csv(sessions: &[TreatmentSession]) -> Result<Vec<u8>> {
    let header = [
        "session_id",
        "date",
        "zone",
        "zone_name",
        "depth_mm",
        "passes",
        "technique",
    ];
    let rows = sessions
        .iter()
        .flat_map(|s| {
            s.zones.iter().map(move |z| {
                vec![
                    s.id.to_string(),
                    s.local_date.to_string(),
                    z.zone.clone(),
                    cell(&z.zone_name),
                    z.depth.mm().to_string(),
                    z.passes.to_string(),
                    cell(&z.technique),
                ]
            })
        })
        .collect();
    csv_bytes(&header, rows)
}
