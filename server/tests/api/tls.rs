//! The portal terminating TLS itself, with a self-signed certificate made for the test.

use crate::helpers::spawn_app_with;
use server::config::TlsFiles;

#[tokio::test]
async fn with_a_certificate_the_portal_serves_https_with_hsts() {
    let dir = tempfile::tempdir().unwrap();
    let generated = rcgen::generate_simple_self_signed(vec!["localhost".to_string()]).unwrap();
    let cert_pem = generated.cert.pem();
    std::fs::write(dir.path().join("cert.pem"), &cert_pem).unwrap();
    std::fs::write(
        dir.path().join("key.pem"),
        generated.signing_key.serialize_pem(),
    )
    .unwrap();
    let app = spawn_app_with(|s| {
        s.insecure_http = false;
        s.tls = Some(TlsFiles {
            cert: dir.path().join("cert.pem"),
            key: dir.path().join("key.pem"),
        });
    })
    .await;

    let https = reqwest::Client::builder()
        .add_root_certificate(reqwest::Certificate::from_pem(cert_pem.as_bytes()).unwrap())
        .build()
        .unwrap();
    let url = |path: &str| format!("https://localhost:{}{path}", app.addr.port());
    let r = https.get(url("/healthz")).send().await.unwrap();
    assert_eq!(r.status(), 200);
    let r = https.get(url("/")).send().await.unwrap();
    assert_eq!(r.status(), 200);
    assert!(r.headers()["strict-transport-security"]
        .to_str()
        .unwrap()
        .starts_with("max-age="));

    // Plain http to the TLS port gets no page.
    assert!(app
        .http
        .get(app.url("/healthz"))
        .send()
        .await
        .map(|r| r.status() != 200)
        .unwrap_or(true));
    // A client that does not trust the certificate is refused.
    assert!(reqwest::Client::new()
        .get(url("/healthz"))
        .send()
        .await
        .is_err());
}
