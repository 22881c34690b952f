//! A Garage cluster of Pinpoint's own in a folder, every node on loopback:
//! for the tests, the benchmarks and the clinic demo. A clinic's real
//! cluster is set up by its IT (README, "Clinic mode").
//!
//! It runs the `garage` program that `.ci/setup` builds with
//! `cargo install garage` (found on the PATH, in `~/.cargo/bin`, or in
//! `PINPOINT_GARAGE`). One node, or three keeping every object three times
//! (replication factor 3), as a clinic that cares for its photos would.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Mutex, PoisonError};
use std::time::{Duration, Instant};

use crate::db::connection::PhotoBucket;
use crate::db::local::free_port;
use crate::{Error, Result};

/// The bucket a local cluster is made with.
pub const BUCKET: &str = "pinpoint-photos";
/// The file in a cluster's folder that notes its key and ports.
const RECORD: &str = "cluster.txt";
/// The region Garage answers as.
const REGION: &str = "garage";
/// The longest wait for a node to come up, or for the cluster to take a
/// new layout.
const STARTUP: Duration = Duration::from_secs(60);

/// A running local cluster; stopped when dropped.
#[derive(Debug)]
pub struct LocalGarage {
    folder: PathBuf,
    program: PathBuf,
    nodes: Vec<Node>,
    access_key: String,
    secret_key: String,
}

#[derive(Debug)]
struct Node {
    config: PathBuf,
    s3_port: u16,
    child: Mutex<Option<Child>>,
}

impl LocalGarage {
    /// Starts `nodes` nodes (1 or 3) in `folder`, joins them into one
    /// cluster keeping every object on each, and makes the bucket
    /// [`BUCKET`] with a key that may read and write it.
    pub fn start(folder: &Path, nodes: usize) -> Result<LocalGarage> {
        if !matches!(nodes, 1 | 3) {
            return Err(Error::invalid_input("a local cluster has 1 or 3 nodes"));
        }
        let program = program()?;
        crate::private::create_dir_all(folder)
            .map_err(|e| Error::io(format!("cannot create {}", folder.display()), e))?;
        let rpc_secret = crate::hex::encode(&random_bytes::<32>());
        let mut started = Vec::new();
        for n in 0..nodes {
            let dir = folder.join(format!("node-{n}"));
            let (rpc, s3, admin) = (free_port()?, free_port()?, free_port()?);
            let config = dir.join("garage.toml");
            let text = format!(
                "metadata_dir = \"{meta}\"\n\
                 data_dir = \"{data}\"\n\
                 db_engine = \"sqlite\"\n\
                 compression_level = \"none\"\n\
                 replication_factor = {nodes}\n\
                 rpc_bind_addr = \"127.0.0.1:{rpc}\"\n\
                 rpc_public_addr = \"127.0.0.1:{rpc}\"\n\
                 rpc_secret = \"{rpc_secret}\"\n\
                 [s3_api]\n\
                 s3_region = \"{REGION}\"\n\
                 api_bind_addr = \"127.0.0.1:{s3}\"\n\
                 root_domain = \".s3.garage.localhost\"\n\
                 [admin]\n\
                 api_bind_addr = \"127.0.0.1:{admin}\"\n",
                meta = path_text(&dir.join("meta"))?,
                data = path_text(&dir.join("data"))?,
            );
            crate::private::create_dir_all(&dir)
                .map_err(|e| Error::io(format!("cannot create {}", dir.display()), e))?;
            crate::photo::files::write_atomically(&config, text.as_bytes(), true)
                .map_err(|e| Error::io(format!("cannot write {}", config.display()), e))?;
            started.push(Node {
                config,
                s3_port: s3,
                child: Mutex::new(None),
            });
        }
        let garage = LocalGarage {
            folder: folder.to_owned(),
            program,
            nodes: started,
            access_key: format!("GK{}", crate::hex::encode(&random_bytes::<12>())),
            secret_key: crate::hex::encode(&random_bytes::<32>()),
        };
        for n in 0..nodes {
            garage.start_node(n)?;
        }
        let ids = (0..nodes)
            .map(|n| garage.node_id(n))
            .collect::<Result<Vec<_>>>()?;
        for id in &ids[1..] {
            garage.admin(&["node", "connect", id])?;
        }
        for id in &ids {
            let short = id.split('@').next().unwrap_or(id);
            garage.admin(&["layout", "assign", "-z", "dc1", "-c", "1G", short])?;
        }
        garage.admin(&["layout", "apply", "--version", "1"])?;
        garage.admin(&["bucket", "create", BUCKET])?;
        garage.admin(&[
            "key",
            "import",
            "--yes",
            "-n",
            "pinpoint",
            &garage.access_key,
            &garage.secret_key,
        ])?;
        garage.admin(&[
            "bucket",
            "allow",
            "--read",
            "--write",
            "--owner",
            BUCKET,
            "--key",
            &garage.access_key,
        ])?;
        garage.wait_for_bucket()?;
        garage.record()?;
        Ok(garage)
    }

