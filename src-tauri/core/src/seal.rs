//! Sealed at rest: one random data key per data folder, never written in
//! the clear, and what is derived from it.
//!
//! - The key is kept in `pinpoint.keys` only wrapped: once per account,
//!   under a key stretched from that account's passphrase (Argon2id, the
//!   parameters of `account.rs`), and once under the recovery key shown
//!   when the folder was sealed. Each wrap is XChaCha20-Poly1305 with the
//!   holder as associated data, so a wrap copied to another holder fails.
//! - The database is SQLCipher under a key derived from it (HKDF-SHA-256,
//!   "database"); photo originals, previews and thumbnails are
//!   AES-256-GCM under another ("photos"), each file's path in the
//!   data folder bound in as associated data, so a file swapped for another
//!   is caught like a flipped byte; the audit chain is an HMAC under a third
//!   ("audit").
//! - Every copy of a key is wiped when dropped (`zeroize`).
//!
//! The photo code reaches the key of an open folder through `key_for`:
//! the store registers its key when it opens sealed and removes it when it
//! closes, and a sealed folder without a registered key refuses to give or
//! take a photo rather than write one in the clear.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, PoisonError};

use aes_gcm::aead::AeadInPlace;
use aes_gcm::Aes256Gcm;
use chacha20poly1305::aead::{Aead, AeadCore, KeyInit, OsRng, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use serde::{Deserialize, Serialize};
use zeroize::Zeroizing;

use crate::ids::AccountId;
use crate::{Error, Result};

mod convert;
mod recovery;

pub(crate) use convert::finish_interrupted;
pub use convert::{seal_folder, SealProgress, STAGING_DIR};
pub use recovery::RecoveryKey;

/// The keyring's file inside the data folder.
pub const KEYRING_FILE: &str = "pinpoint.keys";

/// The first bytes of every sealed photo or cache file.
const FILE_MAGIC: &[u8; 8] = b"PPSEAL1\0";

/// A sealed file's nonce (AES-256-GCM's 96 bits, random per file: with a
/// key per data folder, a clinic would need billions of files before two
/// could share one) and its authentication tag.
const FILE_NONCE: usize = 12;
const FILE_TAG: usize = 16;

/// How much longer a sealed file is than its plain bytes: the magic, the
/// nonce and the authentication tag.
pub const FILE_OVERHEAD: u64 = (FILE_MAGIC.len() + FILE_NONCE + FILE_TAG) as u64;

/// The longest keyring read: a few hundred bytes per account.
const MAX_KEYRING_BYTES: u64 = 1 << 20;

/// A data folder's key: 32 random bytes, wiped when dropped.
pub struct DataKey(Zeroizing<[u8; 32]>);

impl std::fmt::Debug for DataKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("DataKey(..)")
    }
}

impl DataKey {
    /// A new random key from the system's generator.
    pub fn generate() -> DataKey {
        let key = XChaCha20Poly1305::generate_key(&mut OsRng);
        let mut bytes = Zeroizing::new([0u8; 32]);
        bytes.copy_from_slice(&key);
        DataKey(bytes)
    }

    /// A second copy (wiped on its own drop).
    pub fn duplicate(&self) -> DataKey {
        DataKey(self.0.clone())
    }

    pub(crate) fn from_slice(bytes: &[u8]) -> Option<DataKey> {
        let mut key = Zeroizing::new([0u8; 32]);
        if bytes.len() != key.len() {
            return None;
        }
        key.copy_from_slice(bytes);
        Some(DataKey(key))
    }

    /// The key as hex text, for a clinic server's settings (where the
    /// records themselves are kept in the clear under the server's own
    /// protection).
    pub(crate) fn to_hex(&self) -> Zeroizing<String> {
        Zeroizing::new(crate::hex::encode(self.0.as_ref()))
    }

