//! Actions on the client list and the client record: find, add, edit,
//! archive, and read a whole record.

use crate::client::{self, Client, ClientInput, ClientQuery, FieldError};
use crate::ids::ClientId;
use crate::record::{self, ClientRecord};
use crate::Result;

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
    ctx.clinic.read(client::count)
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

pub fn update_client(ctx: &Ctx<'_>, id: ClientId, input: &ClientInput) -> Result<Client> {
    ctx.require(Permission::EditClients)?;
    ctx.write(|tx| client::update(tx, id, input, ctx.today(), ctx.now()))
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