    /// The cluster in `folder` as it was left: `None` if none was made
    /// there. Its nodes are started again unless they are running (another
    /// process started them); the second value says whether this call
    /// started them (they stop when the value drops).
    pub fn resume(folder: &Path) -> Result<Option<(LocalGarage, bool)>> {
        let recorded = match std::fs::read_to_string(folder.join(RECORD)) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(Error::io(format!("cannot read {RECORD}"), e)),
        };
        let damaged = || Error::Damaged(format!("{} is damaged", folder.join(RECORD).display()));
        let mut lines = recorded.lines();
        let access_key = lines.next().ok_or_else(damaged)?.to_owned();
        let secret_key = lines.next().ok_or_else(damaged)?.to_owned();
        let nodes = lines
            .enumerate()
            .map(|(n, port)| {
                Ok(Node {
                    config: folder.join(format!("node-{n}")).join("garage.toml"),
                    s3_port: port.parse().map_err(|_| damaged())?,
                    child: Mutex::new(None),
                })
            })
            .collect::<Result<Vec<_>>>()?;
        if nodes.is_empty() {
            return Err(damaged());
        }
        let garage = LocalGarage {
            folder: folder.to_owned(),
            program: program()?,
            nodes,
            access_key,
            secret_key,
        };
        let address = std::net::SocketAddr::from(([127, 0, 0, 1], garage.nodes[0].s3_port));
        if std::net::TcpStream::connect_timeout(&address, Duration::from_secs(2)).is_ok() {
            return Ok(Some((garage, false)));
        }
        for n in 0..garage.nodes.len() {
            garage.start_node(n)?;
        }
        for n in 0..garage.nodes.len() {
            garage.node_id(n)?;
        }
        garage.wait_for_all_nodes()?;
        garage.wait_for_bucket()?;
        Ok(Some((garage, true)))
    }

    /// Notes the key and the ports in the folder (owner-only), for
    /// [`LocalGarage::resume`].
    fn record(&self) -> Result<()> {
        let mut text = format!("{}\n{}\n", self.access_key, self.secret_key);
        for node in &self.nodes {
            text.push_str(&format!("{}\n", node.s3_port));
        }
        crate::photo::files::write_atomically(&self.folder.join(RECORD), text.as_bytes(), true)
            .map_err(|e| Error::io(format!("cannot write {RECORD}"), e))
    }

    /// The bucket as a clinic connection names it (node 0's S3 API).
    pub fn photo_bucket(&self) -> PhotoBucket {
        PhotoBucket {
            endpoint: format!("http://127.0.0.1:{}", self.nodes[0].s3_port),
            bucket: BUCKET.to_owned(),
            region: REGION.to_owned(),
            access_key: self.access_key.clone(),
        }
    }

    /// The secret of the bucket's key.
    pub fn secret_key(&self) -> &str {
        &self.secret_key
    }

    /// A client for the bucket.
    pub fn bucket(&self) -> Result<super::Bucket> {
        super::Bucket::new(&self.photo_bucket(), &self.secret_key, None)
    }

    /// Stops node `n` at once, as a crash or a pulled cable would.
    pub fn kill_node(&self, n: usize) -> Result<()> {
        let node = self.node(n)?;
        if let Some(mut child) = node
            .child
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .take()
        {
            let _ = child.kill();
            let _ = child.wait();
        }
        Ok(())
    }

    /// Starts node `n` again (after [`LocalGarage::kill_node`]), with what
    /// it had on disk.
    pub fn restart_node(&self, n: usize) -> Result<()> {
        self.start_node(n)?;
        let id = self.node_id(n)?;
        if n > 0 {
            // At once, rather than when node 0 next tries on its own.
            self.admin(&["node", "connect", &id])?;
        }
        self.wait_for_all_nodes()
    }

    /// Waits until node 0 sees every node up again (a restarted node is
    /// reconnected a moment after it starts).
    fn wait_for_all_nodes(&self) -> Result<()> {
        let deadline = Instant::now() + STARTUP;
        loop {
            // A node just started may not take commands for a moment.
            let status = self.admin(&["status"]).unwrap_or_else(|e| e.to_string());
            let failed = status.to_lowercase().contains("failed node");
            if !failed && status.contains("HEALTHY NODES") {
                return Ok(());
            }
            if Instant::now() > deadline {
                return Err(Error::io(
                    "the photo store's nodes did not all come back",
                    std::io::Error::other(status),
                ));
            }
            std::thread::sleep(Duration::from_millis(200));
        }
    }

    /// Makes sure every node stops, and the folder goes, once process
    /// `pid` has ended however it ended: for a cluster kept in a `static`.
    pub fn stop_when_gone(&self, pid: u32) -> Result<()> {
        self.watch(pid, true)
    }

    /// [`LocalGarage::stop_when_gone`], keeping the cluster's files (the
    /// demo's photos, kept between runs).
    pub fn stop_when_gone_keeping_files(&self, pid: u32) -> Result<()> {
        self.watch(pid, false)
    }

    fn watch(&self, pid: u32, remove: bool) -> Result<()> {
        let folder = path_text(&self.folder)?;
        let pids: Vec<String> = self
            .nodes
            .iter()
            .filter_map(|node| {
                let child = node.child.lock().unwrap_or_else(PoisonError::into_inner);
                child.as_ref().map(|c| c.id().to_string())
            })
            .collect();
        let remove = if remove {
            format!("; sleep 1; rm -rf '{folder}'")
        } else {
            String::new()
        };
        let script = format!(
            "while kill -0 {pid} 2>/dev/null; do sleep 1; done; kill {pids} 2>/dev/null; \
             sleep 2; kill -9 {pids} 2>/dev/null{remove}",
            pids = pids.join(" ")
        );
        Command::new("sh")
            .args(["-c", &script])
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .map_err(|e| Error::io("cannot start the photo store's watchdog", e))?;
        Ok(())
    }

    fn node(&self, n: usize) -> Result<&Node> {
        self.nodes
            .get(n)
            .ok_or_else(|| Error::invalid_input(format!("the cluster has no node {n}")))
    }

    fn start_node(&self, n: usize) -> Result<()> {
        let node = self.node(n)?;
        let log = crate::private::create_file(&self.folder.join(format!("node-{n}.log")))
            .map_err(|e| Error::io("cannot write the photo store's log", e))?;
        let err = log
            .try_clone()
            .map_err(|e| Error::io("cannot write the photo store's log", e))?;
        let child = Command::new(&self.program)
            .arg("-c")
            .arg(&node.config)
            .arg("server")
            .env("RUST_LOG", "warn")
            .stdin(Stdio::null())
            .stdout(log)
            .stderr(err)
            .spawn()
            .map_err(|e| Error::io(format!("cannot start {}", self.program.display()), e))?;
        *node.child.lock().unwrap_or_else(PoisonError::into_inner) = Some(child);
        Ok(())
    }

    /// Node `n`'s `id@address`, once it takes commands (`node id` alone
    /// reads the node's key file, so `status` is asked too: it needs the
    /// node's RPC port listening).
    fn node_id(&self, n: usize) -> Result<String> {
        let node = self.node(n)?;
        let deadline = Instant::now() + STARTUP;
        loop {
            let answered = self
                .run(&node.config, &["node", "id", "-q"])
                .and_then(|id| self.run(&node.config, &["status"]).map(|_| id));
            match answered {
                Ok(id) => return Ok(id.trim().to_owned()),
                Err(e) if Instant::now() > deadline => return Err(e),
                Err(_) => std::thread::sleep(Duration::from_millis(100)),
            }
        }
    }

    /// Waits until the bucket takes requests with the key (the layout and
    /// the key reach every node a moment after they are made).
    fn wait_for_bucket(&self) -> Result<()> {
        let bucket = self.bucket()?;
        let deadline = Instant::now() + STARTUP;
        loop {
            let probe = bucket
                .put(".pinpoint-probe", b"ready")
                .and_then(|()| bucket.delete(".pinpoint-probe"));
            match probe {
                Ok(()) => return Ok(()),
                Err(e) if Instant::now() > deadline => return Err(e),
                Err(_) => std::thread::sleep(Duration::from_millis(200)),
            }
        }
    }

    /// Runs an administration command against node 0.
    fn admin(&self, args: &[&str]) -> Result<String> {
        self.run(&self.nodes[0].config, args)
    }

    fn run(&self, config: &Path, args: &[&str]) -> Result<String> {
        let output = Command::new(&self.program)
            .arg("-c")
            .arg(config)
            .args(args)
            .env("RUST_LOG", "warn")
            .stdin(Stdio::null())
            .output()
            .map_err(|e| Error::io(format!("cannot run {}", self.program.display()), e))?;
        if output.status.success() {
            return Ok(String::from_utf8_lossy(&output.stdout).into_owned());
        }
        Err(Error::io(
            format!("garage {} failed ({})", args.join(" "), output.status),
            std::io::Error::other(String::from_utf8_lossy(&output.stderr).trim().to_owned()),
        ))
    }
}

