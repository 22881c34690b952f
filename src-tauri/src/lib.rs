//! The desktop shell: opens the window, holds the open data folder, and hands
//! the typed commands to the web front end.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::atomic::AtomicBool;
use std::sync::Mutex;

use pinpoint_core::Store;

pub mod cli;
mod clock;
pub mod commands;
mod instance;
mod protocol;

/// What every command can reach: the one open data folder.
#[derive(Debug)]
pub struct AppState {
    store: Mutex<Store>,
    /// Set to stop a running backup.
    cancel_backup: std::sync::atomic::AtomicBool,
    /// Set by `cancel_photo_import`; the running import starts no more files.
    photo_import_cancel: AtomicBool,
    /// Set by `cancel_export`; the running client export stops.
    export_cancel: AtomicBool,
    /// Set while a client export runs: one at a time, so a cancel means it.
    export_running: AtomicBool,
    /// Reports and exports written in this run: the only paths
    /// `open_path` and `reveal_path` will open.
    written: Mutex<Vec<PathBuf>>,
}

impl AppState {
    /// Runs `f` with the store; a poisoned lock (a panic in an earlier
    /// command) still gives access, since every write is a transaction.
    fn with_store<T>(&self, f: impl FnOnce(&mut Store) -> T) -> T {
        let mut store = self
            .store
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        f(&mut store)
    }

    fn new(store: Store) -> Self {
        AppState {
            store: Mutex::new(store),
            cancel_backup: Default::default(),
            photo_import_cancel: AtomicBool::new(false),
            export_cancel: AtomicBool::new(false),
            export_running: AtomicBool::new(false),
            written: Mutex::new(Vec::new()),
        }
    }

    /// Notes a file or folder the app wrote, so it may be opened later.
    fn remember_written(&self, path: &Path) {
        if let Ok(path) = path.canonicalize() {
            self.written
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner)
                .push(path);
        }
    }

    /// `path` if the app wrote it in this run; anything else is refused.
    fn written(&self, path: &Path) -> Result<PathBuf, commands::AppError> {
        let found = path.canonicalize().ok().filter(|p| {
            self.written
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner)
                .contains(p)
        });
        found.ok_or_else(|| {
            pinpoint_core::Error::invalid(
                "path",
                format!(
                    "{} is not a report or export written by this window",
                    path.display()
                ),
            )
            .into()
        })
    }
}

/// The typed command set, shared by the app and the bindings export.
pub fn specta_builder() -> tauri_specta::Builder<tauri::Wry> {
    tauri_specta::Builder::<tauri::Wry>::new()
        .disable_serde_phases()
        .commands(tauri_specta::collect_commands![
            commands::app_info,
            commands::clients::list_clients,
            commands::clients::get_client,
            commands::clients::create_client,
            commands::clients::update_client,
            commands::clients::set_client_archived,
            commands::records::client_record,
            commands::records::add_screening,
            commands::records::add_consent,
            commands::records::revoke_consent,
            commands::records::add_plan,
            commands::sessions::get_session,
            commands::sessions::preview_session,
            commands::sessions::create_session,
            commands::sessions::update_session,
            commands::sessions::sign_session,
            commands::sessions::amend_session,
            commands::clinic::get_settings,
            commands::clinic::save_settings,
            commands::clinic::list_practitioners,
            commands::clinic::add_practitioner,
            commands::clinic::list_devices,
            commands::clinic::add_device,
            commands::clinic::list_products,
            commands::clinic::add_product,
            commands::clinic::add_lot,
            commands::clinic::recall_lot,
            commands::progress::client_timeline,
            commands::progress::list_scales,
            commands::progress::add_score,
            commands::progress::add_follow_up,
            commands::progress::report_adverse_event,
            commands::progress::resolve_adverse_event,
            commands::safety::check_data,
            commands::safety::get_auto_backup,
            commands::safety::save_auto_backup,
            commands::safety::backup_now,
            commands::safety::cancel_backup,
            commands::photos::import_photos,
            commands::photos::cancel_photo_import,
            commands::photos::list_photos,
            commands::photos::set_photo_tags,
            commands::photos::set_photo_alignment,
            commands::photos::compare_candidates,
            commands::photos::importable_files,
            commands::reports::export_folder,
            commands::reports::suggest_pdf_path,
            commands::reports::export_report,
            commands::reports::export_treatment_note,
            commands::reports::export_aftercare,
            commands::reports::export_client,
            commands::reports::cancel_export,
            commands::reports::export_deidentified_photos,
            commands::reports::open_path,
            commands::reports::reveal_path,
        ])
        .events(tauri_specta::collect_events![
            commands::photos::PhotoImportProgress,
            commands::reports::ExportProgress
        ])
}

