//! The recovery key: 256 random bits, shown once when a folder is sealed
//! and printed on the recovery sheet, written in Crockford's base 32 (no
//! I, L, O or U; read back with O as 0 and I or L as 1) in groups of four.

use chacha20poly1305::aead::{KeyInit, OsRng};
use chacha20poly1305::XChaCha20Poly1305;
use zeroize::Zeroizing;

use crate::{Error, Result};

const ALPHABET: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/// Characters that hold the 256 bits (the last one carries only one).
const CHARACTERS: usize = 52;

/// A recovery key, wiped when dropped.
pub struct RecoveryKey(Zeroizing<[u8; 32]>);

impl std::fmt::Debug for RecoveryKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("RecoveryKey(..)")
    }
}

impl RecoveryKey {
    pub(crate) fn generate() -> RecoveryKey {
        let key = XChaCha20Poly1305::generate_key(&mut OsRng);
        let mut bytes = Zeroizing::new([0u8; 32]);
        bytes.copy_from_slice(&key);
        RecoveryKey(bytes)
    }

    pub(crate) fn bytes(&self) -> &[u8] {
        self.0.as_ref()
    }

    /// Reads a recovery key as a person typed it.
    pub fn parse(text: &str) -> Result<RecoveryKey> {
        let wrong = |why: &str| Error::invalid("recovery_key", format!("a recovery key {why}"));
        let mut bits: u64 = 0;
        let mut held = 0u32;
        let mut out = Zeroizing::new([0u8; 32]);
        let mut filled = 0usize;
        let mut count = 0usize;
        for c in text.chars() {
            if c == '-' || c.is_whitespace() {
                continue;
            }
            let c = match c.to_ascii_uppercase() {
                'O' => '0',
                'I' | 'L' => '1',
                other => other,
            };
            let value = ALPHABET
                .iter()
                .position(|a| char::from(*a) == c)
                .ok_or_else(|| wrong("has only digits and the letters A to Z"))?;
            count += 1;
            if count > CHARACTERS {
                return Err(wrong(&format!("has {CHARACTERS} characters")));
            }
            bits = (bits << 5) | value as u64;
            held += 5;
            while held >= 8 && filled < out.len() {
                held -= 8;
                out[filled] = (bits >> held) as u8;
                filled += 1;
            }
            bits &= (1 << held) - 1;
        }
        if count != CHARACTERS {
            return Err(wrong(&format!(
                "has {CHARACTERS} characters; this has {count}"
            )));
        }
        Ok(RecoveryKey(out))
    }
}

impl std::fmt::Display for RecoveryKey {
    /// Thirteen groups of four characters, joined by dashes.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let mut chars = Zeroizing::new(String::with_capacity(CHARACTERS + 12));
        let mut bits: u64 = 0;
        let mut held = 0u32;
        let mut written = 0usize;
        let mut push = |value: u64, chars: &mut String| {
            if written > 0 && written.is_multiple_of(4) {
                chars.push('-');
            }
            chars.push(char::from(ALPHABET[value as usize]));
            written += 1;
        };
        for byte in self.0.iter() {
            bits = (bits << 8) | u64::from(*byte);
            held += 8;
            while held >= 5 {
                held -= 5;
                push((bits >> held) & 31, &mut chars);
            }
            bits &= (1 << held) - 1;
        }
        if held > 0 {
            push((bits << (5 - held)) & 31, &mut chars);
        }
        f.write_str(&chars)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_key_reads_back_as_written_whatever_the_spacing_and_case() {
        for _ in 0..50 {
            let key = RecoveryKey::generate();
            let shown = key.to_string();
            assert_eq!(shown.len(), CHARACTERS + 12, "{shown}");
            assert_eq!(shown.split('-').count(), 13);
            let typed = shown.replace('-', " ").to_lowercase().replace('0', "o");
            assert_eq!(RecoveryKey::parse(&typed).unwrap().bytes(), key.bytes());
        }
    }

    #[test]
    fn a_short_or_odd_key_is_refused_by_name() {
        let shown = RecoveryKey::generate().to_string();
        let short = RecoveryKey::parse(&shown[..shown.len() - 1]).unwrap_err();
        assert!(short.to_string().contains("52 characters"), "{short}");
        let odd =
            RecoveryKey::parse(&shown.replace(shown.chars().next().unwrap(), "#")).unwrap_err();
        assert!(odd.to_string().contains("letters"), "{odd}");
    }
}
