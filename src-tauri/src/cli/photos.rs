//! The command line for photos: `photo import`, `photo list`,
//! `photo export` and `photo align`.

use std::path::PathBuf;

use clap::{Args, Subcommand};
use pinpoint_core::action::photos::{self, PhotoImport};
use pinpoint_core::action::unwatched;
use pinpoint_core::ids::{FollowUpId, PhotoId, SessionId};
use pinpoint_core::photo::{AlignOutcome, Photo, PhotoKind, PhotoPose, PhotoSize, PhotoTags};
use serde::Serialize;

use super::{print, Failure, Folder};
use crate::capture::{Capture, Desk};
use pinpoint_core::action::capture::CaptureTarget;
use pinpoint_core::action::{Actor, Clinic, Ctx};
use pinpoint_core::photo::ImportResult;

#[derive(Debug, Subcommand)]
pub enum PhotoCommand {
    /// Import photo files (JPEG, PNG, WebP, HEIC) for a client; the same
    /// file imported twice is stored once
    Import(ImportArgs),
    /// List a client's photos, oldest first
    List {
        /// The client's id
        #[arg(long)]
        client: String,
    },
    /// Write one size of a photo to a file
    Export {
        /// The photo's id
        id: String,
        /// thumb (~320 px JPEG), preview (~1600 px JPEG) or original (as imported)
        #[arg(long, default_value = "original")]
        size: String,
        /// The file to write
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
    },
    /// Align a later photo onto an earlier one of the same zone and pose
    /// automatically (saved only when Pinpoint is confident of it)
    Align {
        /// The later photo's id
        id: String,
        /// The earlier photo's id
        #[arg(long, value_name = "ID")]
        to: String,
        /// Replace an alignment the photo already has
        #[arg(long)]
        replace: bool,
    },
    /// Take photos with a phone: open a capture for a client's session or
    /// visit and print the address to open on the phone (the code works
    /// once, for 10 minutes); each photo is imported as it arrives. Runs
    /// until the capture idles for 10 minutes or standard input closes
    Capture {
        /// The client's id
        #[arg(long)]
        client: String,
        /// The session the photos are taken at
        #[arg(long)]
        session: Option<String>,
        /// The follow-up visit the photos are taken at
        #[arg(long)]
        visit: Option<String>,
    },
}

#[derive(Debug, Args)]
pub struct ImportArgs {
    /// The client's id
    #[arg(long)]
    client: String,
    /// The session the photos belong to (the same client's)
    #[arg(long)]
    session: Option<String>,
    /// The follow-up visit the photos were taken at (instead of a session)
    #[arg(long)]
    visit: Option<String>,
    /// before, after or progress
    #[arg(long)]
    kind: String,
    /// A zone key from the clinic settings (e.g. cheeks, forehead)
    #[arg(long)]
    zone: String,
    /// front, left_45, right_45, left_90, right_90 or custom
    #[arg(long)]
    pose: String,
    /// The pose in words, for --pose custom
    #[arg(long, value_name = "TEXT")]
    custom_pose: Option<String>,
    /// The photo files
    #[arg(required = true, value_name = "FILE")]
    files: Vec<PathBuf>,
}

/// A photo as `photo import --json` prints it.
#[derive(Debug, Serialize)]
struct Imported<'a> {
    #[serde(flatten)]
    photo: &'a Photo,
    /// The same bytes were already stored; nothing new was added.
    duplicate: bool,
    /// What automatic alignment did with it, when it had an earlier photo
    /// of its zone and pose.
    auto_alignment: Option<AlignOutcome>,
}

