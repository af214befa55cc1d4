//! Verify Configuration: the six synthesizer checks of the specification (Layer 4), run against
//! the subscriber's AWS account through the handshake role. See ARCHITECTURE.md.

pub mod aws_error;
pub mod checks;
pub mod clients;
pub mod outcome;
pub mod release_runner;
pub mod runner;

pub use release_runner::{ReleaseTarget, ReleaseVerifier};
pub use runner::{RunInput, SynthesizerVerifier, VerifierSettings};
