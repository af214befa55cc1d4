//! Starts the real portal on port 0 with a fresh data directory, configured from the process
//! environment exactly as the binary is (plus overrides a test asks for).

use std::net::SocketAddr;

use serde_json::{json, Value};
use server::config::Settings;
use server::startup::Portal;

pub struct TestApp {
    pub addr: SocketAddr,
    pub http: reqwest::Client,
    pub settings: Settings,
    data_dir: tempfile::TempDir,
    _shutdown: tokio::sync::oneshot::Sender<()>,
}

impl TestApp {
    pub fn url(&self, path: &str) -> String {
        format!("http://{}{}", self.addr, path)
    }

    /// Opens the portal's store file directly, for a test to put a state in place (an old
    /// session, a suspended subscriber) that no API call can produce.
    pub fn store_file(&self) -> rusqlite::Connection {
        rusqlite::Connection::open(self.data_dir.path().join("portal.sqlite3")).unwrap()
    }

    pub async fn post_json(
        &self,
        path: &str,
        body: Value,
        cookie: Option<&str>,
    ) -> reqwest::Response {
        let mut r = self.http.post(self.url(path)).json(&body);
        if let Some(c) = cookie {
            r = r.header("cookie", c);
        }
        r.send().await.unwrap()
    }

    pub async fn get(&self, path: &str, cookie: Option<&str>) -> reqwest::Response {
        let mut r = self.http.get(self.url(path));
        if let Some(c) = cookie {
            r = r.header("cookie", c);
        }
        r.send().await.unwrap()
    }

    /// Signs up a fresh subscriber and signs in; returns (email, session cookie).
    pub async fn new_subscriber(&self) -> (String, String) {
        let email = unique_email();
        let r = self
            .post_json(
                "/api/auth/signup",
                json!({"email": email, "password": PASSWORD}),
                None,
            )
            .await;
        assert_eq!(r.status(), 201, "signup: {}", r.text().await.unwrap());
        let cookie = self.log_in(&email).await;
        (email, cookie)
    }

    pub async fn log_in(&self, email: &str) -> String {
        let r = self
            .post_json(
                "/api/auth/login",
                json!({"email": email, "password": PASSWORD}),
                None,
            )
            .await;
        assert_eq!(r.status(), 200);
        let cookie = session_cookie(&r);
        assert_eq!(r.json::<Value>().await.unwrap()["status"], "signed_in");
        cookie
    }

    /// Reauthenticates and reveals the key (the one response allowed to carry it).
    pub async fn reveal_key(&self, cookie: &str) -> String {
        let r = self
            .post_json(
                "/api/auth/reauth",
                json!({"password": PASSWORD}),
                Some(cookie),
            )
            .await;
        assert_eq!(r.status(), 204);
        let r = self.get("/api/subscriber/apikey", Some(cookie)).await;
        assert_eq!(r.status(), 200);
        assert_eq!(r.headers()["cache-control"], "no-store");
        r.json::<Value>().await.unwrap()["apiKey"]
            .as_str()
            .unwrap()
            .to_owned()
    }

    /// The subscriber id behind a session cookie (from the summary).
    pub async fn subscriber_id(&self, cookie: &str) -> String {
        let summary: Value = self
            .get("/v1/api/subscriber/summary", Some(cookie))
            .await
            .json()
            .await
            .unwrap();
        summary["subscriberId"].as_str().unwrap().to_owned()
    }

    /// The backend API's authorizer route, as a script calls it.
    pub async fn backend_summary(
        &self,
        key: Option<&str>,
        token: Option<&str>,
        id: &str,
    ) -> reqwest::Response {
        let mut r = self
            .http
            .get(self.url(&format!("/v1/subscriber/{id}/summary")));
        if let Some(k) = key {
            r = r.header("x-api-key", k);
        }
        if let Some(t) = token {
            r = r.header("authorization", format!("Bearer {t}"));
        }
        r.send().await.unwrap()
    }

    /// A Cognito access token for `email`, straight from the pool (as an API client gets one).
    pub async fn access_token(&self, email: &str) -> String {
        let sdk = aws_config::defaults(aws_config::BehaviorVersion::latest())
            .load()
            .await;
        let idp = aws_sdk_cognitoidentityprovider::Client::new(&sdk);
        let out = idp
            .initiate_auth()
            .client_id(&self.settings.cognito.client_id)
            .auth_flow(aws_sdk_cognitoidentityprovider::types::AuthFlowType::UserPasswordAuth)
            .auth_parameters("USERNAME", email)
            .auth_parameters("PASSWORD", PASSWORD)
            .send()
            .await
            .unwrap();
        out.authentication_result()
            .unwrap()
            .access_token()
            .unwrap()
            .to_owned()
    }
}

pub const PASSWORD: &str = "Correct-Horse-9-battery";

pub fn unique_email() -> String {
    let mut b = [0u8; 6];
    getrandom::fill(&mut b).unwrap();
    format!("t-{}@example.com", hex::encode(b))
}

/// `name=value` of the session cookie a response sets.
pub fn session_cookie(r: &reqwest::Response) -> String {
    r.headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with("fastish_session=") || v.starts_with("__Host-fastish_session="))
        .map(|v| v.split(';').next().unwrap().to_owned())
        .expect("a session cookie")
}

pub fn settings() -> Settings {
    Settings::from_env().unwrap_or_else(|e| {
        panic!(
            "{e}\nThe integration tests need the local AWS: run them with `make test`, or start it \
             with `make local-aws` and export the variables in .local-aws/dev/portal.env."
        )
    })
}

static PORTALS: std::sync::LazyLock<tokio::runtime::Runtime> = std::sync::LazyLock::new(|| {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        // As the binary (server/src/main.rs): page renders need more than tokio's default 2 MiB.
        .thread_stack_size(16 * 1024 * 1024)
        .enable_all()
        .build()
        .expect("a runtime for the portals under test")
});

pub async fn spawn_app() -> TestApp {
    spawn_app_with(|_| {}).await
}

pub async fn spawn_app_with(adjust: impl FnOnce(&mut Settings)) -> TestApp {
    let data_dir = tempfile::tempdir().expect("a temporary data directory");
    let mut settings = settings();
    // Plain-http local mode, as `make dev`: the test client talks http to loopback.
    settings.insecure_http = true;
    settings.addr = "127.0.0.1:0".parse().unwrap();
    settings.data_dir = data_dir.path().to_path_buf();
    adjust(&mut settings);
    let kept = settings.clone();
    // Every portal under test lives on one runtime that lasts as long as the test process, not
    // on the test's own runtime (dropped when the test ends): process-wide state (Leptos' executor,
    // pooled connections) must never point at a runtime that is gone.
    let (tx, rx) = tokio::sync::oneshot::channel::<()>();
    let addr = PORTALS
        .spawn(async move {
            let portal = Portal::build(settings).await.expect("the portal starts");
            let addr = portal.local_addr().unwrap();
            tokio::spawn(portal.run_until(async move {
                let _ = rx.await;
            }));
            addr
        })
        .await
        .expect("the portal's start-up task");
    TestApp {
        addr,
        http: reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap(),
        settings: kept,
        data_dir,
        _shutdown: tx,
    }
}

/// An address where nothing listens: bound, then released.
pub fn closed_port() -> u16 {
    let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    l.local_addr().unwrap().port()
}
