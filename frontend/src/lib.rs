//! The WASM entry point: hydrate the server-rendered page.

// Release builds keep the full view types (no erase_components), which nest deeper than 128.
#![recursion_limit = "512"]

#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_body(app::App);
    // Reached only when hydration went through: a page whose hydration panicked never gets the
    // mark, so tests and scripts waiting for it see the failure.
    app::mark_hydrated();
}
