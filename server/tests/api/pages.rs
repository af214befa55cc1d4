use crate::helpers::spawn_app;

async fn page(path: &str) -> (u16, String) {
    let app = spawn_app().await;
    let r = app.http.get(app.url(path)).send().await.unwrap();
    (r.status().as_u16(), r.text().await.unwrap())
}

#[tokio::test]
async fn home_renders_server_side_with_its_title_and_hydration_script() {
    let (status, html) = page("/").await;
    assert_eq!(status, 200);
    assert!(html.contains("<title>Fastish Portal</title>"), "{html}");
    assert!(html.contains("Verify your AWS account before you deploy"));
    assert!(
        html.contains("/pkg/fastish-portal.js"),
        "the hydration script is linked"
    );
}

#[tokio::test]
async fn sign_in_page_renders_a_form_that_works_without_javascript() {
    let (status, html) = page("/signin").await;
    assert_eq!(status, 200);
    assert!(
        html.contains("<title>Sign in · Fastish Portal</title>"),
        "{html}"
    );
    assert!(html.contains(r#"method="post""#));
    assert!(html.contains(r#"name="password""#));
}

#[tokio::test]
async fn navigation_links_to_every_area() {
    let (_, html) = page("/").await;
    for href in ["/synthesizers", "/releases", "/account"] {
        assert!(
            html.contains(&format!(r#"href="{href}""#)),
            "nav links {href}"
        );
    }
}

#[tokio::test]
async fn unknown_pages_are_404_with_a_way_back() {
    let (status, html) = page("/no-such-page").await;
    assert_eq!(status, 404);
    assert!(html.contains("Page not found"));
}
