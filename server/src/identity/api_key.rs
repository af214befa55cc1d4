//! The subscriber API key: `sk_` + 32 lowercase hex (128 bits from the OS CSPRNG).
//!
//! It is the `sts:ExternalId` of the subscriber's handshake role, so it is a secret to the portal
//! even though AWS does not treat ExternalIds as secrets. `ApiKey` cannot be printed by accident:
//! Debug and Display redact it; only `expose_secret` gives the text, and only the few places that
//! must send it (Cognito, STS, the one reveal response) call it.

use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

pub const PREFIX: &str = "sk_";
const HEX_LEN: usize = 32;

#[derive(Clone, PartialEq, Eq)]
pub struct ApiKey(String);

impl ApiKey {
    /// A new key from the operating system's CSPRNG.
    pub fn generate() -> Self {
        let mut bytes = [0u8; HEX_LEN / 2];
        getrandom::fill(&mut bytes).expect("the operating system's random number generator works");
        Self(format!("{PREFIX}{}", hex::encode(bytes)))
    }

    /// Accepts only the exact shape; anything else is not a key (and is not echoed back).
    pub fn parse(text: &str) -> Option<Self> {
        let hex = text.strip_prefix(PREFIX)?;
        let well_formed = hex.len() == HEX_LEN
            && hex
                .bytes()
                .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b));
        well_formed.then(|| Self(text.to_owned()))
    }

    pub fn expose_secret(&self) -> &str {
        &self.0
    }

    /// SHA-256 (hex) of the key: what the store keeps, for the `X-Api-Key` lookup.
    pub fn hash(&self) -> String {
        hex::encode(Sha256::digest(self.0.as_bytes()))
    }

    /// A short, non-secret name for this key generation, safe to show and log.
    pub fn fingerprint(&self) -> String {
        fingerprint_of_hash(&self.hash())
    }

    /// Constant-time comparison with a stored hash.
    pub fn matches_hash(&self, stored_hash: &str) -> bool {
        self.hash().as_bytes().ct_eq(stored_hash.as_bytes()).into()
    }
}

/// The fingerprint for a stored key hash: its first 12 hex digits, grouped for reading.
pub fn fingerprint_of_hash(hash: &str) -> String {
    match (hash.get(0..4), hash.get(4..8), hash.get(8..12)) {
        (Some(a), Some(b), Some(c)) => format!("{a}-{b}-{c}"),
        _ => "unknown".into(),
    }
}

impl std::fmt::Debug for ApiKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "ApiKey(sk_[redacted])")
    }
}

impl std::fmt::Display for ApiKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("sk_[redacted]")
    }
}

/// Replaces anything shaped like an API key in `text` (for error messages that quote AWS).
pub fn redact(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(pos) = rest.find(PREFIX) {
        out.push_str(&rest[..pos]);
        let candidate = &rest[pos..];
        let tail = &candidate[PREFIX.len()..];
        let hex_run = tail.bytes().take_while(|b| b.is_ascii_hexdigit()).count();
        if hex_run >= HEX_LEN {
            out.push_str("sk_[redacted]");
            rest = &tail[hex_run..];
        } else {
            out.push_str(PREFIX);
            rest = tail;
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_keys_have_the_contract_shape_and_differ() {
        let a = ApiKey::generate();
        let b = ApiKey::generate();
        assert!(ApiKey::parse(a.expose_secret()).is_some());
        assert_eq!(a.expose_secret().len(), 35);
        assert_ne!(a, b);
    }

    #[test]
    fn parse_refuses_anything_else() {
        for bad in [
            "",
            "sk_",
            "sk_0123456789abcdef0123456789abcde",
            "sk_0123456789abcdef0123456789abcdef0",
            "sk_0123456789ABCDEF0123456789ABCDEF",
            "pk_0123456789abcdef0123456789abcdef",
            " sk_0123456789abcdef0123456789abcdef",
        ] {
            assert!(ApiKey::parse(bad).is_none(), "{bad:?}");
        }
    }

    #[test]
    fn printing_never_shows_the_key() {
        let k = ApiKey::generate();
        let shown = format!("{k} {k:?} {:?}", Some(&k));
        assert!(!shown.contains(&k.expose_secret()[3..]), "{shown}");
    }

    #[test]
    fn hash_lookup_and_fingerprint() {
        let k = ApiKey::parse("sk_0123456789abcdef0123456789abcdef").unwrap();
        assert!(k.matches_hash(&k.hash()));
        assert!(!ApiKey::generate().matches_hash(&k.hash()));
        assert_eq!(k.fingerprint().len(), 14);
        assert!(!k.fingerprint().contains("0123456789abcdef0123"));
    }

    #[test]
    fn redact_replaces_key_shaped_text() {
        let k = ApiKey::generate();
        let text = format!(
            "condition sts:ExternalId={} failed; task_sk_ok",
            k.expose_secret()
        );
        let clean = redact(&text);
        assert!(!clean.contains(k.expose_secret()));
        assert!(clean.contains("sk_[redacted]"));
        assert!(clean.ends_with("task_sk_ok"));
    }
}
