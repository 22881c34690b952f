//! What differs between two versions of a session, in words, for the
//! amendment record.

use super::*;

pub(super) fn or_none(text: &str) -> String {
    if text.is_empty() {
        "(none)".to_owned()
    } else {
        format!("{text:?}")
    }
}

/// What differs between two versions of a session, in words.
pub(super) fn describe_changes(a: &TreatmentSession, b: &TreatmentSession) -> Vec<String> {
    let mut out = Vec::new();
    let mut text = |label: &str, x: &str, y: &str| {
        if x != y {
            out.push(format!("{label}: {} → {}", or_none(x), or_none(y)));
        }
    };
    text(
        "started",
        &a.started_at.to_rfc3339(),
        &b.started_at.to_rfc3339(),
    );
    text("practitioner", &a.practitioner, &b.practitioner);
    let course = |s: &TreatmentSession| match (s.plan_id, s.course_position, s.course_length) {
        (Some(_), Some(n), Some(of)) => format!("session {n} of {of}"),
        (Some(id), _, _) => format!("plan {id}"),
        _ => String::new(),
    };
    if a.plan_id != b.plan_id {
        // Two plans can read alike ("session 1 of 4"); say so by id then.
        let (x, y) = (course(a), course(b));
        if x == y {
            text(
                "treatment plan",
                &format!("{x} (plan {:?})", a.plan_id),
                &format!("{y} (plan {:?})", b.plan_id),
            );
        } else {
            text("treatment plan", &x, &y);
        }
    }
    let device = |s: &TreatmentSession| {
        s.device
            .as_ref()
            .map(|d| format!("{} {}", d.model, d.serial).trim().to_owned())
            .unwrap_or_default()
    };
    text("device", &device(a), &device(b));
    let lot = |l: &Option<LotRef>| {
        l.as_ref()
            .map(|l| format!("{} lot {}", l.product, l.lot_number))
            .unwrap_or_default()
    };
    text("cartridge", &lot(&a.cartridge), &lot(&b.cartridge));
    let anaesthetic = |s: &TreatmentSession| {
        s.anaesthetic
            .as_ref()
            .map(|x| {
                format!(
                    "{} {} {}–{}",
                    x.product,
                    x.lot.as_ref().map(|l| l.lot_number.as_str()).unwrap_or(""),
                    x.applied_at.as_deref().unwrap_or(""),
                    x.removed_at.as_deref().unwrap_or("")
                )
            })
            .unwrap_or_default()
    };
    text("anaesthetic", &anaesthetic(a), &anaesthetic(b));
    let zones = |s: &TreatmentSession| {
        s.zones
            .iter()
            .map(|z| {
                let technique = if z.technique.is_empty() {
                    String::new()
                } else {
                    format!(", {}", z.technique)
                };
                format!("{} {} × {}{technique}", z.zone_name, z.depth, z.passes)
            })
            .collect::<Vec<_>>()
            .join("; ")
    };
    text("zones", &zones(a), &zones(b));
    let products = |s: &TreatmentSession| {
        s.products
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
            .join("; ")
    };
    text("products", &products(a), &products(b));
    text(
        "endpoint",
        a.endpoint.map(Endpoint::as_str).unwrap_or(""),
        b.endpoint.map(Endpoint::as_str).unwrap_or(""),
    );
    text(
        "pain",
        &a.pain.map(|p| p.to_string()).unwrap_or_default(),
        &b.pain.map(|p| p.to_string()).unwrap_or_default(),
    );
    text(
        "immediate reaction",
        &a.immediate_reaction,
        &b.immediate_reaction,
    );
    text("adverse events", &a.adverse_events, &b.adverse_events);
    text("aftercare", &a.aftercare, &b.aftercare);
    text("notes", &a.notes, &b.notes);
    out
}
