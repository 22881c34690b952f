//! Build script: lets tauri-build read the root `tauri.conf.json` and the
//! capabilities kept under `src-tauri/capabilities`.

fn main() {
    let attributes = tauri_build::Attributes::new()
        .capabilities_path_pattern("src-tauri/capabilities/**/*.json");
    if let Err(error) = tauri_build::try_build(attributes) {
        panic!("tauri build step failed: {error:#}");
    }
}
