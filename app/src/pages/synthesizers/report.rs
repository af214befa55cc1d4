//! A verification report as the subscriber reads it: one row per check with its status icon,
//! message, details and action. Used for stored reports and for the live view.

use leptos::prelude::*;
use serde_json::Value;

use crate::contract::{CheckResult, CheckStatus};

/// One row: a finished check, or one still running (with what it is doing, if it said).
#[derive(Clone, Debug, PartialEq)]
pub struct Row {
    pub check: String,
    pub result: Option<CheckResult>,
    pub progress: Option<String>,
}

fn icon(status: Option<CheckStatus>) -> (&'static str, &'static str) {
    match status {
        None => ("…", "Pending"),
        Some(CheckStatus::Passed) => ("✓", "Passed"),
        Some(CheckStatus::Warning) => ("!", "Warning"),
        Some(CheckStatus::Failed) => ("✗", "Failed"),
        Some(CheckStatus::Skipped) => ("–", "Skipped"),
    }
}

fn details_view(details: &Value) -> AnyView {
    match details {
        Value::Object(map) => view! {
            <dl class="check-details">
                {map.iter().map(|(k, v)| {
                    let text = match v { Value::String(s) => s.clone(), other => other.to_string() };
                    view! { <dt>{k.clone()}</dt><dd><code>{text}</code></dd> }
                }).collect_view()}
            </dl>
        }.into_any(),
        Value::String(s) => view! { <p class="check-details small">{s.clone()}</p> }.into_any(),
        other => view! { <p class="check-details small"><code>{other.to_string()}</code></p> }.into_any(),
    }
}

#[component]
pub fn CheckRows(rows: Vec<Row>) -> impl IntoView {
    view! {
        <ol class="checks" data-testid="checks">
            {rows.into_iter().map(|row| {
                let status = row.result.as_ref().map(|r| r.status);
                let (symbol, label) = icon(status);
                let status_name = status.map(|s| s.as_str()).unwrap_or("pending");
                view! {
                    <li class=format!("check {status_name}") data-testid="check" data-check=row.check.clone() data-status=status_name>
                        <span class="check-icon" aria-hidden="true">{symbol}</span>
                        <div class="check-body">
                            <p class="check-title"><strong>{row.check.clone()}</strong>" "<span class="check-status">{label}</span></p>
                            {match &row.result {
                                Some(r) => view! {
                                    <p class="check-message" data-testid="check-message">{r.message.clone()}</p>
                                    {r.details.as_ref().map(details_view)}
                                    {r.action.clone().map(|a| view! {
                                        <p class="check-action" data-testid="check-action"><strong>"What to do: "</strong>{a}</p>
                                    })}
                                }.into_any(),
                                None => view! {
                                    <p class="check-message muted" role="status">
                                        {row.progress.clone().unwrap_or_else(|| "Checking…".into())}
                                    </p>
                                }.into_any(),
                            }}
                        </div>
                    </li>
                }
            }).collect_view()}
        </ol>
    }
}

pub fn rows_of(checks: &[CheckResult]) -> Vec<Row> {
    checks
        .iter()
        .map(|c| Row {
            check: c.check.clone(),
            result: Some(c.clone()),
            progress: None,
        })
        .collect()
}

/// "Valid" / "Not valid" and when.
#[component]
pub fn Verdict(valid: bool, at: String) -> impl IntoView {
    view! {
        <p class=if valid { "verdict valid" } else { "verdict invalid" } data-testid="verdict" role="status">
            <strong>{if valid { "Configuration valid" } else { "Configuration not valid" }}</strong>
            <span class="muted">{format!(" · verified at {at}")}</span>
        </p>
    }
}
