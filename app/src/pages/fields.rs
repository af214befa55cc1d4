//! Form fields shared by the configuration pages: a label, the input, a hint, and the note of a
//! refused post. A refused post comes back with what was typed in the query
//! (`?error=invalid&<path>=<value>&e.<path>=<note>`), so nothing typed is lost.

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

/// The input's id: `form` keeps ids unique when a page has several forms with the same fields.
pub fn input_id(form: &str, path: &str) -> String {
    let path = path.replace('.', "-");
    if form.is_empty() {
        format!("f-{path}")
    } else {
        format!("f-{form}-{path}")
    }
}

/// The value to show: what was typed (back from a refused post) or `initial`.
pub fn shown_value(path: &str, initial: String) -> String {
    let q = use_query_map().get_untracked();
    if q.get("error").is_some() && q.get("import").is_none() {
        q.get(path).unwrap_or_default()
    } else {
        initial
    }
}

fn note(path: &str) -> Option<String> {
    use_query_map().get_untracked().get(&format!("e.{path}"))
}

#[component]
pub fn TextField(
    path: &'static str,
    label: &'static str,
    #[prop(optional)] hint: &'static str,
    #[prop(optional)] required: bool,
    #[prop(optional)] value: String,
    #[prop(optional)] input_type: Option<&'static str>,
    #[prop(optional, into)] form: String,
) -> impl IntoView {
    let id = input_id(&form, path);
    let error = note(path);
    let hint_id = format!("{id}-hint");
    let err_id = format!("{id}-error");
    let described = if error.is_some() {
        format!("{hint_id} {err_id}")
    } else {
        hint_id.clone()
    };
    view! {
        <label for=id.clone()>{label}{required.then_some(" (required)")}</label>
        <input id=id name=path value=shown_value(path, value) aria-describedby=described type=input_type.unwrap_or("text")
            aria-invalid=if error.is_some() { "true" } else { "false" } autocomplete="off" spellcheck="false"/>
        {(!hint.is_empty()).then(|| view! { <span id=hint_id class="hint muted small">{hint}</span> })}
        {error.map(|e| view! { <span id=err_id class="field-error" data-testid=format!("error-{path}")>{e}</span> })}
    }
}

/// A select of `(value, label)` options.
#[component]
pub fn SelectField(
    path: &'static str,
    label: &'static str,
    options: Vec<(String, String)>,
    #[prop(optional)] value: String,
    #[prop(optional, into)] form: String,
) -> impl IntoView {
    let id = input_id(&form, path);
    let error = note(path);
    let chosen = shown_value(path, value);
    view! {
        <label for=id.clone()>{label}" (required)"</label>
        <select id=id name=path aria-invalid=if error.is_some() { "true" } else { "false" }>
            {options.into_iter().map(|(v, l)| {
                let selected = v == chosen;
                view! { <option value=v selected=selected>{l}</option> }
            }).collect_view()}
        </select>
        {error.map(|e| view! { <span class="field-error" data-testid=format!("error-{path}")>{e}</span> })}
    }
}
