//! The desktop shell: opens the window, holds the open data folder, and hands
//! the typed commands to the web front end.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::{Mutex, PoisonError};

use pinpoint_core::action::{Actor, Clinic, Ctx, TaskSlot};

mod capture;
pub mod cli;
mod clinic_demo;
mod clock;
pub mod commands;
mod grants;
mod instance;
mod live;
mod presence;
mod protocol;

use presence::Presence;

/// What every command can reach: the one open clinic, the slots of the
/// long tasks, and the files this run wrote.
#[derive(Debug)]
pub struct AppState {
    clinic: Clinic,
    photo_import: TaskSlot,
    client_export: TaskSlot,
    backup: TaskSlot,
    /// Reports and exports written in this run: the only paths
    /// `open_path` and `reveal_path` will open.
    written: Mutex<Vec<PathBuf>>,
    /// The paths the person gave in this run (dialogs, drops, questions).
    grants: grants::Grants,
    /// How the person is asked about a path nobody gave.
    answers: grants::Answers,
    /// Who is at the keyboard.
    presence: Mutex<Presence>,
    /// The recovery key of a folder sealed in this run, until the owner
    /// says it is kept.
    recovery_key: Mutex<Option<zeroize::Zeroizing<String>>>,
    /// The open phone capture, if any, and who opened it.
    capture: Mutex<Option<(Actor, capture::Capture)>>,
}

impl AppState {
    fn new(clinic: Clinic, presence: Presence) -> Self {
        AppState {
            clinic,
            photo_import: TaskSlot::new("photo import"),
            client_export: TaskSlot::new("client export"),
            backup: TaskSlot::new("backup"),
            written: Mutex::new(Vec::new()),
            grants: grants::Grants::default(),
            answers: grants::Answers::from_env(),
            presence: Mutex::new(presence),
            recovery_key: Mutex::new(None),
            capture: Mutex::new(None),
        }
    }

    fn keep_recovery_key(&self, key: String) {
        *self
            .recovery_key
            .lock()
            .unwrap_or_else(PoisonError::into_inner) = Some(zeroize::Zeroizing::new(key));
    }

    fn recovery_key(&self) -> Option<String> {
        self.recovery_key
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .as_ref()
            .map(|k| k.to_string())
    }

    fn forget_recovery_key(&self) {
        *self
            .recovery_key
            .lock()
            .unwrap_or_else(PoisonError::into_inner) = None;
    }

