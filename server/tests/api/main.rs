//! Black-box tests of the real portal over HTTP, against the local AWS.
//! Run them through `make test`, which starts the local AWS and exports its settings.

mod health;
mod helpers;
mod identity;
mod pages;
mod tls;
mod tokens;
