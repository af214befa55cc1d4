//! Black-box tests of the real portal over HTTP, against the local AWS.
//! Run them through `make test`, which starts the local AWS and exports its settings.

mod aws_fixture;
mod health;
mod helpers;
mod identity;
mod pages;
mod releases;
mod synthesizers;
mod tls;
mod tokens;
mod unreachable;
mod verification;
