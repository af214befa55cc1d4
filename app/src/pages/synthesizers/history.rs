//! Every stored report of one synthesizer, newest first, with who ran it.

use leptos::prelude::*;

use super::detail::use_synthesizer_id;
use super::report::{rows_of, CheckRows, Verdict};
use crate::api::load_synthesizer;
use crate::contract::PageData;
use crate::pages::not_found::NotFoundPage;
use crate::session::RequireSignIn;

#[component]
pub fn SynthesizerHistoryPage() -> impl IntoView {
    view! {
        <RequireSignIn>
            <History/>
        </RequireSignIn>
    }
}

#[component]
fn History() -> impl IntoView {
    let id = use_synthesizer_id();
    let detail = Resource::new(move || id.clone(), load_synthesizer);
    view! {
        <Suspense fallback=|| view! { <h1>"Verification history"</h1><p class="muted">"Loading…"</p> }>
            {move || detail.get().map(|r| match r {
                Ok(PageData::Ready(d)) => {
                    let s = d.synthesizer;
                    view! {
                        <h1>{format!("Verification history: {}", s.fields.name)}</h1>
                        <p><a href=format!("/synthesizers/{}", s.id)>"Back to the synthesizer"</a></p>
                        {if d.history.is_empty() {
                            view! { <p class="muted">"No reports yet."</p> }.into_any()
                        } else {
                            d.history.into_iter().map(|r| view! {
                                <section class="card" data-testid="history-entry">
                                    <Verdict valid=r.report.valid at=r.report.verified_at.clone()/>
                                    <p class="muted small">{format!("Run by {}", r.verified_by)}</p>
                                    <CheckRows rows=rows_of(&r.report.checks)/>
                                </section>
                            }).collect_view().into_any()
                        }}
                    }.into_any()
                }
                Ok(PageData::NotFound) => view! { <NotFoundPage/> }.into_any(),
                Ok(PageData::SignedOut) => view! { <p>"Sign in to see this synthesizer."</p> }.into_any(),
                Err(e) => view! { <p class="error" role="alert">{e.to_string()}</p> }.into_any(),
            })}
        </Suspense>
    }
}
