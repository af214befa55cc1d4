//! Forged Cognito tokens, each refused with 401 and no detail; and TOTP MFA end to end.
//! Forgeries are minted with the local Cognito's own signing key (moto publishes it; the test
//! script exports it as PEM in FASTISH_TEST_SIGNING_KEY), so their signatures are valid.

use base64::Engine;
use jsonwebtoken::{encode, Algorithm, EncodingKey, Header};
use serde_json::{json, Value};

use crate::helpers::{session_cookie, spawn_app, TestApp, PASSWORD};

fn b64(bytes: &[u8]) -> String {
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

fn signing_key() -> EncodingKey {
    let path = std::env::var("FASTISH_TEST_SIGNING_KEY")
        .expect("FASTISH_TEST_SIGNING_KEY: run the tests through `make test`");
    EncodingKey::from_rsa_pem(&std::fs::read(path).unwrap()).unwrap()
}

fn now() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs()
}

fn claims(app: &TestApp, sub: &str) -> Value {
    json!({
        "iss": format!("https://cognito-idp.{}.amazonaws.com/{}", app.settings.cognito.region, app.settings.cognito.user_pool_id),
        "sub": sub,
        "client_id": app.settings.cognito.client_id,
        "token_use": "access",
        "username": sub,
        "iat": now(),
        "exp": now() + 600,
    })
}

fn mint(claims: &Value, kid: Option<&str>) -> String {
    let mut header = Header::new(Algorithm::RS256);
    header.kid = kid.map(str::to_owned);
    encode(&header, claims, &signing_key()).unwrap()
}

