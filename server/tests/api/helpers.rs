//! Starts the real portal on port 0 with a fresh data directory, configured from the process
//! environment exactly as the binary is (plus overrides a test asks for).

use std::net::SocketAddr;

use server::config::Settings;
use server::startup::Portal;

pub struct TestApp {
    pub addr: SocketAddr,
    pub http: reqwest::Client,
    _data_dir: tempfile::TempDir,
    _shutdown: tokio::sync::oneshot::Sender<()>,
}

impl TestApp {
    pub fn url(&self, path: &str) -> String {
        format!("http://{}{}", self.addr, path)
    }
}

pub fn settings() -> Settings {
    Settings::from_env().unwrap_or_else(|e| {
        panic!(
            "{e}\nThe integration tests need the local AWS: run them with `make test`, or start it \
             with `make local-aws` and export the variables in .local-aws/dev/portal.env."
        )
    })
}

pub async fn spawn_app() -> TestApp {
    spawn_app_with(|_| {}).await
}

pub async fn spawn_app_with(adjust: impl FnOnce(&mut Settings)) -> TestApp {
    let data_dir = tempfile::tempdir().expect("a temporary data directory");
    let mut settings = settings();
    settings.addr = "127.0.0.1:0".parse().unwrap();
    settings.data_dir = data_dir.path().to_path_buf();
    adjust(&mut settings);
    let portal = Portal::build(settings).await.expect("the portal starts");
    let addr = portal.local_addr().unwrap();
    let (tx, rx) = tokio::sync::oneshot::channel::<()>();
    tokio::spawn(portal.run_until(async move {
        let _ = rx.await;
    }));
    TestApp {
        addr,
        http: reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap(),
        _data_dir: data_dir,
        _shutdown: tx,
    }
}

/// An address where nothing listens: bound, then released.
pub fn closed_port() -> u16 {
    let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    l.local_addr().unwrap().port()
}
