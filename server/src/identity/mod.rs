//! Identity (layers 1-3 of the specification): the subscriber API key, Cognito sign-in with MFA,
//! server-side sessions, and the `X-Api-Key` authorizer. The raw key exists only in here.

pub mod api_key;
pub mod cognito;
pub mod cookies;
pub mod model;
pub mod rate_limit;
pub mod service;
pub mod tokens;

pub use service::{Authenticated, AuthorizerContext, Identity, IdentityError, LoginOutcome};
