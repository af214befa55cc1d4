//! Verify Configuration (and Verify Before Launch, which shares this panel): without JavaScript
//! the button posts a form (the page comes back with the stored report); with JavaScript the
//! same button starts the streaming server function and the six checks fill in as they complete.

use leptos::prelude::*;

use super::report::{rows_of, CheckRows, Row, Verdict};
use crate::contract::{CheckResult, ReleaseType, VerificationEvent};

/// What the panel verifies.
#[derive(Clone, Debug, PartialEq)]
pub enum Target {
    Synthesizer(String),
    Release(ReleaseType, String),
}

impl Target {
    fn action(&self) -> String {
        match self {
            Self::Synthesizer(id) => format!("/api/subscriber/synthesizer/{id}/verify"),
            Self::Release(t, id) => format!("/api/subscriber/release/{}/{id}/verify", t.as_str()),
        }
    }
}

/// A finished report, as the panel shows it.
#[derive(Clone, Debug, PartialEq)]
pub struct Summary {
    pub valid: bool,
    pub at: String,
    pub checks: Vec<CheckResult>,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Live {
    pub rows: Vec<Row>,
    pub report: Option<Summary>,
    pub error: Option<String>,
}

impl Live {
    fn pending(checks: &[&str]) -> Self {
        Self {
            rows: checks
                .iter()
                .map(|c| Row {
                    check: (*c).into(),
                    result: None,
                    progress: None,
                })
                .collect(),
            ..Default::default()
        }
    }

    #[cfg_attr(not(feature = "hydrate"), allow(dead_code))]
    fn apply(&mut self, event: VerificationEvent) {
        match event {
            VerificationEvent::Started { checks } => {
                self.rows = checks
                    .into_iter()
                    .map(|check| Row {
                        check,
                        result: None,
                        progress: None,
                    })
                    .collect();
            }
            VerificationEvent::Progress { check, message } => {
                if let Some(r) = self.rows.iter_mut().find(|r| r.check == check) {
                    r.progress = Some(message);
                }
            }
            VerificationEvent::Checked { result } => {
                if let Some(r) = self.rows.iter_mut().find(|r| r.check == result.check) {
                    r.result = Some(result);
                }
            }
            VerificationEvent::Finished { report } => {
                self.rows = rows_of(&report.checks);
                self.report = Some(Summary {
                    valid: report.valid,
                    at: report.verified_at,
                    checks: report.checks,
                });
            }
            VerificationEvent::ReleaseFinished { report } => {
                self.rows = rows_of(&report.checks);
                self.report = Some(Summary {
                    valid: report.valid,
                    at: report.verified_at,
                    checks: report.checks,
                });
            }
            VerificationEvent::Failed { error } => self.error = Some(error),
        }
    }

    fn running(&self) -> bool {
        self.report.is_none() && self.error.is_none()
    }
}

/// Reads the NDJSON event stream into `live`.
#[cfg(feature = "hydrate")]
async fn follow(target: Target, live: RwSignal<Option<Live>>) {
    use futures::StreamExt;
    let fail = |e: String| {
        live.update(|l| {
            if let Some(l) = l {
                l.error = Some(e)
            }
        })
    };
    let stream = match target {
        Target::Synthesizer(id) => crate::api::verify_synthesizer(id).await,
        Target::Release(t, id) => crate::api::verify_release(t.as_str().to_owned(), id).await,
    };
    let stream = match stream {
        Ok(s) => s,
        Err(e) => return fail(server_message(&e)),
    };
    let mut chunks = stream.into_inner();
    let mut buffer = String::new();
    while let Some(chunk) = chunks.next().await {
        match chunk {
            Ok(text) => buffer.push_str(&text),
            Err(e) => return fail(server_message(&e)),
        }
        while let Some(end) = buffer.find('\n') {
            let line: String = buffer.drain(..=end).collect();
            if let Ok(event) = serde_json::from_str::<VerificationEvent>(line.trim()) {
                live.update(|l| {
                    if let Some(l) = l {
                        l.apply(event)
                    }
                });
            }
        }
    }
    live.update(|l| {
        if let Some(l) = l.as_mut().filter(|l| l.running()) {
            l.error = Some("The connection to the portal closed before the verification finished. Reload the page: the report is stored when it completes.".into());
        }
    });
}

#[cfg(feature = "hydrate")]
fn server_message(e: &ServerFnError) -> String {
    match e {
        ServerFnError::ServerError(m) => m.clone(),
        _ => "The portal could not be reached. Check your connection and try again.".into(),
    }
}

#[component]
pub fn VerifyPanel(
    target: Target,
    /// The check names, in the report's order (shown pending at once).
    checks: &'static [&'static str],
    label: &'static str,
    /// The latest stored report.
    latest: Option<Summary>,
    /// Set when a live verification finishes, so the rest of the page can follow.
    fresh: RwSignal<Option<Summary>>,
) -> impl IntoView {
    let live = RwSignal::new(None::<Live>);
    let running = move || live.with(|l| l.as_ref().is_some_and(Live::running));
    let action = target.action();
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if running() {
            return;
        }
        live.set(Some(Live::pending(checks)));
        #[cfg(feature = "hydrate")]
        leptos::task::spawn_local(follow(target.clone(), live));
    };
    Effect::new(move |_| {
        if let Some(report) = live.with(|l| l.as_ref().and_then(|l| l.report.clone())) {
            fresh.set(Some(report));
        }
    });
    view! {
        <form method="post" action=action on:submit=on_submit class="verify-form">
            <button type="submit" class="button" data-testid="verify" disabled=running>
                {move || if running() { "Verifying…" } else { label }}
            </button>
            <span class="muted small">"Checks your AWS account through the handshake role. Takes a few seconds."</span>
        </form>
        <div id="report" aria-live="polite">
            {move || match live.get() {
                Some(l) => view! {
                    {l.error.clone().map(|e| view! { <p class="error" role="alert">{e}</p> })}
                    {l.report.clone().map(|r| view! { <Verdict valid=r.valid at=r.at/> })}
                    <CheckRows rows=l.rows.clone()/>
                }.into_any(),
                None => match latest.clone() {
                    Some(r) => view! {
                        <Verdict valid=r.valid at=r.at.clone()/>
                        <CheckRows rows=rows_of(&r.checks)/>
                    }.into_any(),
                    None => view! {
                        <p class="muted" data-testid="no-report">{format!("Not verified yet. Press {label} to check this account.")}</p>
                    }.into_any(),
                },
            }}
        </div>
    }
}
