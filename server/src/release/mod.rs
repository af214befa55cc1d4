//! Organizations, teams and releases: what a subscriber deploys, and the service behind Verify
//! Before Launch and Launch.

pub mod launch;
pub mod model;
pub mod rules;
pub mod service;

pub use service::{ReleaseError, ReleaseService};
