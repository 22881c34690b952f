//! Actions on the clinic's settings and catalogue: settings, practitioners,
//! devices, products and their lots, and lot recall.

use chrono::NaiveDate;

use crate::catalogue::{self, Device, DeviceInput, Lot, Product, ProductKind};
use crate::ids::{DeviceId, LotId, PractitionerId, ProductId};
use crate::practitioner::{self, Practitioner};
use crate::recall::{self, RecallHit};
use crate::settings::{self, ClinicSettings};
use crate::Result;

use super::{Ctx, Permission};

pub fn get_settings(ctx: &Ctx<'_>) -> Result<ClinicSettings> {
    ctx.require(Permission::ReadCatalogue)?;
    ctx.clinic.read(|conn| settings::get(conn))
}

/// Saves the settings and returns them as stored.
pub fn save_settings(ctx: &Ctx<'_>, new: &ClinicSettings) -> Result<ClinicSettings> {
    ctx.require(Permission::ManageSettings)?;
    ctx.write(|tx| {
        settings::save(tx, new, ctx.now())?;
        settings::get(tx)
    })
}

pub fn list_practitioners(ctx: &Ctx<'_>) -> Result<Vec<Practitioner>> {
    ctx.require(Permission::ReadCatalogue)?;
    ctx.clinic.read(|conn| practitioner::list(conn))
}

/// A practitioner by id or by name.
pub fn find_practitioner(ctx: &Ctx<'_>, id_or_name: &str) -> Result<Practitioner> {
    ctx.require(Permission::ReadCatalogue)?;
    ctx.clinic.read(|conn| practitioner::find(conn, id_or_name))
}

pub fn add_practitioner(ctx: &Ctx<'_>, name: &str, credentials: &str) -> Result<Practitioner> {
    ctx.require(Permission::ManageAccounts)?;
    let id: PractitionerId = ctx.id();
    ctx.write(|tx| practitioner::create(tx, id, name, credentials, ctx.now()))
}

pub fn list_devices(ctx: &Ctx<'_>) -> Result<Vec<Device>> {
    ctx.require(Permission::ReadCatalogue)?;
    ctx.clinic.read(|conn| catalogue::list_devices(conn))
}

/// A device by serial number or model.
pub fn find_device(ctx: &Ctx<'_>, serial_or_model: &str) -> Result<Device> {
    ctx.require(Permission::ReadCatalogue)?;
    ctx.clinic
        .read(|conn| catalogue::find_device(conn, serial_or_model))
}

pub fn add_device(ctx: &Ctx<'_>, input: &DeviceInput) -> Result<Device> {
    ctx.require(Permission::ManageCatalogue)?;
    let id: DeviceId = ctx.id();
    ctx.write(|tx| catalogue::add_device(tx, id, input, ctx.now()))
}

pub fn list_products(ctx: &Ctx<'_>) -> Result<Vec<Product>> {
    ctx.require(Permission::ReadCatalogue)?;
    ctx.clinic.read(|conn| catalogue::list_products(conn))
}

/// A product of the catalogue by name, ignoring case.
pub fn find_product(ctx: &Ctx<'_>, name: &str) -> Result<Product> {
    ctx.require(Permission::ReadCatalogue)?;
    ctx.clinic.read(|conn| catalogue::find_product(conn, name))
}

/// A product for the catalogue.
#[derive(Debug, Clone)]
pub struct NewProduct {
    pub name: String,
    pub kind: ProductKind,
    pub manufacturer: String,
    /// For cartridges.
    pub needle_count: Option<u32>,
}

pub fn add_product(ctx: &Ctx<'_>, input: &NewProduct) -> Result<Product> {
    ctx.require(Permission::ManageCatalogue)?;
    let id: ProductId = ctx.id();
    ctx.write(|tx| {
        catalogue::add_product(
            tx,
            id,
            &input.name,
            input.kind,
            &input.manufacturer,
            input.needle_count,
            ctx.now(),
        )
    })
}

pub fn add_lot(
    ctx: &Ctx<'_>,
    product_id: ProductId,
    lot_number: &str,
    expires_on: Option<NaiveDate>,
) -> Result<Lot> {
    ctx.require(Permission::ManageCatalogue)?;
    let id: LotId = ctx.id();
    ctx.write(|tx| catalogue::add_lot(tx, id, product_id, lot_number, expires_on, ctx.now()))
}

/// Every session and client that used a lot number.
pub fn recall_lot(ctx: &Ctx<'_>, lot_number: &str) -> Result<Vec<RecallHit>> {
    ctx.require(Permission::ReadClinical)?;
    ctx.clinic.read(|conn| recall::recall(conn, lot_number))
}
