//! One module per page, named after what the subscriber sees.

pub mod account;
pub mod fields;
pub mod home;
pub mod not_found;
pub mod releases;
pub mod sign_in;
pub mod synthesizers;
