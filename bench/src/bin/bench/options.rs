//! The runner's command line: what `bench/run` passes in (folders, the
//! measuring programs' folder, run counts, the clinic's size, the app).

use std::path::PathBuf;

/// What `bench/run` passes in.
#[derive(Debug)]
pub struct Options {
    pub cache: PathBuf,
    pub mate: PathBuf,
    pub programs: PathBuf,
    pub repo: PathBuf,
    pub app: Option<PathBuf>,
    pub app_build: String,
    pub runs: usize,
    pub clinic: (u32, u32, u32),
    pub passes: usize,
    pub app_runs: usize,
    pub out: PathBuf,
    pub note: String,
}

pub fn options() -> Options {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let get = |name: &str| -> Option<String> {
        args.iter()
            .position(|a| a == name)
            .and_then(|i| args.get(i + 1))
            .cloned()
    };
    let need = |name: &str| get(name).unwrap_or_else(|| panic!("{name} is required"));
    let clinic: Vec<u32> = get("--clinic")
        .unwrap_or_else(|| "10000,200000,400000".to_owned())
        .split(',')
        .map(|n| n.parse().expect("--clinic CLIENTS,SESSIONS,PHOTOS"))
        .collect();
    Options {
        cache: need("--cache").into(),
        mate: need("--mate").into(),
        programs: need("--programs").into(),
        repo: need("--repo").into(),
        app: get("--app").map(PathBuf::from).filter(|p| p.is_file()),
        app_build: get("--app-build").unwrap_or_else(|| "release".to_owned()),
        runs: get("--runs").map_or(5, |r| r.parse().expect("--runs N")),
        clinic: (clinic[0], clinic[1], clinic[2]),
        passes: get("--passes").map_or(5, |r| r.parse().expect("--passes N")),
        app_runs: get("--app-runs").map_or(5, |r| r.parse().expect("--app-runs N")),
        out: need("--out").into(),
        note: get("--note").unwrap_or_default(),
    }
}
