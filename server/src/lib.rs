//! The Fastish Portal's server: configuration, the store, AWS, identity and the HTTP surface.
//! The binary (`main.rs`) only reads settings and runs `startup::Portal`. See ARCHITECTURE.md.

pub mod aws;
pub mod config;
pub mod health;
pub mod http;
pub mod identity;
pub mod jwks;
pub mod platform;
pub mod release;
pub mod services;
pub mod startup;
pub mod store;
pub mod synthesizer;
pub mod telemetry;
pub mod time;
pub mod verification;