    /// The context an action runs in: this clinic, now, as the person
    /// signed in. Refused while the window is locked or nobody is signed
    /// in.
    fn ctx(&self) -> Result<Ctx<'_>, commands::AppError> {
        let actor = self.presence().actor()?;
        Ok(Ctx::new(&self.clinic, clock::now()).acting_as(actor))
    }

    /// The context of the app's own work (the automatic backup), which
    /// runs whoever is signed in; the audit names it "workstation".
    fn system_ctx(&self) -> Ctx<'_> {
        Ctx::new(&self.clinic, clock::now())
    }

    fn presence(&self) -> std::sync::MutexGuard<'_, Presence> {
        self.presence.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn set_presence(&self, presence: Presence) {
        // Reads noted so far are written under the person who made them
        // before anyone else takes the keyboard.
        let _ = self.clinic.flush_reads();
        // A capture stays open behind the lock, for the person who opened
        // it only.
        let ends = matches!(&*self.capture(), Some((actor, _)) if !presence.holds(actor));
        if ends {
            self.close_capture();
        }
        *self.presence() = presence;
    }

    fn capture(&self) -> std::sync::MutexGuard<'_, Option<(Actor, capture::Capture)>> {
        self.capture.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Keeps `opened` as the open capture.
    fn keep_capture(&self, actor: Actor, opened: capture::Capture) {
        *self.capture() = Some((actor, opened));
    }

    /// Closes the open capture, if any (waiting for its listener to stop).
    fn close_capture(&self) {
        let open = self.capture().take();
        if let Some((_, capture)) = open {
            capture.close();
        }
    }

    /// Notes a file or folder the app wrote, so it may be opened later.
    fn remember_written(&self, path: &Path) {
        if let Ok(path) = path.canonicalize() {
            self.written
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .push(path);
        }
    }

    /// `path`, resolved, when the person gave it for `want` in this run;
    /// otherwise a native question asks them (blocking: call it off the
    /// async workers). Refused when they say no.
    fn allow(
        &self,
        app: &tauri::AppHandle,
        path: &str,
        want: grants::Want,
    ) -> Result<PathBuf, commands::AppError> {
        Ok(self
            .grants
            .allow(Path::new(path), want, |question| self.ask(app, question))?)
    }

    /// Photo files to import, as [`Self::allow`] for a batch: one question
    /// for all the files nobody gave.
    fn allow_files(
        &self,
        app: &tauri::AppHandle,
        paths: &[String],
    ) -> Result<Vec<PathBuf>, commands::AppError> {
        Ok(self
            .grants
            .allow_files(paths, |question| self.ask(app, question))?)
    }

    /// Puts `question` to the person: a native dialog, or the scripted
    /// answer the end-to-end tests start the app with.
    fn ask(&self, app: &tauri::AppHandle, question: &str) -> bool {
        match self.answers {
            grants::Answers::Scripted(answer) => answer,
            grants::Answers::Native => ask_natively(app, question),
        }
    }

    /// `path` if the app wrote it in this run; anything else is refused.
    fn written(&self, path: &Path) -> Result<PathBuf, commands::AppError> {
        let found = path.canonicalize().ok().filter(|p| {
            self.written
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
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

/// Puts `question` to the person in a native dialog the page cannot
/// reach; true for "Allow".
fn ask_natively(app: &tauri::AppHandle, question: &str) -> bool {
    use tauri_plugin_dialog::{DialogExt as _, MessageDialogButtons, MessageDialogKind};
    let mut dialog = app
        .dialog()
        .message(question)
        .title("Pinpoint")
        .kind(MessageDialogKind::Warning)
        .buttons(MessageDialogButtons::OkCancelCustom(
            "Allow".to_owned(),
            "Cancel".to_owned(),
        ));
    if let Some(window) = tauri::Manager::get_webview_window(app, "main") {
        dialog = dialog.parent(&window);
    }
    dialog.blocking_show()
}

/// The state's constructor, for tests that run the window's commands on
/// Tauri's mock runtime, with `actor` signed in.
#[doc(hidden)]
pub fn state_for_tests(clinic: Clinic, actor: Actor) -> AppState {
    AppState::new(clinic, Presence::Active(actor))
}

/// The commands that need only the state (no window handle), for any
/// runtime: tests call them through Tauri's mock runtime exactly as the
/// page does.
#[doc(hidden)]
pub fn state_commands_for_tests<R: tauri::Runtime>(
) -> impl Fn(tauri::ipc::Invoke<R>) -> bool + Send + Sync + 'static {
    tauri::generate_handler![
        commands::clients::create_client,
        commands::clients::get_client,
        commands::clients::check_client,
        commands::records::add_screening,
        commands::records::add_consent,
        commands::sessions::create_session,
        commands::sessions::get_session,
        commands::sessions::preview_session,
        commands::clinic::add_practitioner,
        commands::clinic::recall_lot,
        commands::progress::client_timeline,
    ]
}

/// The typed command set, shared by the app and the bindings export.
pub fn specta_builder() -> tauri_specta::Builder<tauri::Wry> {
    tauri_specta::Builder::<tauri::Wry>::new()
        .disable_serde_phases()
        .commands(tauri_specta::collect_commands![
            commands::app_info,
            commands::accounts::auth_status,
            commands::accounts::setup_clinic,
            commands::accounts::sign_in,
            commands::accounts::claim_account,
            commands::accounts::recover_account,
            commands::accounts::dismiss_recovery_key,
            commands::accounts::save_recovery_sheet,
            commands::accounts::resume,
            commands::accounts::lock_window,
            commands::accounts::sign_out,
            commands::accounts::list_accounts,
            commands::accounts::add_account,
            commands::accounts::set_account_disabled,
            commands::accounts::set_passphrase,
            commands::accounts::access_report,
            commands::accounts::account_activity,
            commands::accounts::export_access_report,
            commands::clients::list_clients,
            commands::clients::get_client,
            commands::clients::check_client,
            commands::clients::create_client,
            commands::clients::update_client,
            commands::clients::set_client_archived,
            commands::clients::client_retention,
            commands::clients::past_retention,
            commands::clients::erase_client,
            commands::records::client_record,
            commands::records::add_screening,
            commands::records::add_consent,
            commands::records::revoke_consent,
            commands::records::add_plan,
            commands::sessions::get_session,
            commands::sessions::default_session_plan,
            commands::sessions::preview_session,
            commands::sessions::create_session,
            commands::sessions::update_session,
            commands::sessions::sign_session,
            commands::sessions::amend_session,
            commands::sessions::cosign_session,
            commands::sessions::sessions_to_cosign,
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
            commands::clinic::role_matrix,
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
            commands::photos::auto_align_photo,
            commands::photos::set_photo_portrait,
            commands::photos::client_portrait,
            commands::capture::open_capture,
            commands::capture::close_capture,
            commands::files::choose_photo_files,
            commands::files::choose_folder,
            commands::files::choose_save_path,
            commands::reports::export_folder,
            commands::reports::suggest_pdf_path,
            commands::reports::export_pdf,
            commands::reports::export_client,
            commands::reports::cancel_export,
            commands::reports::export_deidentified_photos,
            commands::reports::export_comparison,
            commands::reports::open_path,
            commands::reports::reveal_path,
        ])
        .constant("CLIENT_LIMITS", pinpoint_core::client::CLIENT_LIMITS)
        .events(tauri_specta::collect_events![
            commands::accounts::SealingProgress,
            commands::photos::PhotoImportProgress,
            commands::capture::CapturePaired,
            commands::capture::CapturePhotoArrived,
            commands::capture::CaptureClosed,
            commands::reports::ExportProgress,
            commands::safety::BackupProgress,
            commands::safety::AutoBackupDone,
            commands::safety::AutoBackupFailed,
            live::RecordsChanged
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

/// Opens the desktop window on `data_dir`; in clinic mode on the clinic's
/// `server`, with `data_dir` as this desktop's own folder.
pub fn run_app(data_dir: PathBuf, server: Option<cli::clinic::ClinicServer>) -> anyhow::Result<()> {
    match open_for_window(&data_dir, server.as_ref())? {
        Some(clinic) => open_window(clinic, data_dir, None),
        None => Ok(()),
    }
}

/// The clinic the window will show, held for this process; `None` when
/// another window has it (that window was asked to come to the front).
pub(crate) fn open_for_window(
    data_dir: &Path,
    server: Option<&cli::clinic::ClinicServer>,
) -> anyhow::Result<Option<Clinic>> {
    use anyhow::Context as _;
    let what = if server.is_some() {
        "cannot open clinic mode with the desktop folder"
    } else {
        "cannot open the data folder"
    };
    match instance::open(data_dir, server)
        .with_context(|| format!("{what} {}", data_dir.display()))?
    {
        instance::Opened::First(clinic) => Ok(Some(*clinic)),
        instance::Opened::Focused => {
            eprintln!(
                "Pinpoint is already open on {}; brought its window to the front",
                data_dir.display()
            );
            Ok(None)
        }
    }
}

/// Opens the desktop window on `clinic`, held for the folder `data_dir`.
/// `until_exit` (the clinic demo's own server) is dropped once the window
/// has closed and the app exits.
pub(crate) fn open_window(
    clinic: Clinic,
    data_dir: PathBuf,
    until_exit: Option<Box<dyn std::any::Any>>,
) -> anyhow::Result<()> {
    let mut until_exit = until_exit;
    use anyhow::Context as _;
    use tauri::Manager as _;
    let builder = specta_builder();
    let listen_dir = data_dir.clone();
    tauri::Builder::default()
        .plugin(tauri_plugin_dialog::init())
        .plugin(tauri_plugin_opener::init())
        .manage(AppState::new(clinic, Presence::SignedOut))
        .register_asynchronous_uri_scheme_protocol(protocol::SCHEME, protocol::handle)
        .invoke_handler(builder.invoke_handler())
        .setup(move |app| {
            builder.mount_events(app);
            instance::listen(app.handle(), &listen_dir);
            // In clinic mode: what the other desktops change, as it happens.
            live::follow(app.handle());
            let handle = app.handle().clone();
            std::thread::spawn(move || commands::safety::auto_backup(&handle, false));
            let handle = app.handle().clone();
            std::thread::spawn(move || loop {
                // Reads noted for the audit reach the disk within seconds.
                std::thread::sleep(std::time::Duration::from_secs(10));
                let _ = handle.state::<AppState>().clinic.flush_reads();
            });
            Ok(())
        })
        .build(tauri::generate_context!("tauri.conf.json"))
        .context("the app window failed to start")?
        .run(move |app, event| match event {
            // Files dropped on the window were given by the person; the
            // page hears of the drop only after this.
            tauri::RunEvent::WindowEvent {
                event: tauri::WindowEvent::DragDrop(tauri::DragDropEvent::Drop { paths, .. }),
                ..
            }
            | tauri::RunEvent::WebviewEvent {
                event: tauri::WebviewEvent::DragDrop(tauri::DragDropEvent::Drop { paths, .. }),
                ..
            } => app.state::<AppState>().grants.give_dropped(&paths),
            tauri::RunEvent::WindowEvent {
                event: tauri::WindowEvent::CloseRequested { .. } | tauri::WindowEvent::Destroyed,
                ..
            }
            | tauri::RunEvent::ExitRequested { .. } => instance::closing(),
            tauri::RunEvent::Exit => {
                let _ = app.state::<AppState>().clinic.flush_reads();
                commands::safety::auto_backup(app, true);
                drop(until_exit.take());
            }
            _ => {}
        });
    Ok(())
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