    /// The key for one purpose, so no two uses share a key.
    fn derive(&self, purpose: &str) -> Zeroizing<[u8; 32]> {
        let mut out = Zeroizing::new([0u8; 32]);
        hkdf::Hkdf::<sha2::Sha256>::new(None, self.0.as_ref())
            .expand(format!("pinpoint v1 {purpose}").as_bytes(), out.as_mut())
            .expect("32 bytes is a valid HKDF-SHA-256 length");
        out
    }

    /// The value of `PRAGMA key` for SQLCipher: a raw 256-bit key, so
    /// opening costs no key stretching of its own.
    /// (Public so a person holding the key can open the database with
    /// `sqlite3`-like tools: `PRAGMA key = "x'…'"`.)
    pub fn database_pragma(&self) -> Zeroizing<String> {
        let key = self.derive("database");
        Zeroizing::new(format!("x'{}'", crate::hex::encode(key.as_ref())))
    }

    /// The key of the audit chain's HMAC.
    pub(crate) fn audit_key(&self) -> Zeroizing<[u8; 32]> {
        self.derive("audit")
    }

    /// The key that names a clinic's photo objects (`photo::remote`), so
    /// an object's name does not give away its photo's hash.
    pub(crate) fn object_names_key(&self) -> Zeroizing<[u8; 32]> {
        self.derive("object names")
    }

    /// The key that authenticates a backup's manifest.
    pub(crate) fn manifest_key(&self) -> Zeroizing<[u8; 32]> {
        self.derive("backup manifest")
    }

    /// Photos are AES-256-GCM: with the processor's AES and carry-less
    /// multiply instructions it seals several gigabytes a second, so an
    /// import barely notices (bench/RESULTS.md).
    fn file_cipher(&self) -> Aes256Gcm {
        let key = self.derive("photos");
        Aes256Gcm::new(aes_gcm::Key::<Aes256Gcm>::from_slice(key.as_ref()))
    }

    /// `plain` sealed as the file `name` (its path in the data folder).
    pub(crate) fn seal_file(&self, name: &str, plain: &[u8]) -> Vec<u8> {
        let mut body = plain.to_vec();
        let (head, tail) = self.seal_in_place(name, &mut body);
        let mut out = Vec::with_capacity(head.len() + body.len() + tail.len());
        out.extend_from_slice(&head);
        out.extend_from_slice(&body);
        out.extend_from_slice(&tail);
        out
    }

    /// Encrypts `body` in place as the file `name`; gives what goes before
    /// it (the magic and the nonce) and after it (the tag), so a large
    /// photo is sealed and written without a second copy of it.
    pub(crate) fn seal_in_place(
        &self,
        name: &str,
        body: &mut [u8],
    ) -> ([u8; FILE_MAGIC.len() + FILE_NONCE], [u8; FILE_TAG]) {
        let nonce = Aes256Gcm::generate_nonce(&mut OsRng);
        let tag = self
            .file_cipher()
            .encrypt_in_place_detached(&nonce, name.as_bytes(), body)
            .expect("AES-256-GCM encrypts any length a file has");
        let mut head = [0u8; FILE_MAGIC.len() + FILE_NONCE];
        head[..FILE_MAGIC.len()].copy_from_slice(FILE_MAGIC);
        head[FILE_MAGIC.len()..].copy_from_slice(&nonce);
        let mut tail = [0u8; FILE_TAG];
        tail.copy_from_slice(&tag);
        (head, tail)
    }

    /// The plain bytes of the sealed file `name`, or why not: a file that is
    /// not sealed, or one whose bytes or place changed since it was sealed.
    pub(crate) fn open_file(&self, name: &str, sealed: &[u8]) -> Result<Vec<u8>> {
        let damaged = |why: &str| Error::Damaged(format!("{name} {why}"));
        let body = sealed
            .strip_prefix(FILE_MAGIC.as_slice())
            .ok_or_else(|| damaged("is not sealed: it was written outside Pinpoint"))?;
        if body.len() < FILE_NONCE + FILE_TAG {
            return Err(damaged("is cut short"));
        }
        let (nonce, rest) = body.split_at(FILE_NONCE);
        let (ciphertext, tag) = rest.split_at(rest.len() - FILE_TAG);
        let mut plain = ciphertext.to_vec();
        self.file_cipher()
            .decrypt_in_place_detached(
                aes_gcm::Nonce::from_slice(nonce),
                name.as_bytes(),
                &mut plain,
                aes_gcm::Tag::from_slice(tag),
            )
            .map_err(|_| {
                damaged("fails its authentication check: it was changed, damaged or moved since Pinpoint sealed it")
            })?;
        Ok(plain)
    }
}

