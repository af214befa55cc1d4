//! The WASM entry point. Only `hydrate` code lives here: no server dependency may reach it.

#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_body(app::App);
    // Styles that only make sense once buttons work (the folding phone menu) key on this.
    if let Some(root) = leptos::prelude::document().document_element() {
        let _ = root.class_list().add_1("hydrated");
    }
}
