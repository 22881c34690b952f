//! The capture server's TLS identity: a self-signed certificate per data
//! folder, for the address the phone reaches, kept (sealed when the folder
//! is) so that a phone trusts it once. A new address makes a new one.

use std::net::IpAddr;
use std::sync::Arc;

use rustls::crypto::CryptoProvider;
use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};
use rustls::ServerConfig;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// A certificate and its private key, as kept in the data folder.
#[derive(Clone, Serialize, Deserialize)]
pub struct Identity {
    /// The certificate, DER, in hex.
    cert: String,
    /// The PKCS#8 private key, DER, in hex.
    key: String,
    /// The address it was made for.
    address: IpAddr,
}

impl std::fmt::Debug for Identity {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Identity")
            .field("address", &self.address)
            .field("fingerprint", &self.fingerprint())
            .finish_non_exhaustive()
    }
}

impl Identity {
    /// A new certificate for `address` (and `localhost`), valid for ten
    /// years: the phone trusts it once and is never asked again.
    pub fn make(address: IpAddr, clinic: &str) -> Result<Identity, String> {
        let mut params = rcgen::CertificateParams::new(vec!["localhost".to_owned()])
            .map_err(|e| e.to_string())?;
        params
            .subject_alt_names
            .push(rcgen::SanType::IpAddress(address));
        let mut name = rcgen::DistinguishedName::new();
        let clinic: String = clinic.chars().take(48).collect();
        name.push(
            rcgen::DnType::CommonName,
            format!("Pinpoint photo capture, {clinic}"),
        );
        params.distinguished_name = name;
        let now = std::time::SystemTime::now();
        params.not_before = (now - std::time::Duration::from_secs(24 * 3600)).into();
        params.not_after = (now + std::time::Duration::from_secs(10 * 365 * 24 * 3600)).into();
        let key = rcgen::KeyPair::generate().map_err(|e| e.to_string())?;
        let cert = params.self_signed(&key).map_err(|e| e.to_string())?;
        Ok(Identity {
            cert: hex(cert.der()),
            key: hex(&key.serialize_der()),
            address,
        })
    }

    /// The identity as kept, if it reads and was made for `address`.
    pub fn from_stored(bytes: &[u8], address: IpAddr) -> Option<Identity> {
        let identity: Identity = serde_json::from_slice(bytes).ok()?;
        (identity.address == address && identity.cert_der().is_some()).then_some(identity)
    }

    pub fn to_stored(&self) -> Vec<u8> {
        serde_json::to_vec(self).expect("an identity serialises")
    }

    fn cert_der(&self) -> Option<Vec<u8>> {
        pinpoint_core::hex::decode(&self.cert)
    }

    /// SHA-256 of the certificate, as a browser shows it (`AB:CD:…`).
    pub fn fingerprint(&self) -> String {
        let digest = Sha256::digest(self.cert_der().unwrap_or_default());
        digest
            .iter()
            .map(|b| format!("{b:02X}"))
            .collect::<Vec<_>>()
            .join(":")
    }

    /// The server's TLS configuration (TLS 1.2 and 1.3, HTTP/1.1).
    pub fn server_config(&self) -> Result<Arc<ServerConfig>, String> {
        let cert = self.cert_der().ok_or("the certificate is damaged")?;
        let key = pinpoint_core::hex::decode(&self.key).ok_or("the private key is damaged")?;
        let mut config = ServerConfig::builder_with_provider(Arc::new(provider()))
            .with_safe_default_protocol_versions()
            .map_err(|e| e.to_string())?
            .with_no_client_auth()
            .with_single_cert(
                vec![CertificateDer::from(cert)],
                PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(key)),
            )
            .map_err(|e| e.to_string())?;
        config.alpn_protocols = vec![b"http/1.1".to_vec()];
        Ok(Arc::new(config))
    }
}

/// rustls on *ring*: it builds with no C toolchain beyond what the app
/// already needs, which rustls's other provider (aws-lc-rs) does not.
/// rustls marks it deprecated only because it has no post-quantum key
/// exchange, which a capture on the clinic's own network can do without.
#[allow(deprecated)]
fn provider() -> CryptoProvider {
    rustls::crypto::ring::default_provider()
}

fn hex(bytes: &[u8]) -> String {
    pinpoint_core::hex::encode(bytes)
}

/// `n` random bytes in hex, from the operating system's generator.
pub fn random_hex(n: usize) -> String {
    let mut bytes = vec![0u8; n];
    provider()
        .secure_random
        .fill(&mut bytes)
        .expect("the system's random generator works");
    hex(&bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_identity_is_kept_for_its_address_only() {
        let here: IpAddr = "192.168.1.20".parse().unwrap();
        let made = Identity::make(here, "Skin Studio").unwrap();
        assert!(made.server_config().is_ok());
        let kept = made.to_stored();
        let again = Identity::from_stored(&kept, here).expect("read back");
        assert_eq!(again.fingerprint(), made.fingerprint());
        assert_eq!(made.fingerprint().len(), 32 * 3 - 1);
        assert!(Identity::from_stored(&kept, "192.168.1.21".parse().unwrap()).is_none());
        assert!(Identity::from_stored(b"{not json", here).is_none());
        assert_ne!(random_hex(16), random_hex(16));
        assert_eq!(random_hex(16).len(), 32);
    }
}