/// Whether `bytes` begin like a sealed file.
pub fn is_sealed_file(bytes: &[u8]) -> bool {
    bytes.starts_with(FILE_MAGIC)
}

/// Whether the data folder is sealed (it has a keyring).
pub fn is_sealed(data_dir: &Path) -> bool {
    data_dir.join(KEYRING_FILE).is_file()
}

/// Who a wrap of the data key belongs to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
enum Holder {
    Account { id: AccountId, name: String },
    Recovery,
}

impl Holder {
    /// What the wrap is bound to: moving it to another holder breaks it.
    fn binding(&self) -> String {
        match self {
            Holder::Account { id, .. } => format!("pinpoint.keys v1 account {id}"),
            Holder::Recovery => "pinpoint.keys v1 recovery".to_owned(),
        }
    }
}

/// The data key wrapped for one holder.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct Wrap {
    #[serde(flatten)]
    holder: Holder,
    salt: String,
    nonce: String,
    sealed: String,
}

/// The wrapped copies of a data folder's key (`pinpoint.keys`).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Keyring {
    format: u32,
    wraps: Vec<Wrap>,
}

/// A secret that unlocks a sealed folder.
#[derive(Debug, Clone, Copy)]
pub enum Unlock<'a> {
    /// An account's name and passphrase.
    Passphrase { name: &'a str, passphrase: &'a str },
    /// The recovery key, as printed (groups, dashes and case do not matter).
    Recovery(&'a str),
}

/// A key-encryption key stretched from a passphrase: the cost of every
/// guess is the cost of an Argon2id hash with the accounts' parameters.
fn passphrase_kek(passphrase: &str, salt: &[u8]) -> Result<Zeroizing<[u8; 32]>> {
    let mut kek = Zeroizing::new([0u8; 32]);
    crate::account::passphrase_argon2()
        .hash_password_into(passphrase.as_bytes(), salt, kek.as_mut())
        .map_err(|e| Error::Damaged(format!("the passphrase could not be stretched: {e}")))?;
    Ok(kek)
}

/// A key-encryption key from the recovery key: 256 random bits need no
/// stretching, only a salt.
fn recovery_kek(recovery: &RecoveryKey, salt: &[u8]) -> Zeroizing<[u8; 32]> {
    let mut kek = Zeroizing::new([0u8; 32]);
    hkdf::Hkdf::<sha2::Sha256>::new(Some(salt), recovery.bytes())
        .expand(b"pinpoint v1 recovery wrap", kek.as_mut())
        .expect("32 bytes is a valid HKDF-SHA-256 length");
    kek
}

fn wrap(key: &DataKey, holder: Holder, kek: &[u8; 32], salt: &[u8]) -> Wrap {
    let nonce = XChaCha20Poly1305::generate_nonce(&mut OsRng);
    let sealed = XChaCha20Poly1305::new(chacha20poly1305::Key::from_slice(kek))
        .encrypt(
            &nonce,
            Payload {
                msg: key.0.as_ref(),
                aad: holder.binding().as_bytes(),
            },
        )
        .expect("a 32-byte key encrypts");
    Wrap {
        holder,
        salt: crate::hex::encode(salt),
        nonce: crate::hex::encode(&nonce),
        sealed: crate::hex::encode(&sealed),
    }
}

