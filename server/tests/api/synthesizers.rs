//! Synthesizer configuration over HTTP: create, read, update, delete, import; field-level
//! validation; ownership (another subscriber's id is 404 everywhere).

use serde_json::{json, Value};

use crate::helpers::spawn_app;
use crate::verification::subscriber;

fn valid() -> Value {
    json!({
        "name": "production",
        "account": "210987654321",
        "region": "us-west-2",
        "cdk": {
            "version": "21",
            "kms": {"alias": "alias/fastish-assets"},
            "ssm": {"parameter": "/cdk-bootstrap/hnb659fds/version"},
            "role": {
                "handshake": "arn:aws:iam::210987654321:role/fastish-handshake-role",
                "deploy": "arn:aws:iam::210987654321:role/cdk-hnb659fds-deploy-role-210987654321-us-west-2"
            },
            "storage": {"assetsBucket": "cdk-hnb659fds-assets-210987654321-us-west-2",
                        "imagesRepo": "cdk-hnb659fds-container-assets-210987654321-us-west-2"}
        }
    })
}

fn form(pairs: &[(&str, &str)]) -> String {
    pairs
        .iter()
        .map(|(k, v)| format!("{}={}", urlencoding::encode(k), urlencoding::encode(v)))
        .collect::<Vec<_>>()
        .join("&")
}

fn set(mut v: Value, path: &str, value: Value) -> Value {
    let parts: Vec<&str> = path.split('.').collect();
    let mut node = &mut v;
    for p in &parts[..parts.len() - 1] {
        node = &mut node[*p];
    }
    node[parts[parts.len() - 1]] = value;
    v
}

#[tokio::test]
async fn create_read_update_delete() {
    let app = spawn_app().await;
    let (_, cookie) = app.new_subscriber().await;
    let r = app
        .post_json("/api/subscriber/synthesizer", valid(), Some(&cookie))
        .await;
    assert_eq!(r.status(), 201);
    let created: Value = r.json().await.unwrap();
    let id = created["id"].as_str().unwrap().to_owned();
    assert_eq!(created["name"], "production");
    assert_eq!(
        created["cdk"]["role"]["handshake"],
        valid()["cdk"]["role"]["handshake"]
    );
    assert_eq!(created["verified"], false);
    assert_eq!(created["verifiedAt"], Value::Null);

    let list: Value = app
        .get("/api/subscriber/synthesizer", Some(&cookie))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(list.as_array().unwrap().len(), 1);
    assert_eq!(list[0]["id"], id.as_str());

    // The same name twice is a conflict, named on the field.
    let r = app
        .post_json("/api/subscriber/synthesizer", valid(), Some(&cookie))
        .await;
    assert_eq!(r.status(), 409);
    assert!(r.json::<Value>().await.unwrap()["fields"]["name"].is_string());

    let r = app
        .http
        .put(app.url(&format!("/api/subscriber/synthesizer/{id}")))
        .header("cookie", &cookie)
        .json(&set(valid(), "region", json!("eu-central-1")))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let got: Value = app
        .get(&format!("/api/subscriber/synthesizer/{id}"), Some(&cookie))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(got["region"], "eu-central-1");

    let r = app
        .http
        .delete(app.url(&format!("/api/subscriber/synthesizer/{id}")))
        .header("cookie", &cookie)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 204);
    assert_eq!(
        app.get(&format!("/api/subscriber/synthesizer/{id}"), Some(&cookie))
            .await
            .status(),
        404
    );
    assert_eq!(
        app.get("/api/subscriber/synthesizer", None).await.status(),
        401
    );
}

