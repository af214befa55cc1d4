//! Synthesizers: what a subscriber configures (an AWS account + region with its CDK bootstrap
//! resources), the input rules, import, and the service that verifies them.

pub mod import;
pub mod model;
pub mod rules;
pub mod service;

pub use service::{SynthesizerError, SynthesizerService};