fn unwrap(wrap: &Wrap, kek: &[u8; 32]) -> Option<DataKey> {
    let nonce = crate::hex::decode(&wrap.nonce).filter(|n| n.len() == 24)?;
    let sealed = crate::hex::decode(&wrap.sealed)?;
    let plain = Zeroizing::new(
        XChaCha20Poly1305::new(chacha20poly1305::Key::from_slice(kek))
            .decrypt(
                XNonce::from_slice(&nonce),
                Payload {
                    msg: &sealed,
                    aad: wrap.holder.binding().as_bytes(),
                },
            )
            .ok()?,
    );
    DataKey::from_slice(&plain)
}

fn new_salt() -> [u8; 16] {
    let mut salt = [0u8; 16];
    salt.copy_from_slice(&XChaCha20Poly1305::generate_nonce(&mut OsRng)[..16]);
    salt
}

/// Folds case and spacing the way account names are matched.
fn same_name(a: &str, b: &str) -> bool {
    a.trim().to_lowercase() == b.trim().to_lowercase()
}

impl Keyring {
    /// A keyring for a newly sealed folder: `key` wrapped by a new recovery
    /// key (returned, to show once) and nothing else yet.
    pub fn new(key: &DataKey) -> (Keyring, RecoveryKey) {
        let recovery = RecoveryKey::generate();
        let salt = new_salt();
        let kek = recovery_kek(&recovery, &salt);
        let keyring = Keyring {
            format: 1,
            wraps: vec![wrap(key, Holder::Recovery, &kek, &salt)],
        };
        (keyring, recovery)
    }

    /// The keyring of `data_dir`, if it is sealed.
    pub fn read(data_dir: &Path) -> Result<Option<Keyring>> {
        Self::read_file(&data_dir.join(KEYRING_FILE))
    }

    /// A keyring from its file (in a data folder or a backup's staging).
    pub fn read_file(path: &Path) -> Result<Option<Keyring>> {
        use std::io::Read as _;
        let file = match std::fs::File::open(path) {
            Ok(file) => file,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(Error::io(format!("cannot read {}", path.display()), e)),
        };
        let mut text = String::new();
        file.take(MAX_KEYRING_BYTES + 1)
            .read_to_string(&mut text)
            .map_err(|e| Error::io(format!("cannot read {}", path.display()), e))?;
        Self::parse(&text)
            .map(Some)
            .map_err(|why| Error::Damaged(format!("the keyring {} {why}", path.display())))
    }

    /// A keyring from its text, checked.
    pub fn parse(text: &str) -> std::result::Result<Keyring, String> {
        if text.len() as u64 > MAX_KEYRING_BYTES {
            return Err("is too large to be a keyring".to_owned());
        }
        let keyring: Keyring =
            serde_json::from_str(text).map_err(|e| format!("cannot be read ({e})"))?;
        if keyring.format != 1 {
            return Err(format!(
                "has format {}, which this Pinpoint does not know",
                keyring.format
            ));
        }
        Ok(keyring)
    }

    /// The keyring's text.
    pub fn to_text(&self) -> String {
        serde_json::to_string_pretty(self).expect("a keyring serializes")
    }

    /// Writes the keyring into `data_dir` (a temporary name, then a rename).
    pub fn write(&self, data_dir: &Path) -> Result<()> {
        let path = data_dir.join(KEYRING_FILE);
        crate::photo::files::write_atomically(&path, self.to_text().as_bytes(), true)
            .map_err(|e| Error::io(format!("cannot write {}", path.display()), e))
    }

    /// The names of the accounts that can unlock the folder, as stored.
    pub fn names(&self) -> Vec<(AccountId, String)> {
        self.wraps
            .iter()
            .filter_map(|w| match &w.holder {
                Holder::Account { id, name } => Some((*id, name.clone())),
                Holder::Recovery => None,
            })
            .collect()
    }

    /// Whether `account` holds a wrap.
    pub fn has_account(&self, account: AccountId) -> bool {
        self.names().iter().any(|(id, _)| *id == account)
    }

