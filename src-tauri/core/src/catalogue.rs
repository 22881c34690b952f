//! The clinic's equipment and supplies: devices, and products (cartridges,
//! serums, anaesthetics, aftercare) with their lots and expiry dates.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::audit;
use crate::db::{Db, Row};
use crate::depth::NeedleDepth;
use crate::ids::{DeviceId, LotId, ProductId};
use crate::store::format_instant;
use crate::{Error, Result};

/// A microneedling pen and what it can do.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Device {
    pub id: DeviceId,
    pub model: String,
    pub serial: String,
    /// The shallowest setting, e.g. 0 mm… (stored as the first step above 0).
    pub min_depth_mm: f64,
    pub max_depth: NeedleDepth,
    /// The step between settings, e.g. 0.25 mm.
    pub step_mm: f64,
    /// The maker has not evaluated the device above this depth.
    pub evaluated_up_to: Option<NeedleDepth>,
    pub archived: bool,
}

/// A new device as typed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct DeviceInput {
    pub model: String,
    pub serial: String,
    pub min_depth_mm: f64,
    pub max_depth_mm: f64,
    pub step_mm: f64,
    pub evaluated_up_to_mm: Option<f64>,
}

impl Device {
    /// Whether `depth` is one of the device's settings.
    pub fn on_step(&self, depth: NeedleDepth) -> bool {
        let step = (self.step_mm * 1000.0).round() as u32;
        let min = (self.min_depth_mm * 1000.0).round() as u32;
        step == 0 || depth.micrometres() < min || (depth.micrometres() - min).is_multiple_of(step)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum ProductKind {
    Cartridge,
    Serum,
    Anaesthetic,
    Aftercare,
    Other,
}

text_enum! {
    ProductKind, field "kind", called "product kind" {
        Cartridge = "cartridge",
        Serum = "serum",
        Anaesthetic = "anaesthetic",
        Aftercare = "aftercare",
        Other = "other",
    }
}

/// A product in the catalogue, with its lots.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Product {
    pub id: ProductId,
    pub name: String,
    pub kind: ProductKind,
    pub manufacturer: String,
    /// For cartridges: how many needles.
    pub needle_count: Option<u32>,
    pub archived: bool,
    pub lots: Vec<Lot>,
}

/// One lot (batch) of a product.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Lot {
    pub id: LotId,
    pub product_id: ProductId,
    pub lot_number: String,
    pub expires_on: Option<NaiveDate>,
}

/// A lot with the product it belongs to, as a session records it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct LotRef {
    pub lot_id: LotId,
    pub product_id: ProductId,
    pub product: String,
    pub kind: ProductKind,
    pub lot_number: String,
    pub expires_on: Option<NaiveDate>,
}

fn mm_to_um(field: &str, mm: f64) -> Result<i64> {
    if !mm.is_finite() || !(0.0..=3.0).contains(&mm) {
        return Err(Error::invalid(
            field,
            format!("{mm} mm is not a possible device depth"),
        ));
    }
    Ok((mm * 1000.0).round() as i64)
}

/// Adds a device to the clinic.
pub fn add_device<'c>(
    tx: impl Into<Db<'c>>,
    id: DeviceId,
    input: &DeviceInput,
    now: DateTime<Utc>,
) -> Result<Device> {
    let tx = tx.into();
    let model = input.model.trim();
    if model.is_empty() {
        return Err(Error::invalid("model", "the device model is empty"));
    }
    let min = mm_to_um("min_depth_mm", input.min_depth_mm)?;
    let max = mm_to_um("max_depth_mm", input.max_depth_mm)?;
    let step = mm_to_um("step_mm", input.step_mm)?;
    if max <= min {
        return Err(Error::invalid(
            "max_depth_mm",
            format!(
                "the maximum depth {} mm is not above the minimum {} mm",
                input.max_depth_mm, input.min_depth_mm
            ),
        ));
    }
    if step == 0 {
        return Err(Error::invalid(
            "step_mm",
            "the depth step must be above 0 mm",
        ));
    }
    let evaluated = input
        .evaluated_up_to_mm
        .map(|mm| mm_to_um("evaluated_up_to_mm", mm))
        .transpose()?;
    tx.execute(
        "INSERT INTO device (id, model, serial, min_depth_um, max_depth_um, step_um, evaluated_up_to_um, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        &[&id, &model, &input.serial.trim(), &min, &max, &step, &evaluated, &format_instant(now)],
    )?;
    audit::record(
        tx,
        now,
        "create",
        "device",
        &id.to_string(),
        &serde_json::json!({}),
    )?;
    get_device(tx, id)
}

