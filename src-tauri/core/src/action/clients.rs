//! Actions on the client list and the client record: find, add, edit,
//! archive, and read a whole record.

use crate::client::{self, Client, ClientInput, ClientQuery, FieldError};
use crate::db::Db;
use crate::erasure::{self, Erased, ErasureReason, Retention};
use crate::ids::ClientId;
use crate::record::{self, ClientRecord};
use crate::{audit, Result};

use super::{Ctx, Permission};

/// Clients matching the search box (all active ones when it is empty).
pub fn list_clients(ctx: &Ctx<'_>, query: &ClientQuery) -> Result<Vec<Client>> {
    ctx.require(Permission::ReadClients)?;
    ctx.clinic.read(|conn| client::search(conn, query))
}

pub fn get_client(ctx: &Ctx<'_>, id: ClientId) -> Result<Client> {
    ctx.require(Permission::ReadClients)?;
    ctx.clinic.read(|conn| client::get(conn, id))
}

/// How many clients the clinic has (archived ones included).
pub fn count_clients(ctx: &Ctx<'_>) -> Result<u64> {
    ctx.require(Permission::ReadClients)?;
    ctx.clinic.read(|conn| client::count(conn))
}

/// Every problem with a client as typed so far, field by field (empty
/// when it can be saved): the form shows them as the person types.
pub fn check_client(ctx: &Ctx<'_>, input: &ClientInput) -> Vec<FieldError> {
    input.field_errors(ctx.today())
}

pub fn create_client(ctx: &Ctx<'_>, input: &ClientInput) -> Result<Client> {
    ctx.require(Permission::EditClients)?;
    let id: ClientId = ctx.id();
    ctx.write(|tx| client::create(tx, id, input, ctx.today(), ctx.now()))
}

/// Saves an edit of a client's record. `seen` is the record's
/// `updated_at` when the form was filled: when someone has changed the
/// record since, nothing is saved and the conflict names them.
pub fn update_client(
    ctx: &Ctx<'_>,
    id: ClientId,
    input: &ClientInput,
    seen: Option<chrono::DateTime<chrono::Utc>>,
) -> Result<Client> {
    ctx.require(Permission::EditClients)?;
    ctx.write(|tx| {
        if let Some(seen) = seen {
            let current = client::get(tx, id)?.updated_at;
            let what = "this client's record";
            audit::unchanged_since(
                tx,
                "client",
                &id.to_string(),
                what,
                seen,
                current,
                ctx.now(),
            )?;
        }
        client::update(tx, id, input, ctx.today(), ctx.now())
    })
}

pub fn set_client_archived(ctx: &Ctx<'_>, id: ClientId, archived: bool) -> Result<Client> {
    ctx.require(Permission::EditClients)?;
    ctx.write(|tx| client::set_archived(tx, id, archived, ctx.now()))
}

/// The client with screenings, consents, plans, sessions and visits.
///
/// A person who may not read clinical records (the front desk) gets the
/// client's identity and consents only, marked `clinical_hidden`. Opening
/// a record is noted for the audit (written with the next write).
pub fn client_record(ctx: &Ctx<'_>, id: ClientId) -> Result<ClientRecord> {
    ctx.require(Permission::ReadClients)?;
    let clinical = ctx.require(Permission::ReadClinical).is_ok();
    let consents = ctx.require(Permission::ManageConsents).is_ok();
    let mut record = ctx.clinic.read(|conn| {
        if clinical {
            record::load(conn, id)
        } else {
            record::load_front_desk(conn, id)
        }
    })?;
    if !consents {
        record.consents.clear();
    }
    ctx.note_read("view", "client", id, serde_json::json!({}));
    Ok(record)
}

/// How long `id`'s record is kept (the clinic's retention after the last
/// visit).
pub fn client_retention(ctx: &Ctx<'_>, id: ClientId) -> Result<Retention> {
    ctx.require(Permission::ReadClients)?;
    ctx.clinic.read(|conn| {
        let years = crate::settings::get(conn)?.retention_years;
        erasure::retention(conn, id, years)
    })
}

/// The records whose retention has passed, oldest last visit first: the
/// owner's list of what may be erased.
pub fn past_retention(ctx: &Ctx<'_>) -> Result<Vec<Retention>> {
    ctx.require(Permission::EraseClients)?;
    ctx.clinic.read(|conn| {
        let years = crate::settings::get(conn)?.retention_years;
        erasure::past_retention(conn, ctx.today(), years)
    })
}

/// Erases a client's whole record: every row in one transaction (the audit
/// chain keeps only a tombstone: the id, when, who and why), then the
/// photo files, then the database is rewritten (VACUUM) and its log
/// emptied, so no old copy of a row lingers in a page.
/// For retention, only once it has passed; on the client's request, at any
/// time (where the law allows: the clinic decides). `confirm_name` must be
/// the client's name as recorded, so a slip cannot erase the wrong person.
/// Backups made before keep the record until they are pruned.
pub fn erase_client(
    ctx: &Ctx<'_>,
    id: ClientId,
    reason: ErasureReason,
    confirm_name: &str,
) -> Result<Erased> {
    ctx.require(Permission::EraseClients)?;
    let found = ctx.clinic.read(|conn| client::get(conn, id))?;
    if found.name.trim().to_lowercase() != confirm_name.trim().to_lowercase() {
        return Err(crate::Error::invalid(
            "confirm_name",
            format!(
                "type the client's name exactly as recorded (\"{}\") to erase the record",
                found.name
            ),
        ));
    }
    let erased = ctx.write(|tx| {
        let years = crate::settings::get(tx)?.retention_years;
        erasure::erase(tx, id, reason, ctx.today(), years, ctx.now())
    })?;
    ctx.clinic.read(|conn| {
        erasure::remove_photo_files(conn, ctx.clinic.data_dir(), &erased.photos)?;
        match conn {
            // Rewrites the file: no page keeps an old copy of a row (a cell
            // moved by an earlier edit leaves one behind), then empties the log.
            Db::Sqlite(conn) => {
                conn.execute_batch("VACUUM;")?;
                conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))?;
                conn.query_row("PRAGMA secure_delete = OFF", [], |_| Ok(()))?;
            }
            // The clinic server's storage is its own: its vacuuming (and
            // what its administrator sets for it) reclaims the dead rows.
            Db::Postgres(_) => {}
        }
        Ok(())
    })?;
    Ok(erased.erased)
}
