//! Field encryption for personal identifiers (PIPL Art. 51): AES-256-GCM from RustCrypto, a
//! fresh random nonce per value, the column's name as associated data (a value copied into
//! another column does not open), and the key's id stored with each value, so keys can be
//! rotated while old values still open. Lookups by phone or ID number go through a keyed blind
//! index (HMAC-SHA256 with a separate key), never the plaintext.
//!
//! The key ring is text, one key per line: `index <base64 32 bytes>` once, then
//! `key <id> <base64 32 bytes>` lines, the last being the one new values are sealed with. It
//! comes from `LIANXIN_KEYS` or the keys file in the data folder (created on first start).

use std::collections::HashMap;
use std::sync::{Arc, OnceLock, RwLock};

use aes_gcm::aead::{Aead, KeyInit, Payload};
use aes_gcm::{Aes256Gcm, Nonce};
use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine;
use hmac::Mac;
use rand_core::{OsRng, RngCore};

use crate::error::AppError;

pub mod fields;

pub use fields::{blind, check_probes, open, phone_username, reseal, seal, FIELDS};

/// Marks a sealed value: `enc1:<key id>:<base64 nonce ‖ ciphertext>`.
const PREFIX: &str = "enc1:";

pub struct KeyRing {
    keys: HashMap<String, Aes256Gcm>,
    current: String,
    index: Vec<u8>,
}

impl std::fmt::Debug for KeyRing {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Never the keys themselves.
        f.debug_struct("KeyRing")
            .field("keys", &self.keys.len())
            .field("current", &self.current)
            .finish()
    }
}

fn key_bytes(b64: &str) -> Result<Vec<u8>, String> {
    let b = B64
        .decode(b64.trim())
        .map_err(|_| "a key is not base64".to_string())?;
    if b.len() != 32 {
        return Err("a key must be 32 bytes".into());
    }
    Ok(b)
}

fn random_key() -> String {
    let mut k = [0u8; 32];
    OsRng.fill_bytes(&mut k);
    B64.encode(k)
}

impl KeyRing {
    /// Reads a key ring's text; errors say what is wrong without repeating any key.
    pub fn parse(text: &str) -> Result<KeyRing, String> {
        let mut keys = HashMap::new();
        let mut current = None;
        let mut index = None;
        for line in text.lines().map(str::trim) {
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let parts: Vec<&str> = line.split_whitespace().collect();
            match parts.as_slice() {
                ["index", k] => index = Some(key_bytes(k)?),
                ["key", id, k] => {
                    if id.is_empty() || id.contains(':') {
                        return Err("a key id must not contain ':'".into());
                    }
                    let cipher = Aes256Gcm::new_from_slice(&key_bytes(k)?)
                        .map_err(|_| "a key must be 32 bytes".to_string())?;
                    keys.insert(id.to_string(), cipher);
                    current = Some(id.to_string());
                }
                _ => return Err("a key line is neither `index …` nor `key <id> …`".into()),
            }
        }
        Ok(KeyRing {
            keys,
            current: current.ok_or("the key ring holds no `key` line")?,
            index: index.ok_or("the key ring holds no `index` line")?,
        })
    }

    /// The text of a new key ring: an index key and a first key.
    pub fn generate() -> String {
        format!(
            "# Lianxin field keys: keep this file secret and backed up; without it the\n\
             # identifiers in the database cannot be read.\nindex {}\nkey k1 {}\n",
            random_key(),
            random_key()
        )
    }

    /// `text` with one more key, which becomes the current one; its id.
    pub fn add_key(text: &str) -> Result<(String, String), String> {
        let ring = KeyRing::parse(text)?;
        let id = (1..)
            .map(|n| format!("k{n}"))
            .find(|id| !ring.keys.contains_key(id))
            .unwrap_or_default();
        let mut out = text.to_string();
        if !out.ends_with('\n') {
            out.push('\n');
        }
        out.push_str(&format!("key {id} {}\n", random_key()));
        Ok((out, id))
    }