#[tokio::test]
async fn bad_input_is_refused_field_by_field_and_nothing_is_stored() {
    let app = spawn_app().await;
    let (_, cookie) = app.new_subscriber().await;
    let cases: Vec<(&str, Value)> = vec![
        ("name", json!("")),
        ("name", json!("Has Spaces")),
        ("name", json!("-leading")),
        ("account", json!("12345")),
        ("account", json!("abcdefghijkl")),
        ("account", json!(210987654321u64)),
        ("region", json!("us-middle-1")),
        ("region", json!(null)),
        ("cdk.role.handshake", json!("not-an-arn")),
        (
            "cdk.role.handshake",
            json!("arn:aws:iam::999999999999:role/fastish-handshake-role"),
        ),
        (
            "cdk.role.deploy",
            json!("arn:aws:iam::210987654321:user/someone"),
        ),
        ("cdk.role.exec", json!("arn:aws:sts::210987654321:role/x")),
        ("cdk.role.lookup", json!("arn:aws:iam::210987654321:role/")),
        (
            "cdk.role.filePublish",
            json!("arn:aws:iam::111111111111:role/x"),
        ),
        ("cdk.role.imagePublish", json!(42)),
        ("cdk.storage.assetsBucket", json!("UPPER")),
        ("cdk.storage.assetsBucket", json!("10.0.0.1")),
        ("cdk.storage.assetsBucket", json!("x")),
        ("cdk.storage.imagesRepo", json!("Has_Upper")),
        ("cdk.storage.imagesRepo", json!("-x")),
        ("cdk.kms.alias", json!("fastish-assets")),
        ("cdk.kms.key", json!("not-a-key")),
        ("cdk.ssm.parameter", json!("no-slash")),
        ("cdk.version", json!("v21")),
    ];
    for (path, value) in cases {
        let r = app
            .post_json(
                "/api/subscriber/synthesizer",
                set(valid(), path, value.clone()),
                Some(&cookie),
            )
            .await;
        assert_eq!(r.status(), 400, "{path} = {value}");
        let body: Value = r.json().await.unwrap();
        assert!(body["error"].is_string());
        assert!(body["fields"][path].is_string(), "{path} = {value}: {body}");
    }
    for bad_body in ["not json", "[1,2]", "{\"name\":"] {
        let r = app
            .http
            .post(app.url("/api/subscriber/synthesizer"))
            .header("cookie", &cookie)
            .header("content-type", "application/json")
            .body(bad_body)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 400, "{bad_body}");
    }
    let list: Value = app
        .get("/api/subscriber/synthesizer", Some(&cookie))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(list, json!([]), "nothing was stored");
}

#[tokio::test]
async fn another_subscribers_synthesizer_is_not_found_on_every_route() {
    let s = subscriber().await;
    let r = s
        .app
        .post_json("/api/subscriber/synthesizer", valid(), Some(&s.cookie))
        .await;
    let id = r.json::<Value>().await.unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let (_, other) = s.app.new_subscriber().await;
    let base = format!("/api/subscriber/synthesizer/{id}");
    let app = &s.app;
    let responses = vec![
        ("GET", app.get(&base, Some(&other)).await.status()),
        (
            "PUT",
            app.http
                .put(app.url(&base))
                .header("cookie", &other)
                .json(&valid())
                .send()
                .await
                .unwrap()
                .status(),
        ),
        (
            "POST",
            app.post_json(&base, valid(), Some(&other)).await.status(),
        ),
        (
            "DELETE",
            app.http
                .delete(app.url(&base))
                .header("cookie", &other)
                .send()
                .await
                .unwrap()
                .status(),
        ),
        (
            "verify",
            app.post_json(&format!("{base}/verify"), json!({}), Some(&other))
                .await
                .status(),
        ),
        (
            "verifications",
            app.get(&format!("{base}/verifications"), Some(&other))
                .await
                .status(),
        ),
        (
            "delete form",
            app.post_json(&format!("{base}/delete"), json!({}), Some(&other))
                .await
                .status(),
        ),
        (
            "trust policy",
            app.get(
                &format!("/api/subscriber/trust-policy?synthesizer={id}"),
                Some(&other),
            )
            .await
            .status(),
        ),
        (
            "missing id",
            app.get(
                "/api/subscriber/synthesizer/syn_0000000000000000",
                Some(&s.cookie),
            )
            .await
            .status(),
        ),
    ];
    for (route, status) in responses {
        assert_eq!(status, 404, "{route}");
    }
    // Still there for its owner, and the other subscriber's list is empty.
    assert_eq!(app.get(&base, Some(&s.cookie)).await.status(), 200);
    let theirs: Value = app
        .get("/api/subscriber/synthesizer", Some(&other))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(theirs, json!([]));
    // The owner's trust policy for it works (inside the reauthentication window).
    assert_eq!(
        app.get(
            &format!("/api/subscriber/trust-policy?synthesizer={id}"),
            Some(&s.cookie)
        )
        .await
        .status(),
        200
    );
}