fn device_from_row(row: &Row) -> Result<Device> {
    let depth = |um: u32| {
        NeedleDepth::from_micrometres(um)
            .map_err(|e| Error::Damaged(format!("a stored device depth cannot be read: {e}")))
    };
    let evaluated: Option<u32> = row.get(6)?;
    Ok(Device {
        id: row.get(0)?,
        model: row.get(1)?,
        serial: row.get(2)?,
        min_depth_mm: f64::from(row.get::<u32>(3)?) / 1000.0,
        max_depth: depth(row.get(4)?)?,
        step_mm: f64::from(row.get::<u32>(5)?) / 1000.0,
        evaluated_up_to: evaluated.map(depth).transpose()?,
        archived: row.get(7)?,
    })
}

const DEVICE_COLUMNS: &str =
    "id, model, serial, min_depth_um, max_depth_um, step_um, evaluated_up_to_um, archived";

pub fn get_device<'c>(conn: impl Into<Db<'c>>, id: DeviceId) -> Result<Device> {
    let conn = conn.into();
    conn.query_one(
        &format!("SELECT {DEVICE_COLUMNS} FROM device WHERE id = ?1"),
        &[&id],
        &format!("device {id}"),
        device_from_row,
    )
}

pub fn list_devices<'c>(conn: impl Into<Db<'c>>) -> Result<Vec<Device>> {
    let conn = conn.into();
    conn.query_map(
        &format!(
            "SELECT {DEVICE_COLUMNS} FROM device ORDER BY archived, {}, serial",
            conn.text_order("model")
        ),
        &[],
        device_from_row,
    )
}

/// Finds a device by its serial number or, failing that, its model name.
pub fn find_device<'c>(conn: impl Into<Db<'c>>, serial_or_model: &str) -> Result<Device> {
    let conn = conn.into();
    let wanted = serial_or_model.trim();
    let found = list_devices(conn)?
        .into_iter()
        .find(|d| d.serial.eq_ignore_ascii_case(wanted) || d.model.eq_ignore_ascii_case(wanted));
    found.ok_or_else(|| {
        Error::invalid(
            "device",
            format!("no device with serial or model {wanted:?}"),
        )
    })
}

/// Adds a product to the catalogue.
pub fn add_product<'c>(
    tx: impl Into<Db<'c>>,
    id: ProductId,
    name: &str,
    kind: ProductKind,
    manufacturer: &str,
    needle_count: Option<u32>,
    now: DateTime<Utc>,
) -> Result<Product> {
    let tx = tx.into();
    let name = name.trim();
    if name.is_empty() {
        return Err(Error::invalid("name", "the product name is empty"));
    }
    let exists: Option<ProductId> = tx.query_opt(
        &format!(
            "SELECT id FROM product WHERE {} AND kind = ?2",
            tx.same_text("name", "?1")
        ),
        &[&name, &kind.as_str()],
        |row| row.get(0),
    )?;
    if exists.is_some() {
        return Err(Error::Conflict(format!(
            "the catalogue already has a {} named {name:?}",
            kind.as_str()
        )));
    }
    tx.execute(
        "INSERT INTO product (id, name, kind, manufacturer, needle_count, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        &[
            &id,
            &name,
            &kind.as_str(),
            &manufacturer.trim(),
            &needle_count,
            &format_instant(now),
        ],
    )?;
    audit::record(
        tx,
        now,
        "create",
        "product",
        &id.to_string(),
        &serde_json::json!({}),
    )?;
    get_product(tx, id)
}

/// Adds a lot of a product.
pub fn add_lot<'c>(
    tx: impl Into<Db<'c>>,
    id: LotId,
    product_id: ProductId,
    lot_number: &str,
    expires_on: Option<NaiveDate>,
    now: DateTime<Utc>,
) -> Result<Lot> {
    let tx = tx.into();
    let lot_number = lot_number.trim();
    if lot_number.is_empty() {
        return Err(Error::invalid("lot_number", "the lot number is empty"));
    }
    let product = get_product(tx, product_id)?;
    if product
        .lots
        .iter()
        .any(|l| l.lot_number.eq_ignore_ascii_case(lot_number))
    {
        return Err(Error::Conflict(format!(
            "{} already has a lot {lot_number:?}",
            product.name
        )));
    }
    tx.execute(
        "INSERT INTO lot (id, product_id, lot_number, expires_on, created_at) VALUES (?1, ?2, ?3, ?4, ?5)",
        &[&id, &product_id, &lot_number, &expires_on, &format_instant(now)],
    )?;
    audit::record(
        tx,
        now,
        "create",
        "lot",
        &id.to_string(),
        &serde_json::json!({ "lot_number": lot_number }),
    )?;
    Ok(Lot {
        id,
        product_id,
        lot_number: lot_number.to_owned(),
        expires_on,
    })
}

fn product_from_row(row: &Row) -> Result<Product> {
    let id: ProductId = row.get(0)?;
    Ok(Product {
        id,
        name: row.get(1)?,
        kind: ProductKind::from_record(&row.get::<String>(2)?, format_args!("product {id}"))?,
        manufacturer: row.get(3)?,
        needle_count: row.get(4)?,
        archived: row.get(5)?,
        lots: Vec::new(),
    })
}