#[tokio::test]
async fn forged_tokens_are_refused_without_detail() {
    let app = spawn_app().await;
    let (email, cookie) = app.new_subscriber().await;
    let key = app.reveal_key(&cookie).await;
    let sub = app.subscriber_id(&cookie).await;
    let good = claims(&app, &sub);
    let call = |token: String| {
        let (app, key, sub) = (&app, key.clone(), sub.clone());
        async move { app.backend_summary(Some(&key), Some(&token), &sub).await }
    };

    // The genuine article passes: the forgeries below fail for their flaw alone.
    assert_eq!(call(mint(&good, Some("dummy"))).await.status(), 200);
    assert_eq!(call(app.access_token(&email).await).await.status(), 200);

    let mut forgeries: Vec<(&str, String)> = Vec::new();
    let unsigned_header = b64(br#"{"alg":"none","kid":"dummy","typ":"JWT"}"#);
    forgeries.push((
        "alg none",
        format!("{unsigned_header}.{}.", b64(good.to_string().as_bytes())),
    ));
    let public_pem = std::fs::read(std::env::var("FASTISH_TEST_SIGNING_KEY").unwrap()).unwrap();
    let mut hs = Header::new(Algorithm::HS256);
    hs.kid = Some("dummy".into());
    forgeries.push((
        "HS256 keyed with key material",
        encode(&hs, &good, &EncodingKey::from_secret(&public_pem).unwrap()).unwrap(),
    ));
    forgeries.push(("unknown kid", mint(&good, Some("not-a-key"))));
    forgeries.push(("no kid", mint(&good, None)));
    let mut c = good.clone();
    c["iss"] = json!("https://cognito-idp.us-west-2.amazonaws.com/us-west-2_other");
    forgeries.push(("wrong iss", mint(&c, Some("dummy"))));
    let mut c = good.clone();
    c["client_id"] = json!("another-client");
    forgeries.push(("wrong client_id", mint(&c, Some("dummy"))));
    let mut c = good.clone();
    c["exp"] = json!(now() - 120);
    c["iat"] = json!(now() - 3720);
    forgeries.push(("expired", mint(&c, Some("dummy"))));
    let mut c = good.clone();
    c["token_use"] = json!("id");
    c.as_object_mut().unwrap().remove("client_id");
    c["aud"] = json!(app.settings.cognito.client_id);
    forgeries.push(("an ID token", mint(&c, Some("dummy"))));
    let genuine = mint(&good, Some("dummy"));
    let parts: Vec<&str> = genuine.split('.').collect();
    let mut c = good.clone();
    c["sub"] = json!("someone-else");
    forgeries.push((
        "modified payload",
        format!(
            "{}.{}.{}",
            parts[0],
            b64(c.to_string().as_bytes()),
            parts[2]
        ),
    ));
    forgeries.push(("not a JWT", "abc".into()));

    let mut bodies = Vec::new();
    for (what, token) in forgeries {
        let r = call(token).await;
        assert_eq!(r.status(), 401, "{what}");
        bodies.push((what, r.text().await.unwrap()));
    }
    let first = bodies[0].1.clone();
    for (what, body) in &bodies {
        assert_eq!(body, &first, "{what}: the refusal must not say why");
    }
}

/// The current RFC 6238 code; near the end of a 30 s step it waits for the next step, so the code
/// cannot expire between here and the server's check.
fn totp(secret_base32: &str) -> String {
    if now() % 30 > 26 {
        std::thread::sleep(std::time::Duration::from_secs(30 - now() % 30));
    }
    let secret = base32_decode(secret_base32);
    totp_lite::totp_custom::<totp_lite::Sha1>(30, 6, &secret, now())
}

fn base32_decode(text: &str) -> Vec<u8> {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    let mut bits = 0u64;
    let mut count = 0;
    let mut out = Vec::new();
    for c in text.trim_end_matches('=').bytes() {
        let v = ALPHABET
            .iter()
            .position(|a| *a == c.to_ascii_uppercase())
            .expect("base32") as u64;
        bits = (bits << 5) | v;
        count += 5;
        if count >= 8 {
            count -= 8;
            out.push((bits >> count) as u8);
        }
    }
    out
}

#[tokio::test]
async fn totp_mfa_enrolment_sign_in_and_reauthentication() {
    let app = spawn_app().await;
    let (email, cookie) = app.new_subscriber().await;

    let r = app
        .post_json("/api/auth/mfa/setup", json!({}), Some(&cookie))
        .await;
    assert_eq!(r.status(), 200);
    let setup: Value = r.json().await.unwrap();
    let secret = setup["secret"].as_str().unwrap().to_owned();
    assert!(setup["otpauthUri"]
        .as_str()
        .unwrap()
        .starts_with("otpauth://totp/"));
    assert!(setup["qrSvg"].as_str().unwrap().contains("<svg"));
    let r = app
        .post_json(
            "/api/auth/mfa/enable",
            json!({"code": "000000"}),
            Some(&cookie),
        )
        .await;
    assert_eq!(r.status(), 401, "a wrong code does not enable MFA");
    let r = app
        .post_json(
            "/api/auth/mfa/enable",
            json!({"code": totp(&secret)}),
            Some(&cookie),
        )
        .await;
    assert_eq!(r.status(), 204);

    // Sign in again: the password alone is not enough now.
    let r = app
        .post_json(
            "/api/auth/login",
            json!({"email": email, "password": PASSWORD}),
            None,
        )
        .await;
    assert_eq!(r.status(), 200);
    let challenge = r
        .headers()
        .get_all("set-cookie")
        .iter()
        .map(|v| v.to_str().unwrap().split(';').next().unwrap().to_owned())
        .find(|c| c.starts_with("fastish_mfa="))
        .expect("a challenge cookie");
    assert_eq!(r.json::<Value>().await.unwrap()["status"], "mfa_required");
    let r = app
        .post_json("/api/auth/mfa", json!({"code": "000000"}), Some(&challenge))
        .await;
    assert_eq!(r.status(), 401);
    let r = app
        .post_json(
            "/api/auth/mfa",
            json!({"code": totp(&secret)}),
            Some(&challenge),
        )
        .await;
    assert_eq!(r.status(), 200);
    let mfa_cookie = session_cookie(&r);

    // Reveal is refused without reauthentication, and reauthentication needs the code too.
    assert_eq!(
        app.get("/api/subscriber/apikey", Some(&mfa_cookie))
            .await
            .status(),
        403
    );
    let r = app
        .post_json(
            "/api/auth/reauth",
            json!({"password": PASSWORD}),
            Some(&mfa_cookie),
        )
        .await;
    assert_eq!(r.status(), 400);
    assert!(r.json::<Value>().await.unwrap()["fields"]["code"].is_string());
    let r = app
        .post_json(
            "/api/auth/reauth",
            json!({"password": PASSWORD, "code": totp(&secret)}),
            Some(&mfa_cookie),
        )
        .await;
    assert_eq!(r.status(), 204);
    let r = app.get("/api/subscriber/apikey", Some(&mfa_cookie)).await;
    assert_eq!(r.status(), 200);
    assert!(r.json::<Value>().await.unwrap()["apiKey"]
        .as_str()
        .unwrap()
        .starts_with("sk_"));
}
