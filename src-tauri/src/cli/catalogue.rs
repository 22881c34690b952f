//! The command line for the clinic's catalogue (practitioners, devices,
//! products and lots) and lot recall.

use clap::Subcommand;
use pinpoint_core::action::catalogue::{self, NewProduct};
use pinpoint_core::catalogue::{Device, DeviceInput, Product, ProductKind};
use pinpoint_core::client::parse_date;
use pinpoint_core::practitioner::Practitioner;

use super::{print, user, Failure, Folder};

#[derive(Debug, Subcommand)]
pub enum LotCommand {
    /// Every client and session that used a cartridge, product or anaesthetic lot
    Recall {
        /// The lot number
        lot: String,
    },
}

#[derive(Debug, Subcommand)]
pub enum CatalogueCommand {
    /// Add a microneedling device
    AddDevice {
        #[arg(long)]
        model: String,
        #[arg(long, default_value = "")]
        serial: String,
        #[arg(long, value_name = "MM", default_value_t = 0.25)]
        min_depth: f64,
        #[arg(long, value_name = "MM")]
        max_depth: f64,
        #[arg(long, value_name = "MM", default_value_t = 0.25)]
        step: f64,
        /// The maker has not evaluated the device above this depth
        #[arg(long, value_name = "MM")]
        evaluated_up_to: Option<f64>,
    },
    /// Add a product: cartridge, serum, anaesthetic, aftercare or other
    AddProduct {
        #[arg(long)]
        name: String,
        #[arg(long)]
        kind: String,
        #[arg(long, default_value = "")]
        manufacturer: String,
        /// Needles per cartridge
        #[arg(long)]
        needles: Option<u32>,
    },
    /// Add a lot of a product
    AddLot {
        /// The product's name
        #[arg(long)]
        product: String,
        #[arg(long)]
        lot: String,
        #[arg(long, value_name = "YYYY-MM-DD")]
        expires: Option<String>,
    },
    /// List devices and products with their lots
    List,
    /// Add a practitioner
    AddPractitioner {
        #[arg(long)]
        name: String,
        #[arg(long, default_value = "")]
        credentials: String,
    },
}

fn parse_kind(text: &str) -> Result<ProductKind, Failure> {
    serde_json::from_value(serde_json::Value::String(text.trim().to_lowercase())).map_err(|_| {
        user(format!(
            "product kind {text:?} should be cartridge, serum, anaesthetic, aftercare or other"
        ))
    })
}

pub fn run_catalogue(
    command: CatalogueCommand,
    folder: &Folder,
    json: bool,
) -> Result<(), Failure> {
    let clinic = match command {
        CatalogueCommand::List => folder.existing()?,
        _ => folder.create()?,
    };
    let ctx = &folder.ctx(&clinic)?;
    match command {
        CatalogueCommand::AddDevice {
            model,
            serial,
            min_depth,
            max_depth,
            step,
            evaluated_up_to,
        } => {
            let input = DeviceInput {
                model,
                serial,
                min_depth_mm: min_depth,
                max_depth_mm: max_depth,
                step_mm: step,
                evaluated_up_to_mm: evaluated_up_to,
            };
            let device = catalogue::add_device(ctx, &input)?;
            print(json, &device, || {
                format!("device {}  {} {}", device.id, device.model, device.serial)
            })
        }
        CatalogueCommand::AddProduct {
            name,
            kind,
            manufacturer,
            needles,
        } => {
            let input = NewProduct {
                name,
                kind: parse_kind(&kind)?,
                manufacturer,
                needle_count: needles,
            };
            let product = catalogue::add_product(ctx, &input)?;
            print(json, &product, || {
                format!("product {}  {}", product.id, product.name)
            })
        }
        CatalogueCommand::AddLot {
            product,
            lot,
            expires,
        } => {
            let expires = expires.map(|d| parse_date("expires", &d)).transpose()?;
            let found = catalogue::find_product(ctx, &product)?;
            let added = catalogue::add_lot(ctx, found.id, &lot, expires)?;
            print(json, &added, || {
                format!("lot {} of {}", added.lot_number, found.name)
            })
        }
        CatalogueCommand::AddPractitioner { name, credentials } => {
            let added = catalogue::add_practitioner(ctx, &name, &credentials)?;
            print(json, &added, || {
                format!("practitioner {}  {}", added.id, added.name)
            })
        }
        CatalogueCommand::List => {
            #[derive(serde::Serialize)]
            struct Catalogue {
                practitioners: Vec<Practitioner>,
                devices: Vec<Device>,
                products: Vec<Product>,
            }
            let all = Catalogue {
                practitioners: catalogue::list_practitioners(ctx)?,
                devices: catalogue::list_devices(ctx)?,
                products: catalogue::list_products(ctx)?,
            };
            print(json, &all, || {
                let mut lines = Vec::new();
                for p in &all.practitioners {
                    lines.push(format!("practitioner  {}  {}", p.name, p.credentials));
                }
                for d in &all.devices {
                    lines.push(format!(
                        "device        {} {} (up to {})",
                        d.model, d.serial, d.max_depth
                    ));
                }
                for p in &all.products {
                    let lots: Vec<String> = p
                        .lots
                        .iter()
                        .map(|l| match l.expires_on {
                            Some(e) => format!("{} (exp. {e})", l.lot_number),
                            None => l.lot_number.clone(),
                        })
                        .collect();
                    lines.push(format!(
                        "{:<13} {}: {}",
                        p.kind.as_str(),
                        p.name,
                        lots.join(", ")
                    ));
                }
                lines.join("\n")
            })
        }
    }
}

/// `lot recall LOT`
pub fn run_recall(lot: &str, folder: &Folder, json: bool) -> Result<(), Failure> {
    let clinic = folder.existing()?;
    let hits = catalogue::recall_lot(&folder.ctx(&clinic)?, lot)?;
    print(json, &hits, || {
        if hits.is_empty() {
            return format!("no session used lot {lot}");
        }
        hits.iter()
            .map(|h| {
                format!(
                    "{}  {:<24} {}  session {}  {} lot {}",
                    h.session_date,
                    h.client_name,
                    h.phone.as_deref().or(h.email.as_deref()).unwrap_or(""),
                    h.session_id,
                    h.product,
                    h.lot_number
                )
            })
            .collect::<Vec<_>>()
            .join("\n")
    })
}
