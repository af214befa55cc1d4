//! `server`: runs the portal. Settings come from the environment (see README.md).

use std::process::ExitCode;

use server::{config::Settings, startup, telemetry};

/// Worker threads get more stack than tokio's default 2 MiB: server-side rendering of the larger
/// pages polls deeply nested futures, which in unoptimised builds overflowed 2 MiB.
const WORKER_STACK_BYTES: usize = 16 * 1024 * 1024;

fn main() -> ExitCode {
    match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .thread_stack_size(WORKER_STACK_BYTES)
        .build()
    {
        Ok(runtime) => runtime.block_on(run()),
        Err(e) => {
            eprintln!("fastish portal: the async runtime could not start: {e}");
            ExitCode::FAILURE
        }
    }
}

async fn run() -> ExitCode {
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
