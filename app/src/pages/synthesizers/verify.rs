//! Verify Configuration: without JavaScript the button posts a form (the page comes back with
//! the stored report); with JavaScript the same button starts the streaming server function and
//! the six checks fill in as they complete.

use leptos::prelude::*;

use super::report::{rows_of, CheckRows, Row, Verdict};
use crate::contract::{
    VerificationEvent, VerificationRecord, VerificationReport, SYNTHESIZER_CHECKS,
};

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Live {
    pub rows: Vec<Row>,
    pub report: Option<VerificationReport>,
    pub error: Option<String>,
}

impl Live {
    fn pending() -> Self {
        Self {
            rows: SYNTHESIZER_CHECKS
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
                self.report = Some(report);
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
async fn follow(id: String, live: RwSignal<Option<Live>>) {
    use futures::StreamExt;
    let fail = |e: String| {
        live.update(|l| {
            if let Some(l) = l {
                l.error = Some(e)
            }
        })
    };
    let stream = match crate::api::verify_synthesizer(id).await {
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
    id: String,
    latest: Option<VerificationRecord>,
    /// Set when a live verification finishes, so the rest of the page can follow.
    fresh: RwSignal<Option<VerificationReport>>,
) -> impl IntoView {
    let live = RwSignal::new(None::<Live>);
    let running = move || live.with(|l| l.as_ref().is_some_and(Live::running));
    let action = format!("/api/subscriber/synthesizer/{id}/verify");
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if running() {
            return;
        }
        live.set(Some(Live::pending()));
        #[cfg(feature = "hydrate")]
        leptos::task::spawn_local(follow(id.clone(), live));
    };
    Effect::new(move |_| {
        if let Some(report) = live.with(|l| l.as_ref().and_then(|l| l.report.clone())) {
            fresh.set(Some(report));
        }
    });
    view! {
        <form method="post" action=action on:submit=on_submit class="verify-form">
            <button type="submit" class="button" data-testid="verify" disabled=running>
                {move || if running() { "Verifying…" } else { "Verify Configuration" }}
            </button>
            <span class="muted small">"Checks your AWS account through the handshake role. Takes a few seconds."</span>
        </form>
        <div id="report" aria-live="polite">
            {move || match live.get() {
                Some(l) => view! {
                    {l.error.clone().map(|e| view! { <p class="error" role="alert">{e}</p> })}
                    {l.report.clone().map(|r| view! { <Verdict valid=r.valid at=r.verified_at/> })}
                    <CheckRows rows=l.rows.clone()/>
                }.into_any(),
                None => match latest.clone() {
                    Some(r) => view! {
                        <Verdict valid=r.report.valid at=r.report.verified_at.clone()/>
                        <CheckRows rows=rows_of(&r.report.checks)/>
                    }.into_any(),
                    None => view! {
                        <p class="muted" data-testid="no-report">"Not verified yet. Press Verify Configuration to check this account."</p>
                    }.into_any(),
                },
            }}
        </div>
    }
}
