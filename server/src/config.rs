//! The portal's settings, read from environment variables (documented in README.md).
//!
//! AWS itself is configured only through the SDK's standard variables (`AWS_REGION`,
//! `AWS_ENDPOINT_URL`, credentials...); nothing here knows whether AWS is real or emulated.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use crate::verification::VerifierSettings;

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum ConfigError {
    #[error("{name} is required: {hint}")]
    Missing {
        name: &'static str,
        hint: &'static str,
    },
    #[error("{name} is not valid ({value:?}): {hint}")]
    Invalid {
        name: &'static str,
        value: String,
        hint: &'static str,
    },
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LogFormat {
    Text,
    Json,
}

#[derive(Clone, Debug)]
pub struct CognitoSettings {
    pub region: String,
    pub user_pool_id: String,
    pub client_id: String,
    /// Where the pool's signing keys are served. Derived from the pool for real Cognito; set
    /// explicitly where the issuer's host does not serve them (an emulator).
    pub jwks_url: String,
}

/// A PEM certificate chain and private key: the portal terminates TLS itself.
#[derive(Clone, Debug)]
pub struct TlsFiles {
    pub cert: PathBuf,
    pub key: PathBuf,
}

#[derive(Clone, Debug)]
pub struct Settings {
    pub addr: SocketAddr,
    pub data_dir: PathBuf,
    /// Where cargo-leptos put the site (`pkg/`, assets).
    pub site_root: PathBuf,
    pub log_format: LogFormat,
    /// Plain-http local development: cookies without `Secure`. Never on by default.
    pub insecure_http: bool,
    /// When set, the portal serves HTTPS itself; otherwise it expects a TLS proxy in front.
    pub tls: Option<TlsFiles>,
    pub cognito: CognitoSettings,
    /// The principal subscribers' handshake roles must trust; the platform account's root when unset.
    pub platform_principal: Option<String>,
    /// Bound on each readiness probe (store, Cognito key set).
    pub readiness_timeout: Duration,
    /// Bounds of Verify Configuration: each AWS call, and the whole run.
    pub verification: VerifierSettings,
    /// The EventBridge bus Launch publishes `ReleaseLaunchRequested` on.
    pub launch_event_bus: String,
    /// The AutoReload port of `cargo leptos watch`, when it runs the portal.
    pub reload_port: Option<u32>,
}

impl Settings {
    pub fn from_env() -> Result<Self, ConfigError> {
        Self::from_lookup(|name| std::env::var(name).ok().filter(|v| !v.trim().is_empty()))
    }

    /// Reads settings through `var`, so tests can check parsing without touching the process env.
    pub fn from_lookup(var: impl Fn(&str) -> Option<String>) -> Result<Self, ConfigError> {
        let addr_text = var("PORTAL_ADDR")
            .or_else(|| var("LEPTOS_SITE_ADDR"))
            .unwrap_or_else(|| "127.0.0.1:3000".into());
        let addr = addr_text.parse().map_err(|_| ConfigError::Invalid {
            name: "PORTAL_ADDR",
            value: addr_text.clone(),
            hint: "use host:port, e.g. 127.0.0.1:3000",
        })?;
        let log_format = match var("PORTAL_LOG_FORMAT").as_deref() {
            None | Some("text") => LogFormat::Text,
            Some("json") => LogFormat::Json,
            Some(other) => {
                return Err(ConfigError::Invalid {
                    name: "PORTAL_LOG_FORMAT",
                    value: other.into(),
                    hint: "use text or json",
                })
            }
        };
        let insecure_http = parse_bool(&var, "PORTAL_INSECURE_HTTP")?;
        let tls = match (var("PORTAL_TLS_CERT"), var("PORTAL_TLS_KEY")) {
            (None, None) => None,
            (Some(cert), Some(key)) => Some(TlsFiles {
                cert: cert.into(),
                key: key.into(),
            }),
            (Some(_), None) => {
                return Err(ConfigError::Missing {
                    name: "PORTAL_TLS_KEY",
                    hint: "the PEM private key that goes with PORTAL_TLS_CERT",
                })
            }
            (None, Some(_)) => {
                return Err(ConfigError::Missing {
                    name: "PORTAL_TLS_CERT",
                    hint: "the PEM certificate chain that goes with PORTAL_TLS_KEY",
                })
            }
        };
        if tls.is_some() && insecure_http {
            return Err(ConfigError::Invalid {
                name: "PORTAL_INSECURE_HTTP",
                value: "true".into(),
                hint: "plain-http mode cannot be on while the portal serves TLS",
            });
        }
        let region = var("PORTAL_COGNITO_REGION")
            .or_else(|| var("AWS_REGION"))
            .or_else(|| var("AWS_DEFAULT_REGION"))
            .ok_or(ConfigError::Missing {
                name: "AWS_REGION",
                hint: "the region of the portal's Cognito user pool, e.g. us-west-2",
            })?;
        let user_pool_id = var("PORTAL_COGNITO_USER_POOL_ID").ok_or(ConfigError::Missing {
            name: "PORTAL_COGNITO_USER_POOL_ID",
            hint: "the id of the portal's Cognito user pool, e.g. us-west-2_AbCdEf123",
        })?;
        let client_id = var("PORTAL_COGNITO_CLIENT_ID").ok_or(ConfigError::Missing {
            name: "PORTAL_COGNITO_CLIENT_ID",
            hint: "the id of the user pool's app client (no client secret)",
        })?;
        let jwks_url = var("PORTAL_COGNITO_JWKS_URL").unwrap_or_else(|| {
            format!(
                "https://cognito-idp.{region}.amazonaws.com/{user_pool_id}/.well-known/jwks.json"
            )
        });
        let readiness_ms = parse_ms(&var, "PORTAL_READINESS_TIMEOUT_MS", 2000)?;
        let verify_call_ms = parse_ms(&var, "PORTAL_VERIFY_CALL_TIMEOUT_MS", 5000)?;
        let verify_deadline_ms = parse_ms(&var, "PORTAL_VERIFY_DEADLINE_MS", 45000)?;
        if verify_deadline_ms < verify_call_ms {
            return Err(ConfigError::Invalid {
                name: "PORTAL_VERIFY_DEADLINE_MS",
                value: verify_deadline_ms.to_string(),
                hint: "at least PORTAL_VERIFY_CALL_TIMEOUT_MS: the whole verification outlasts one call",
            });
        }
        Ok(Self {
            addr,
            data_dir: var("PORTAL_DATA_DIR")
                .unwrap_or_else(|| "data".into())
                .into(),
            site_root: var("LEPTOS_SITE_ROOT")
                .unwrap_or_else(|| "target/site".into())
                .into(),
            log_format,
            insecure_http,
            tls,
            cognito: CognitoSettings {
                region,
                user_pool_id,
                client_id,
                jwks_url,
            },
            platform_principal: var("PORTAL_PLATFORM_PRINCIPAL"),
            readiness_timeout: Duration::from_millis(readiness_ms),
            verification: VerifierSettings {
                call_timeout: Duration::from_millis(verify_call_ms),
                deadline: Duration::from_millis(verify_deadline_ms),
                ..VerifierSettings::default()
            },
            launch_event_bus: var("PORTAL_LAUNCH_EVENT_BUS").unwrap_or_else(|| "default".into()),
            reload_port: var("LEPTOS_RELOAD_PORT").and_then(|p| p.parse().ok()),
        })
    }
}

fn parse_ms(
    var: &impl Fn(&str) -> Option<String>,
    name: &'static str,
    default: u64,
) -> Result<u64, ConfigError> {
    match var(name) {
        None => Ok(default),
        Some(v) => v
            .parse::<u64>()
            .ok()
            .filter(|ms| *ms > 0)
            .ok_or(ConfigError::Invalid {
                name,
                value: v,
                hint: "a positive number of milliseconds",
            }),
    }
}

fn parse_bool(
    var: &impl Fn(&str) -> Option<String>,
    name: &'static str,
) -> Result<bool, ConfigError> {
    match var(name).as_deref().map(str::to_ascii_lowercase).as_deref() {
        None | Some("false") | Some("0") | Some("no") => Ok(false),
        Some("true") | Some("1") | Some("yes") => Ok(true),
        Some(other) => Err(ConfigError::Invalid {
            name,
            value: other.into(),
            hint: "use true or false",
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn lookup(pairs: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> {
        let map: HashMap<String, String> = pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        move |name| map.get(name).cloned()
    }

    const MINIMAL: &[(&str, &str)] = &[
        ("AWS_REGION", "us-west-2"),
        ("PORTAL_COGNITO_USER_POOL_ID", "us-west-2_pool"),
        ("PORTAL_COGNITO_CLIENT_ID", "client"),
    ];

    #[test]
    fn safe_defaults() {
        let s = Settings::from_lookup(lookup(MINIMAL)).unwrap();
        assert_eq!(s.addr.to_string(), "127.0.0.1:3000");
        assert!(
            !s.insecure_http,
            "Secure cookies unless plain-http mode is asked for"
        );
        assert_eq!(s.log_format, LogFormat::Text);
        assert_eq!(
            s.cognito.jwks_url,
            "https://cognito-idp.us-west-2.amazonaws.com/us-west-2_pool/.well-known/jwks.json"
        );
        assert_eq!(s.platform_principal, None);
    }

    #[test]
    fn missing_pool_is_named() {
        let err = Settings::from_lookup(lookup(&[("AWS_REGION", "us-west-2")])).unwrap_err();
        assert!(matches!(
            err,
            ConfigError::Missing {
                name: "PORTAL_COGNITO_USER_POOL_ID",
                ..
            }
        ));
    }

    #[test]
    fn bad_values_are_named() {
        let mut pairs = MINIMAL.to_vec();
        pairs.push(("PORTAL_INSECURE_HTTP", "maybe"));
        let err = Settings::from_lookup(lookup(&pairs)).unwrap_err();
        assert!(err.to_string().contains("PORTAL_INSECURE_HTTP"));
        let mut pairs = MINIMAL.to_vec();
        pairs.push(("PORTAL_ADDR", "nowhere"));
        let err = Settings::from_lookup(lookup(&pairs)).unwrap_err();
        assert!(err.to_string().contains("PORTAL_ADDR"));
    }

    #[test]
    fn tls_needs_both_files_and_no_plain_http_mode() {
        let mut pairs = MINIMAL.to_vec();
        pairs.push(("PORTAL_TLS_CERT", "/etc/portal/cert.pem"));
        let err = Settings::from_lookup(lookup(&pairs)).unwrap_err();
        assert!(matches!(
            err,
            ConfigError::Missing {
                name: "PORTAL_TLS_KEY",
                ..
            }
        ));
        pairs.push(("PORTAL_TLS_KEY", "/etc/portal/key.pem"));
        assert!(Settings::from_lookup(lookup(&pairs)).unwrap().tls.is_some());
        pairs.push(("PORTAL_INSECURE_HTTP", "true"));
        assert!(Settings::from_lookup(lookup(&pairs)).is_err());
    }

    #[test]
    fn explicit_values_win() {
        let mut pairs = MINIMAL.to_vec();
        pairs.extend([
            ("PORTAL_ADDR", "127.0.0.1:0"),
            ("PORTAL_INSECURE_HTTP", "true"),
            ("PORTAL_LOG_FORMAT", "json"),
            (
                "PORTAL_COGNITO_JWKS_URL",
                "http://127.0.0.1:4566/pool/.well-known/jwks.json",
            ),
        ]);
        let s = Settings::from_lookup(lookup(&pairs)).unwrap();
        assert_eq!(s.addr.port(), 0);
        assert!(s.insecure_http);
        assert_eq!(s.log_format, LogFormat::Json);
        assert!(s.cognito.jwks_url.starts_with("http://127.0.0.1:4566/"));
    }
}