    /// Wraps `key` for `account` under `passphrase`, replacing its earlier
    /// wrap. Slow on purpose (Argon2id): outside the store's lock.
    pub fn set_account(
        &mut self,
        key: &DataKey,
        account: AccountId,
        name: &str,
        passphrase: &str,
    ) -> Result<()> {
        let salt = new_salt();
        let kek = passphrase_kek(passphrase, &salt)?;
        self.remove_account(account);
        self.wraps.push(wrap(
            key,
            Holder::Account {
                id: account,
                name: name.to_owned(),
            },
            &kek,
            &salt,
        ));
        Ok(())
    }

    /// Removes `account`'s wrap (a disabled account unlocks nothing).
    pub fn remove_account(&mut self, account: AccountId) {
        self.wraps
            .retain(|w| !matches!(&w.holder, Holder::Account { id, .. } if *id == account));
    }

    /// The data key, if `unlock` opens it, and the account it names.
    /// Refuses a wrong passphrase or recovery key without saying which part
    /// was wrong for an account.
    pub fn unlock(&self, unlock: Unlock<'_>) -> Result<(DataKey, Option<AccountId>)> {
        match unlock {
            Unlock::Passphrase { name, passphrase } => {
                let wrong = || Error::invalid("passphrase", "wrong name or passphrase");
                let found = self
                    .wraps
                    .iter()
                    .find(|w| matches!(&w.holder, Holder::Account { name: n, .. } if same_name(n, name)))
                    .ok_or_else(wrong)?;
                let salt = crate::hex::decode(&found.salt).ok_or_else(wrong)?;
                let kek = passphrase_kek(passphrase, &salt)?;
                let key = unwrap(found, &kek).ok_or_else(wrong)?;
                let id = match &found.holder {
                    Holder::Account { id, .. } => Some(*id),
                    Holder::Recovery => None,
                };
                Ok((key, id))
            }
            Unlock::Recovery(text) => {
                let recovery = RecoveryKey::parse(text)?;
                let wrong = || {
                    Error::invalid(
                        "recovery_key",
                        "this recovery key does not open this data folder",
                    )
                };
                let found = self
                    .wraps
                    .iter()
                    .find(|w| w.holder == Holder::Recovery)
                    .ok_or_else(wrong)?;
                let salt = crate::hex::decode(&found.salt).ok_or_else(wrong)?;
                let key = unwrap(found, &recovery_kek(&recovery, &salt)).ok_or_else(wrong)?;
                Ok((key, None))
            }
        }
    }
}

/// Where the head of a sealed folder's audit chain is kept: a small file
/// beside the folder (`.NAME.pinpoint-head`), outside it, so deleting the
/// last events inside the folder shows.
pub fn head_path(data_dir: &Path) -> Option<PathBuf> {
    let name = data_dir.file_name()?.to_string_lossy().into_owned();
    let parent = match data_dir.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_owned(),
        _ => PathBuf::from("."),
    };
    Some(parent.join(format!(".{name}.pinpoint-head")))
}

/// The head recorded beside the folder, if any can be read.
pub fn read_head(data_dir: &Path) -> Option<crate::audit::Head> {
    use std::io::Read as _;
    let mut text = String::new();
    std::fs::File::open(head_path(data_dir)?)
        .ok()?
        .take(4096)
        .read_to_string(&mut text)
        .ok()?;
    serde_json::from_str(&text).ok()
}

/// Records the chain's head beside the folder (best effort: a folder on a
/// read-only parent simply has no such record).
pub(crate) fn write_head(data_dir: &Path, head: &crate::audit::Head) {
    if let Some(path) = head_path(data_dir) {
        let text = serde_json::to_string(head).expect("a head serializes");
        let _ = crate::photo::files::write_atomically(&path, text.as_bytes(), false);
    }
}

/// The keys of the sealed folders open in this process.
static OPEN: Mutex<Vec<(PathBuf, Arc<DataKey>)>> = Mutex::new(Vec::new());