impl Drop for LocalGarage {
    fn drop(&mut self) {
        for n in 0..self.nodes.len() {
            let _ = self.kill_node(n);
        }
    }
}

/// The `garage` program.
pub fn program() -> Result<PathBuf> {
    if let Some(path) = std::env::var_os("PINPOINT_GARAGE") {
        return Ok(PathBuf::from(path));
    }
    let on_path = std::env::var_os("PATH")
        .into_iter()
        .flat_map(|p| std::env::split_paths(&p).collect::<Vec<_>>())
        .chain(std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cargo/bin")))
        .map(|dir| dir.join("garage"))
        .find(|path| path.is_file());
    on_path.ok_or_else(|| {
        Error::io(
            "Garage is not installed",
            std::io::Error::other(
                "build it with `cargo install garage --version 2.5.0 --locked` \
                 (`bash .ci/setup` does), or set PINPOINT_GARAGE",
            ),
        )
    })
}

fn random_bytes<const N: usize>() -> [u8; N] {
    use chacha20poly1305::aead::rand_core::RngCore as _;
    let mut bytes = [0u8; N];
    chacha20poly1305::aead::OsRng.fill_bytes(&mut bytes);
    bytes
}

fn path_text(path: &Path) -> Result<String> {
    path.to_str().map(str::to_owned).ok_or_else(|| {
        Error::invalid_input(format!(
            "{} is not a UTF-8 path, which Garage's configuration needs",
            path.display()
        ))
    })
}
