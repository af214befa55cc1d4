//! `server`: runs the portal. Settings come from the environment (see README.md).

use std::process::ExitCode;

use server::{config::Settings, startup, telemetry};

#[tokio::main]
async fn main() -> ExitCode {
    let settings = match Settings::from_env() {
        Ok(s) => s,
        Err(e) => {
            eprintln!("fastish portal: {e}");
            return ExitCode::from(2);
        }
    };
    telemetry::init(settings.log_format);
    let portal = match startup::Portal::build(settings).await {
        Ok(p) => p,
        Err(e) => {
            tracing::error!(error = format!("{e:#}"), "the portal could not start");
            return ExitCode::FAILURE;
        }
    };
    match portal.local_addr() {
        Ok(addr) => tracing::info!("Fastish Portal listening on http://{addr}"),
        Err(e) => tracing::warn!(error = %e, "listening, address unknown"),
    }
    if let Err(e) = portal.run_until(startup::shutdown_signal()).await {
        tracing::error!(error = %e, "the server stopped with an error");
        return ExitCode::FAILURE;
    }
    ExitCode::SUCCESS
}