fn lots_of(conn: Db<'_>, product_id: ProductId) -> Result<Vec<Lot>> {
    conn.query_map(
        "SELECT id, product_id, lot_number, expires_on FROM lot WHERE product_id = ?1
         ORDER BY expires_on IS NULL, expires_on, lot_number",
        &[&product_id],
        |row| {
            Ok(Lot {
                id: row.get(0)?,
                product_id: row.get(1)?,
                lot_number: row.get(2)?,
                expires_on: row.get(3)?,
            })
        },
    )
}

pub fn get_product<'c>(conn: impl Into<Db<'c>>, id: ProductId) -> Result<Product> {
    let conn = conn.into();
    let mut product = conn.query_one(
        "SELECT id, name, kind, manufacturer, needle_count, archived FROM product WHERE id = ?1",
        &[&id],
        &format!("product {id}"),
        product_from_row,
    )?;
    product.lots = lots_of(conn, id)?;
    Ok(product)
}

/// The whole catalogue, by kind and name, each product with its lots.
/// A product of the catalogue by name, ignoring case.
pub fn find_product<'c>(conn: impl Into<Db<'c>>, name: &str) -> Result<Product> {
    list_products(conn)?
        .into_iter()
        .find(|p| p.name.eq_ignore_ascii_case(name.trim()))
        .ok_or_else(|| {
            Error::invalid(
                "product",
                format!("no product called {name:?} in the catalogue"),
            )
        })
}

pub fn list_products<'c>(conn: impl Into<Db<'c>>) -> Result<Vec<Product>> {
    let conn = conn.into();
    let mut products = conn.query_map(
        &format!(
            "SELECT id, name, kind, manufacturer, needle_count, archived FROM product
         ORDER BY archived, kind, {}",
            conn.text_order("name")
        ),
        &[],
        product_from_row,
    )?;
    for product in &mut products {
        product.lots = lots_of(conn, product.id)?;
    }
    Ok(products)
}

/// One lot with its product.
pub fn lot_ref<'c>(conn: impl Into<Db<'c>>, id: LotId) -> Result<LotRef> {
    conn.into().query_one(
        &format!("{LOT_REF} WHERE l.id = ?1"),
        &[&id],
        &format!("lot {id}"),
        lot_ref_row,
    )
}

/// The columns [`lot_ref_row`] reads: a lot with its product.
pub(crate) const LOT_REF: &str = "SELECT l.id, p.id, p.name, p.kind, l.lot_number, l.expires_on
     FROM lot l JOIN product p ON p.id = l.product_id";

/// A row of [`LOT_REF`].
pub(crate) fn lot_ref_row(row: &crate::db::Row) -> Result<LotRef> {
    let id: LotId = row.get(0)?;
    Ok(LotRef {
        lot_id: id,
        product_id: row.get(1)?,
        product: row.get(2)?,
        kind: ProductKind::from_record(&row.get::<String>(3)?, format_args!("lot {id}"))?,
        lot_number: row.get(4)?,
        expires_on: row.get(5)?,
    })
}

/// The lot `lot_number` of the product named `product` (preferring one of
/// `kind` when names repeat), adding the product (as `kind`) and the lot to
/// the catalogue when they are new, so a practitioner can record what is in
/// their hand without a detour.
pub fn resolve_lot<'c>(
    tx: impl Into<Db<'c>>,
    product: &str,
    kind: ProductKind,
    lot_number: &str,
    now: DateTime<Utc>,
) -> Result<LotRef> {
    let tx = tx.into();
    let product = product.trim();
    let lot_number = lot_number.trim();
    if product.is_empty() {
        return Err(Error::invalid("products", "a product name is empty"));
    }
    if lot_number.is_empty() {
        return Err(Error::invalid(
            "products",
            format!("the lot number of {product} is empty"),
        ));
    }
    let product_id: Option<ProductId> = tx.query_opt(
        &format!(
            "SELECT id FROM product WHERE {}
             ORDER BY kind = ?2 DESC LIMIT 1",
            tx.same_text("name", "?1")
        ),
        &[&product, &kind.as_str()],
        |row| row.get(0),
    )?;
    let product_id = match product_id {
        Some(id) => id,
        None => add_product(tx, ProductId::new(), product, kind, "", None, now)?.id,
    };
    let lot_id: Option<LotId> = tx.query_opt(
        &format!(
            "SELECT id FROM lot WHERE product_id = ?1 AND {}",
            tx.same_text("lot_number", "?2")
        ),
        &[&product_id, &lot_number],
        |row| row.get(0),
    )?;
    let lot_id = match lot_id {
        Some(id) => id,
        None => add_lot(tx, LotId::new(), product_id, lot_number, None, now)?.id,
    };
    lot_ref(tx, lot_id)
}