/// Registers the key of a sealed folder just opened.
pub(crate) fn register(data_dir: &Path, key: Arc<DataKey>) {
    let mut open = OPEN.lock().unwrap_or_else(PoisonError::into_inner);
    open.retain(|(dir, _)| dir != data_dir);
    open.push((data_dir.to_owned(), key));
}

/// Forgets the key of a folder being closed (its last copy is wiped when
/// the store drops its own).
pub(crate) fn unregister(data_dir: &Path) {
    OPEN.lock()
        .unwrap_or_else(PoisonError::into_inner)
        .retain(|(dir, _)| dir != data_dir);
}

/// The key of `data_dir` if it is sealed and open here; `None` for a folder
/// in the clear; refused for a sealed folder nobody has unlocked.
pub(crate) fn key_for(data_dir: &Path) -> Result<Option<Arc<DataKey>>> {
    let found = OPEN
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .iter()
        .find(|(dir, _)| dir == data_dir)
        .map(|(_, key)| Arc::clone(key));
    match found {
        Some(key) => Ok(Some(key)),
        None if is_sealed(data_dir) => Err(Error::Locked(
            "the data folder is sealed: sign in to open it".to_owned(),
        )),
        None => Ok(None),
    }
}

/// The bytes to store as the photo-store file `relative`: sealed when the
/// folder is.
pub(crate) fn for_storage<'a>(
    data_dir: &Path,
    relative: &str,
    plain: &'a [u8],
) -> Result<std::borrow::Cow<'a, [u8]>> {
    Ok(match key_for(data_dir)? {
        Some(key) => std::borrow::Cow::Owned(key.seal_file(relative, plain)),
        None => std::borrow::Cow::Borrowed(plain),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_opens_only_unchanged_and_in_its_place() {
        let key = DataKey::generate();
        let sealed = key.seal_file("photos/ab/x.jpg", b"a face");
        assert!(is_sealed_file(&sealed));
        assert_eq!(sealed.len() as u64, 6 + FILE_OVERHEAD);
        assert!(!sealed.windows(6).any(|w| w == b"a face"));
        assert_eq!(
            key.open_file("photos/ab/x.jpg", &sealed).unwrap(),
            b"a face"
        );
        let moved = key.open_file("photos/ab/y.jpg", &sealed).unwrap_err();
        assert!(moved.to_string().contains("authentication"), "{moved}");
        let mut flipped = sealed.clone();
        let last = flipped.len() - 1;
        flipped[last] ^= 1;
        assert!(key.open_file("photos/ab/x.jpg", &flipped).is_err());
        let other = DataKey::generate();
        assert!(other.open_file("photos/ab/x.jpg", &sealed).is_err());
        let plain = key
            .open_file("photos/ab/x.jpg", b"\xff\xd8 a jpeg")
            .unwrap_err();
        assert!(plain.to_string().contains("not sealed"), "{plain}");
    }

    #[test]
    fn the_recovery_key_unlocks_and_a_wrong_one_is_refused() {
        let key = DataKey::generate();
        let (keyring, recovery) = Keyring::new(&key);
        let text = recovery.to_string();
        let keyring = Keyring::parse(&keyring.to_text()).unwrap();
        let (opened, who) = keyring
            .unlock(Unlock::Recovery(&text.to_lowercase()))
            .unwrap();
        assert_eq!(opened.0[..], key.0[..]);
        assert_eq!(who, None);
        let other = RecoveryKey::generate().to_string();
        let refused = keyring.unlock(Unlock::Recovery(&other)).unwrap_err();
        assert!(refused.to_string().contains("does not open"), "{refused}");
    }

    #[test]
    fn derived_keys_differ_by_purpose() {
        let key = DataKey::generate();
        assert_ne!(key.audit_key()[..], key.manifest_key()[..]);
        assert!(key.database_pragma().starts_with("x'"));
        assert_eq!(key.database_pragma().len(), 2 + 64 + 1);
    }
}
