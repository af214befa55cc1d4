//! Session and challenge cookies: opaque random values, `HttpOnly`, `SameSite=Strict`, `Path=/`,
//! and `Secure` with the `__Host-` prefix unless the portal runs in plain-http local mode.

use axum::http::{header, HeaderMap};
use base64::Engine;
use sha2::{Digest, Sha256};

#[derive(Clone, Copy, Debug)]
pub struct CookiePolicy {
    pub secure: bool,
}

impl CookiePolicy {
    pub fn session_name(&self) -> &'static str {
        if self.secure {
            "__Host-fastish_session"
        } else {
            "fastish_session"
        }
    }

    pub fn challenge_name(&self) -> &'static str {
        if self.secure {
            "__Host-fastish_mfa"
        } else {
            "fastish_mfa"
        }
    }

    pub fn set(&self, name: &str, value: &str, max_age_seconds: i64) -> String {
        let secure = if self.secure { "; Secure" } else { "" };
        format!(
            "{name}={value}; Max-Age={max_age_seconds}; Path=/; HttpOnly; SameSite=Strict{secure}"
        )
    }

    pub fn clear(&self, name: &str) -> String {
        self.set(name, "", 0)
    }
}

/// The value of cookie `name` in the request, if any.
pub fn read(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.to_owned())
        .filter(|v| !v.is_empty())
}

/// 256 random bits, base64url: a cookie value nobody can guess.
pub fn new_token() -> String {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).expect("the operating system's random number generator works");
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

/// What the store keeps instead of the cookie value.
pub fn hash_token(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secure_cookies_use_the_host_prefix_and_all_attributes() {
        let p = CookiePolicy { secure: true };
        let c = p.set(p.session_name(), "v", 3600);
        assert!(c.starts_with("__Host-fastish_session=v;"));
        for attr in [
            "HttpOnly",
            "SameSite=Strict",
            "Secure",
            "Path=/",
            "Max-Age=3600",
        ] {
            assert!(c.contains(attr), "{c}");
        }
        let local = CookiePolicy { secure: false };
        assert!(!local.set(local.session_name(), "v", 1).contains("Secure"));
    }

    #[test]
    fn reads_one_cookie_among_many() {
        let mut h = HeaderMap::new();
        h.insert(
            header::COOKIE,
            "a=1; fastish_session=abc; b=2".parse().unwrap(),
        );
        assert_eq!(read(&h, "fastish_session").as_deref(), Some("abc"));
        assert_eq!(read(&h, "missing"), None);
    }

    #[test]
    fn tokens_are_random_and_hashed() {
        let (a, b) = (new_token(), new_token());
        assert_ne!(a, b);
        assert_eq!(hash_token(&a).len(), 64);
        assert_ne!(hash_token(&a), a);
    }
}