    pub fn current(&self) -> &str {
        &self.current
    }

    /// Seals `plain` for `field` (e.g. `residents.phone`); nothing stays nothing.
    pub fn seal(&self, field: &str, plain: &str) -> String {
        self.seal_with(&self.current, field, plain)
    }

    fn seal_with(&self, id: &str, field: &str, plain: &str) -> String {
        if plain.is_empty() {
            return String::new();
        }
        let cipher = &self.keys[id];
        let mut nonce = [0u8; 12];
        OsRng.fill_bytes(&mut nonce);
        let ct = cipher
            .encrypt(
                Nonce::from_slice(&nonce),
                Payload {
                    msg: plain.as_bytes(),
                    aad: field.as_bytes(),
                },
            )
            .expect("AES-GCM seals any message under 64 GB");
        let mut out = nonce.to_vec();
        out.extend(ct);
        format!("{PREFIX}{id}:{}", B64.encode(out))
    }

    /// Opens a value sealed for `field`; a value that is not sealed (written before encryption)
    /// is returned as it is, a damaged one or one under an unknown key is an error.
    pub fn open(&self, field: &str, stored: &str) -> Result<String, AppError> {
        let Some(rest) = stored.strip_prefix(PREFIX) else {
            return Ok(stored.to_string());
        };
        let bad = |why: &str| {
            tracing::error!(field, why, "a sealed value does not open");
            AppError::Internal
        };
        let (id, body) = rest.split_once(':').ok_or_else(|| bad("no key id"))?;
        let cipher = self.keys.get(id).ok_or_else(|| bad("unknown key id"))?;
        let raw = B64.decode(body).map_err(|_| bad("not base64"))?;
        if raw.len() < 12 + 16 {
            return Err(bad("too short"));
        }
        let (nonce, ct) = raw.split_at(12);
        let plain = cipher
            .decrypt(
                Nonce::from_slice(nonce),
                Payload {
                    msg: ct,
                    aad: field.as_bytes(),
                },
            )
            .map_err(|_| bad("authentication failed"))?;
        String::from_utf8(plain).map_err(|_| bad("not UTF-8"))
    }

    /// Whether `stored` must be sealed again: plaintext, or under a key that is not current.
    pub fn stale(&self, stored: &str) -> bool {
        if stored.is_empty() {
            return false;
        }
        match stored.strip_prefix(PREFIX).and_then(|r| r.split_once(':')) {
            Some((id, _)) => id != self.current,
            None => true,
        }
    }

    /// The blind index of a `kind` of value (`phone`, `id_number`): equal values give equal
    /// indexes, and without the index key nothing about the value can be learned from it.
    pub fn blind(&self, kind: &str, value: &str) -> String {
        if value.is_empty() {
            return String::new();
        }
        let mut m = <hmac::Hmac<sha2::Sha256> as Mac>::new_from_slice(&self.index)
            .expect("HMAC takes a key of any length");
        m.update(kind.as_bytes());
        m.update(&[0]);
        m.update(value.as_bytes());
        m.finalize().into_bytes()[..16]
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect()
    }
}

static RING: RwLock<Option<Arc<KeyRing>>> = RwLock::new(None);
type Reload = Box<dyn Fn() -> Option<KeyRing> + Send + Sync>;
static RELOAD: OnceLock<Reload> = OnceLock::new();

/// Installs the process's key ring (at start, and after a rotation).
pub fn install(ring: KeyRing) {
    *RING.write().unwrap_or_else(|e| e.into_inner()) = Some(Arc::new(ring));
}

/// How to read the ring again when a value names a key this process has not seen (another
/// process rotated the keys while this one ran).
pub fn on_unknown_key(reload: impl Fn() -> Option<KeyRing> + Send + Sync + 'static) {
    let _ = RELOAD.set(Box::new(reload));
}

/// The process's key ring; an internal error if the server was started without one.
pub fn ring() -> Result<Arc<KeyRing>, AppError> {
    RING.read()
        .unwrap_or_else(|e| e.into_inner())
        .clone()
        .ok_or_else(|| {
            tracing::error!("no key ring installed");
            AppError::Internal
        })
}