pub fn run_photo(command: PhotoCommand, folder: &Folder, json: bool) -> Result<(), Failure> {
    match command {
        PhotoCommand::Import(args) => import(args, folder, json),
        PhotoCommand::List { client } => {
            let client = client.parse()?;
            let clinic = folder.existing()?;
            let photos = photos::list_photos(&folder.ctx(&clinic)?, client)?;
            print(json, &photos, || {
                if photos.is_empty() {
                    return "no photos".to_owned();
                }
                photos.iter().map(photo_line).collect::<Vec<_>>().join("\n")
            })
        }
        PhotoCommand::Align { id, to, replace } => {
            let id: PhotoId = id.parse()?;
            let reference: PhotoId = to.parse()?;
            let clinic = folder.existing()?;
            let done = photos::auto_align(&folder.ctx(&clinic)?, id, reference, replace)?;
            print(json, &done, || alignment_line(&done, id, reference))
        }
        PhotoCommand::Capture {
            client,
            session,
            visit,
        } => {
            let target = CaptureTarget {
                client_id: client.parse()?,
                session_id: session.as_deref().map(str::parse).transpose()?,
                follow_up_id: visit.as_deref().map(str::parse).transpose()?,
            };
            capture(target, folder)
        }
        PhotoCommand::Export { id, size, out } => {
            let id: PhotoId = id.parse()?;
            let size = PhotoSize::parse(&size)?;
            let clinic = folder.existing()?;
            let written = photos::export_photo(&folder.ctx(&clinic)?, id, size, &out)?;
            print(json, &written, || {
                format!("wrote {} ({} bytes)", written.path, written.bytes)
            })
        }
    }
}

/// The terminal's side of a capture: the clinic as the person signed in
/// with `--user`, each arrival printed, the end told to the waiting
/// command.
struct TerminalDesk {
    clinic: std::sync::Arc<Clinic>,
    actor: Actor,
    ended: std::sync::Mutex<std::sync::mpsc::Sender<String>>,
}

