//! `giro admin create`: the first way into a fresh database, run as the binary.

use std::io::Write;
use std::process::{Command, Output, Stdio};

use reqwest::StatusCode;
use serde_json::json;

use super::support::{fresh_database, TestApp};

/// Runs `giro admin create` on `url`; the password from the environment, or on stdin.
fn create_admin(url: &str, email: &str, env_password: Option<&str>, stdin: &str) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_giro"));
    cmd.args(["admin", "create", "--email", email, "--name", "Prima Admin"])
        .env("DATABASE_URL", url)
        .env_remove("GIRO_ADMIN_PASSWORD")
        .env("RUST_LOG", "off")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    if let Some(p) = env_password {
        cmd.env("GIRO_ADMIN_PASSWORD", p);
    }
    let mut child = cmd.spawn().expect("the giro binary runs");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(stdin.as_bytes())
        .unwrap();
    child.wait_with_output().unwrap()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

async fn login(http: &reqwest::Client, base: &str, email: &str, password: &str) -> StatusCode {
    http.post(format!("{base}/api/v1/login"))
        .json(&json!({"email": email, "password": password}))
        .send()
        .await
        .unwrap()
        .status()
}

#[tokio::test]
async fn a_fresh_database_gets_its_first_administrator() {
    let url = fresh_database().await;
    let made = create_admin(&url, "Capo@Comune.example", Some("una password lunga"), "");
    assert!(made.status.success(), "{}", stderr(&made));
    assert!(
        stderr(&made).contains("capo@comune.example"),
        "{}",
        stderr(&made)
    );

    // From standard input, as a script would pipe it.
    let piped = create_admin(&url, "vice@comune.example", None, "altra password lunga\n");
    assert!(piped.status.success(), "{}", stderr(&piped));

    // The same e-mail again, a short password, nothing on stdin: refused with exit code 1.
    let again = create_admin(&url, "capo@comune.example", Some("una password lunga"), "");
    assert_eq!(again.status.code(), Some(1), "{}", stderr(&again));
    assert!(
        stderr(&again).contains("already exists"),
        "{}",
        stderr(&again)
    );
    let short = create_admin(&url, "terzo@comune.example", Some("corta"), "");
    assert_eq!(short.status.code(), Some(1));
    assert!(stderr(&short).contains("password"), "{}", stderr(&short));
    let bad_email = create_admin(&url, "not-an-email", Some("una password lunga"), "");
    assert_eq!(bad_email.status.code(), Some(1));
    assert!(
        stderr(&bad_email).contains("email"),
        "{}",
        stderr(&bad_email)
    );
    let nothing = create_admin(&url, "quarto@comune.example", None, "");
    assert_eq!(nothing.status.code(), Some(1));
    assert!(
        stderr(&nothing).contains("GIRO_ADMIN_PASSWORD"),
        "{}",
        stderr(&nothing)
    );

    // The administrators log in through the API and act as such.
    let (base, _stop) = TestApp::serve_database(&url).await;
    let http = reqwest::Client::new();
    assert_eq!(
        login(&http, &base, "capo@comune.example", "una password lunga").await,
        StatusCode::OK
    );
    assert_eq!(
        login(&http, &base, "vice@comune.example", "altra password lunga").await,
        StatusCode::OK
    );
    assert_eq!(
        login(&http, &base, "capo@comune.example", "altra password lunga").await,
        StatusCode::UNAUTHORIZED
    );
    let res = http
        .post(format!("{base}/api/v1/login"))
        .json(&json!({"email": "capo@comune.example", "password": "una password lunga"}))
        .send()
        .await
        .unwrap();
    let me: serde_json::Value = res.json().await.unwrap();
    assert_eq!(me["role"], "admin");
    assert_eq!(me["name"], "Prima Admin");
    let store = giro::store::Store::connect(&url).await.unwrap();
    let users = store.users().await.unwrap();
    assert_eq!(users.len(), 2, "the refused attempts wrote nothing");
}