#[tokio::test]
async fn import_fills_the_form_from_cdktoolkit_outputs_or_the_fastish_bootstrap_json() {
    let app = spawn_app().await;
    let (_, cookie) = app.new_subscriber().await;
    let describe = json!({"Stacks": [{
        "StackName": "CDKToolkit",
        "StackId": "arn:aws:cloudformation:eu-central-1:210987654321:stack/CDKToolkit/1",
        "Outputs": [
            {"OutputKey": "BucketName", "OutputValue": "cdk-hnb659fds-assets-210987654321-eu-central-1"},
            {"OutputKey": "ImageRepositoryName", "OutputValue": "cdk-hnb659fds-container-assets-210987654321-eu-central-1"},
            {"OutputKey": "BootstrapVersion", "OutputValue": "21"}
        ]
    }]});
    let r = app
        .post_json(
            "/api/subscriber/synthesizer/import",
            json!({"name": "from-cdk", "outputs": describe}),
            Some(&cookie),
        )
        .await;
    assert_eq!(r.status(), 201);
    let s: Value = r.json().await.unwrap();
    assert_eq!(s["account"], "210987654321");
    assert_eq!(s["region"], "eu-central-1");
    assert_eq!(
        s["cdk"]["storage"]["assetsBucket"],
        "cdk-hnb659fds-assets-210987654321-eu-central-1"
    );
    assert_eq!(
        s["cdk"]["role"]["deploy"],
        "arn:aws:iam::210987654321:role/cdk-hnb659fds-deploy-role-210987654321-eu-central-1"
    );
    assert_eq!(
        s["cdk"]["role"]["handshake"], "",
        "CDKToolkit does not know the handshake role"
    );

    let mut fastish = valid();
    fastish.as_object_mut().unwrap().remove("name");
    let r = app
        .post_json(
            "/api/subscriber/synthesizer/import",
            json!({"name": "from-fastish", "outputs": fastish.to_string()}),
            Some(&cookie),
        )
        .await;
    assert_eq!(r.status(), 201, "the outputs may be pasted as text");
    let s: Value = r.json().await.unwrap();
    assert_eq!(
        s["cdk"]["role"]["handshake"],
        valid()["cdk"]["role"]["handshake"]
    );

    for (body, field) in [
        (json!({"name": "x"}), "outputs"),
        (json!({"name": "x", "outputs": "not json"}), "outputs"),
        (json!({"name": "x", "outputs": {"hello": 1}}), "outputs"),
        (
            json!({"name": "x", "outputs": [{"OutputKey": "BootstrapVersion", "OutputValue": "21"}]}),
            "outputs",
        ),
        (json!({"name": "Bad Name", "outputs": describe}), "name"),
        (
            json!({"name": "y", "outputs": [{"OutputKey": "BucketName", "OutputValue": "my-own-bucket"}]}),
            "account",
        ),
    ] {
        let r = app
            .post_json(
                "/api/subscriber/synthesizer/import",
                body.clone(),
                Some(&cookie),
            )
            .await;
        assert_eq!(r.status(), 400, "{body}");
        let e: Value = r.json().await.unwrap();
        assert!(e["fields"][field].is_string(), "{body}: {e}");
    }
    let list: Value = app
        .get("/api/subscriber/synthesizer", Some(&cookie))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        list.as_array().unwrap().len(),
        2,
        "no half-filled record from a refused import"
    );
}