/// The ring to open `stored` with: the installed one, or a reloaded one that knows its key.
fn ring_for(stored: &str) -> Result<Arc<KeyRing>, AppError> {
    let r = ring()?;
    let id = stored
        .strip_prefix(PREFIX)
        .and_then(|rest| rest.split_once(':'))
        .map(|(id, _)| id);
    match (id, RELOAD.get()) {
        (Some(id), Some(reload)) if !r.keys.contains_key(id) => match reload() {
            Some(fresh) if fresh.keys.contains_key(id) => {
                tracing::info!(key = id, "reloaded the key ring for a new key");
                install(fresh);
                ring()
            }
            _ => Ok(r),
        },
        _ => Ok(r),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ring() -> KeyRing {
        KeyRing::parse(&KeyRing::generate()).unwrap()
    }

    #[test]
    fn a_sealed_value_opens_only_for_its_field_and_key() {
        let r = ring();
        let s = r.seal("residents.phone", "13800001111");
        assert!(s.starts_with("enc1:k1:"));
        assert!(!s.contains("13800001111"));
        assert_ne!(
            s,
            r.seal("residents.phone", "13800001111"),
            "a fresh nonce each time"
        );
        assert_eq!(r.open("residents.phone", &s).unwrap(), "13800001111");
        assert!(r.open("users.phone", &s).is_err(), "another column's value");
        assert!(ring().open("residents.phone", &s).is_err(), "another ring");
        let mut bent = s.clone();
        bent.pop();
        bent.push(if s.ends_with('A') { 'B' } else { 'A' });
        assert!(r.open("residents.phone", &bent).is_err());
        assert_eq!(
            r.open("residents.phone", "13800001111").unwrap(),
            "13800001111"
        );
        assert_eq!(r.seal("residents.phone", ""), "");
    }

    #[test]
    fn a_new_key_seals_and_old_values_still_open() {
        let text = KeyRing::generate();
        let old = KeyRing::parse(&text).unwrap();
        let sealed = old.seal("f", "甲");
        let (text2, id) = KeyRing::add_key(&text).unwrap();
        assert_eq!(id, "k2");
        let new = KeyRing::parse(&text2).unwrap();
        assert_eq!(new.current(), "k2");
        assert!(new.stale(&sealed) && !old.stale(&sealed));
        assert_eq!(new.open("f", &sealed).unwrap(), "甲");
        assert!(!new.stale(&new.seal("f", "甲")));
        assert!(new.stale("plain"));
        assert_eq!(
            new.blind("phone", "1"),
            old.blind("phone", "1"),
            "the index key stays"
        );
    }

    #[test]
    fn blind_indexes_separate_kinds_and_need_the_key() {
        let r = ring();
        assert_eq!(
            r.blind("phone", "13800001111"),
            r.blind("phone", "13800001111")
        );
        assert_ne!(
            r.blind("phone", "13800001111"),
            r.blind("id_number", "13800001111")
        );
        assert_ne!(
            r.blind("phone", "13800001111"),
            ring().blind("phone", "13800001111")
        );
        assert_eq!(r.blind("phone", "").len(), 0);
        assert_eq!(r.blind("phone", "1").len(), 32);
    }

    #[test]
    fn broken_rings_say_why_without_keys() {
        assert!(KeyRing::parse("").unwrap_err().contains("no `key`"));
        assert!(KeyRing::parse("key k1 AAAA")
            .unwrap_err()
            .contains("32 bytes"));
        let e = KeyRing::parse("nonsense here").unwrap_err();
        assert!(e.contains("neither"));
        let text = KeyRing::generate();
        let dbg = format!("{:?}", KeyRing::parse(&text).unwrap());
        assert!(!text
            .lines()
            .any(|l| l.starts_with("key") && dbg.contains(l.split(' ').nth(2).unwrap())));
    }
}