/// Writes the TypeScript bindings for the front end to `path`.
pub fn export_bindings(path: &Path) -> Result<(), String> {
    let typescript = specta_typescript::Typescript::default().header(
        "// Generated from the Rust commands by `cargo test -p pinpoint bindings`: do not edit.\n",
    );
    specta_builder()
        .export(typescript, path)
        .map_err(|e| e.to_string())
}

/// Opens the desktop window on `data_dir`.
pub fn run_app(data_dir: PathBuf) -> anyhow::Result<()> {
    use anyhow::Context as _;
    let store = match instance::open(&data_dir)
        .with_context(|| format!("cannot open the data folder {}", data_dir.display()))?
    {
        instance::Opened::First(store) => store,
        instance::Opened::Focused => {
            eprintln!(
                "Pinpoint is already open on {}; brought its window to the front",
                data_dir.display()
            );
            return Ok(());
        }
    };
    let builder = specta_builder();
    let listen_dir = data_dir.clone();
    tauri::Builder::default()
        .plugin(tauri_plugin_dialog::init())
        .plugin(tauri_plugin_opener::init())
        .manage(AppState::new(store))
        .register_asynchronous_uri_scheme_protocol(protocol::SCHEME, protocol::handle)
        .invoke_handler(builder.invoke_handler())
        .setup(move |app| {
            builder.mount_events(app);
            instance::listen(app.handle(), &listen_dir);
            let handle = app.handle().clone();
            std::thread::spawn(move || auto_backup(&handle, false));
            Ok(())
        })
        .build(tauri::generate_context!("tauri.conf.json"))
        .context("the app window failed to start")?
        .run(|app, event| match event {
            tauri::RunEvent::WindowEvent {
                event: tauri::WindowEvent::CloseRequested { .. } | tauri::WindowEvent::Destroyed,
                ..
            }
            | tauri::RunEvent::ExitRequested { .. } => instance::closing(),
            tauri::RunEvent::Exit => auto_backup(app, true),
            _ => {}
        });
    Ok(())
}

/// Runs the automatic backup when it is due (at start for a daily one, at
/// exit for an on-exit one). A failure is reported, never fatal.
fn auto_backup(app: &tauri::AppHandle, closing: bool) {
    use tauri::{Emitter, Manager};
    let state = app.state::<AppState>();
    let (_, now) = clock::today_and_now();
    // The backup itself runs on a reader, so the window stays usable while
    // it copies photos; only reading the settings and recording the finish
    // take the store.
    let due = state.with_store(|store| -> pinpoint_core::Result<_> {
        let settings = pinpoint_core::backup::auto_settings(store.conn())?;
        if !pinpoint_core::backup::due(&settings, now, closing) {
            return Ok(None);
        }
        Ok(Some(store.reader()?))
    });
    let result = due.and_then(|reader| {
        let Some(reader) = reader else {
            return Ok(None);
        };
        let summary =
            pinpoint_core::backup::run_auto(&reader, env!("CARGO_PKG_VERSION"), now, &mut |_| {
                true
            })?;
        state
            .with_store(|store| store.write(|tx| pinpoint_core::backup::remember_auto(tx, now)))?;
        Ok(Some(summary))
    });
    match result {
        Ok(Some(summary)) => {
            let _ = app.emit("auto-backup-done", summary);
        }
        Ok(None) => {}
        Err(error) => {
            eprintln!("automatic backup failed: {error}");
            let _ = app.emit("auto-backup-failed", error.to_string());
        }
    }
}

/// The entry point of the binary.
pub fn main() -> ExitCode {
    cli::main()
}

#[cfg(test)]
mod tests {
    /// The committed bindings must be what the Rust commands generate today.
    /// Run with `UPDATE_BINDINGS=1` to rewrite them after changing a command.
    #[test]
    fn bindings_are_fresh() {
        let committed = Path::new(env!("CARGO_MANIFEST_DIR")).join("ui/src/lib/api/bindings.ts");
        let fresh_dir = tempfile::tempdir().unwrap();
        let fresh = fresh_dir.path().join("bindings.ts");
        super::export_bindings(&fresh).unwrap();
        let fresh_text = std::fs::read_to_string(&fresh).unwrap();
        if std::env::var_os("UPDATE_BINDINGS").is_some() {
            std::fs::write(&committed, &fresh_text).unwrap();
        }
        let committed_text = std::fs::read_to_string(&committed).unwrap_or_default();
        assert!(
            committed_text == fresh_text,
            "ui/src/lib/api/bindings.ts is stale: run `UPDATE_BINDINGS=1 cargo test -p pinpoint bindings` and commit it"
        );
    }

    use std::path::Path;
}