#[tokio::test]
async fn a_refused_form_post_comes_back_with_what_was_typed_and_a_note_per_field() {
    let app = spawn_app().await;
    let (_, cookie) = app.new_subscriber().await;
    let r = app
        .http
        .post(app.url("/api/subscriber/synthesizer"))
        .header("cookie", &cookie)
        .header("content-type", "application/x-www-form-urlencoded")
        .body(form(&[
            ("name", "prod"),
            ("account", "12"),
            ("region", "us-west-2"),
            ("cdk.role.handshake", "arn:aws:iam::999999999999:role/h"),
        ]))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
    let location = r.headers()["location"].to_str().unwrap().to_owned();
    assert!(
        location.starts_with("/synthesizers/new?error=invalid"),
        "{location}"
    );
    assert!(
        location.contains("name=prod") && location.contains("e.account="),
        "{location}"
    );
    let page = app
        .get(&location, Some(&cookie))
        .await
        .text()
        .await
        .unwrap();
    assert!(page.contains("value=\"prod\""), "the typed name is kept");
    assert!(
        page.contains("exactly 12 digits"),
        "the account's note is shown"
    );

    let r = app
        .http
        .post(app.url("/api/subscriber/synthesizer"))
        .header("cookie", &cookie)
        .header("content-type", "application/x-www-form-urlencoded")
        .body(form(&[
            ("name", "prod"),
            ("account", "210987654321"),
            ("region", "us-west-2"),
            ("cdk.storage.assetsBucket", "my-bucket"),
        ]))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
    let location = r.headers()["location"].to_str().unwrap().to_owned();
    assert!(location.starts_with("/synthesizers/syn_"), "{location}");
    let page = app
        .get(&location, Some(&cookie))
        .await
        .text()
        .await
        .unwrap();
    assert!(page.contains("my-bucket") && page.contains("Verify Configuration"));
}

#[tokio::test]
async fn deleting_needs_a_recent_reauthentication_when_mfa_is_on() {
    let app = spawn_app().await;
    let (email, cookie) = app.new_subscriber().await;
    let r = app
        .post_json("/api/subscriber/synthesizer", valid(), Some(&cookie))
        .await;
    let id = r.json::<Value>().await.unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    app.store_file()
        .execute(
            "UPDATE subscribers SET mfa_enabled = 1 WHERE email = ?1",
            [&email],
        )
        .unwrap();
    let r = app
        .http
        .delete(app.url(&format!("/api/subscriber/synthesizer/{id}")))
        .header("cookie", &cookie)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 403);
    assert_eq!(
        app.get(&format!("/api/subscriber/synthesizer/{id}"), Some(&cookie))
            .await
            .status(),
        200
    );
}

/// Server-side renders of the synthesizer pages, many at once (each page loads its data through
/// a Resource): every one completes.
#[tokio::test]
async fn synthesizer_pages_render_under_concurrent_requests() {
    let app = spawn_app().await;
    let (_, cookie) = app.new_subscriber().await;
    let r = app
        .post_json("/api/subscriber/synthesizer", valid(), Some(&cookie))
        .await;
    let id = r.json::<Value>().await.unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let pages = [
        ("/synthesizers".to_owned(), "production"),
        ("/synthesizers/new".to_owned(), "Import from your bootstrap"),
        (format!("/synthesizers/{id}"), "Verify Configuration"),
        (format!("/synthesizers/{id}/history"), "No reports yet."),
    ];
    let requests = (0..24).map(|i| {
        let (path, expected) = &pages[i % pages.len()];
        let (app, cookie) = (&app, &cookie);
        async move {
            let r = tokio::time::timeout(std::time::Duration::from_secs(20), async {
                app.get(path, Some(cookie)).await.text().await.unwrap()
            })
            .await
            .unwrap_or_else(|_| panic!("{path} did not finish rendering"));
            assert!(r.contains(expected), "{path}");
        }
    });
    futures::future::join_all(requests).await;
}

#[tokio::test]
async fn the_openapi_document_describes_the_synthesizer_routes() {
    let app = spawn_app().await;
    let r = app.get("/api/openapi.json", None).await;
    assert_eq!(r.status(), 200);
    let doc: Value = r.json().await.unwrap();
    assert_eq!(doc["openapi"], "3.1.0");
    for path in [
        "/api/platform",
        "/api/subscriber/synthesizer",
        "/api/subscriber/synthesizer/import",
        "/api/subscriber/synthesizer/{id}",
        "/api/subscriber/synthesizer/{id}/verify",
        "/api/subscriber/synthesizer/{id}/verifications",
        "/v1/subscriber/{subscriberId}/summary",
    ] {
        assert!(doc["paths"].get(path).is_some(), "{path}");
    }
}