impl Desk for TerminalDesk {
    fn act<T>(
        &self,
        f: impl FnOnce(&Ctx<'_>) -> pinpoint_core::Result<T>,
    ) -> pinpoint_core::Result<T> {
        f(&Ctx::new(&self.clinic, crate::clock::now()).acting_as(self.actor.clone()))
    }

    fn paired(&self) {
        println!("a phone paired");
    }

    fn arrived(&self, result: &ImportResult) {
        match (&result.photo, &result.refused) {
            (Some(photo), _) => println!(
                "{}{}",
                photo_line(photo),
                match result.alignment {
                    Some(a) if a.applied => format!("  aligned (confidence {:.2})", a.confidence),
                    Some(a) => format!("  not aligned (confidence {:.2})", a.confidence),
                    None => String::new(),
                }
            ),
            (None, Some(refusal)) => println!("refused: {}", refusal.message),
            (None, None) => {}
        }
    }

    fn closed(&self, why: &str) {
        let _ = self
            .ended
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .send(why.to_owned());
    }
}

fn capture(target: CaptureTarget, folder: &Folder) -> Result<(), Failure> {
    let clinic = std::sync::Arc::new(folder.existing()?);
    let actor = folder.ctx(&clinic)?.actor;
    let (ended, end) = std::sync::mpsc::channel();
    let desk = TerminalDesk {
        clinic: clinic.clone(),
        actor,
        ended: std::sync::Mutex::new(ended.clone()),
    };
    let opened = Capture::open(desk, target, crate::capture::local_address())?;
    let info = &opened.info;
    println!("capture open for {} ({})", info.client, info.moment);
    println!("open on the phone: {}", info.url);
    println!("certificate SHA-256: {}", info.fingerprint);
    if info.loopback_only {
        println!("this computer has no local network address: only it can reach the page");
    }
    // Standard input closing (Ctrl-D, or the caller hanging up) ends it.
    std::thread::spawn(move || {
        let _ = std::io::copy(&mut std::io::stdin().lock(), &mut std::io::sink());
        let _ = ended.send("closed".to_owned());
    });
    let why = end.recv().unwrap_or_else(|_| "closed".to_owned());
    opened.close();
    println!("capture closed: {why}");
    Ok(())
}

fn import(args: ImportArgs, folder: &Folder, json: bool) -> Result<(), Failure> {
    let tags = PhotoTags {
        session_id: args
            .session
            .as_deref()
            .map(str::parse::<SessionId>)
            .transpose()?,
        follow_up_id: args
            .visit
            .as_deref()
            .map(str::parse::<FollowUpId>)
            .transpose()?,
        kind: PhotoKind::parse(&args.kind)?,
        zone: args.zone,
        pose: PhotoPose::parse(&args.pose)?,
        custom_pose: args.custom_pose,
    };
    let import = PhotoImport {
        client_id: args.client.parse()?,
        tags,
        files: args.files,
    };
    let clinic = folder.existing()?;
    let ctx = &folder.ctx(&clinic)?;
    let results = unwatched("photo import", |task| {
        photos::import_photos(ctx, &import, task)
    })?;
    let imported: Vec<Imported<'_>> = results
        .iter()
        .filter_map(|r| {
            r.photo.as_ref().map(|photo| Imported {
                photo,
                duplicate: r.duplicate,
                auto_alignment: r.alignment,
            })
        })
        .collect();
    print(json, &imported, || {
        imported
            .iter()
            .map(|i| {
                let aligned = match i.auto_alignment {
                    Some(a) if a.applied => format!(
                        "  (aligned onto {}, confidence {:.2})",
                        a.reference, a.confidence
                    ),
                    Some(a) => format!(
                        "  (not aligned: too unlike {}, confidence {:.2})",
                        a.reference, a.confidence
                    ),
                    None => String::new(),
                };
                format!(
                    "{} {}  {}{aligned}",
                    if i.duplicate {
                        "already stored"
                    } else {
                        "imported"
                    },
                    i.photo.id,
                    i.photo.original_name
                )
            })
            .collect::<Vec<_>>()
            .join("\n")
    })?;
    let refused: Vec<&str> = results
        .iter()
        .filter_map(|r| r.refused.as_ref().map(|x| x.message.as_str()))
        .collect();
    for message in &refused {
        eprintln!("refused: {message}");
    }
    if refused.is_empty() {
        Ok(())
    } else {
        Err(Failure::User(format!(
            "{} of {} files were not imported",
            refused.len(),
            results.len()
        )))
    }
}

/// What `photo align` says: the alignment saved, or why none was.
fn alignment_line(done: &photos::AutoAlignment, id: PhotoId, reference: PhotoId) -> String {
    // What rounds to nothing is shown as +0.0, not -0.0.
    let shown = |v: f64| if v.abs() < 0.05 { 0.0 } else { v };
    match (&done.photo.alignment, done.outcome.applied) {
        (Some(a), true) => format!(
            "aligned {id} onto {reference}: moved {:+.1}% × {:+.1}%, turned {:+.1}°, \
             scaled {:.3} (confidence {:.2})",
            shown(a.dx * 100.0),
            shown(a.dy * 100.0),
            shown(a.rotate_deg),
            a.scale,
            done.outcome.confidence
        ),
        _ => format!(
            "not aligned: the two photos do not match closely enough to align them \
             automatically (confidence {:.2}); nothing was changed",
            done.outcome.confidence
        ),
    }
}

fn photo_line(p: &Photo) -> String {
    let when = p
        .captured_at
        .map(|t| t.format("%Y-%m-%d %H:%M").to_string())
        .unwrap_or_else(|| format!("({} imported)", p.imported_at.format("%Y-%m-%d")));
    let pose = match &p.custom_pose {
        Some(text) => format!("custom: {text}"),
        None => p.pose.as_str().to_owned(),
    };
    format!(
        "{}  {}  {:<8} {:<12} {:<10} {}×{}  {}",
        p.id,
        when,
        p.kind.as_str(),
        p.zone,
        pose,
        p.width,
        p.height,
        p.original_name
    )
}
