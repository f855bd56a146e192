//! The WASM entry point: hydrate the server-rendered page.

// Release builds keep the full view types (no erase_components), which nest deeper than 128.
#![recursion_limit = "512"]

#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    // A panic ends the module (panic = abort); the page says so and offers a reload rather
    // than leaving buttons that do nothing. A chunk from a replaced build fails this way.
    std::panic::set_hook(Box::new(|info| {
        console_error_panic_hook::hook(info);
        app::show_reload_prompt();
    }));
    hydrate_page();
}

/// The full build: the whole page. Pages are lazily loaded chunks: hydration waits for the
/// page's chunk, so it is async.
#[cfg(not(feature = "villager"))]
fn hydrate_page() {
    let Some(body) = leptos::prelude::document().body() else {
        return;
    };
    wasm_bindgen_futures::spawn_local(async move {
        let handle = leptos::mount::hydrate_from_async(body, app::App).await;
        handle.forget();
        // Reached only when hydration went through: a page whose hydration panicked never
        // gets the mark, so tests and scripts waiting for it see the failure.
        app::mark_hydrated();
    });
}

/// The villagers' build: only the page's islands, which the loader (`app::villager::Scripts`)
/// hydrates one by one after this, marking the page when all went through.
#[cfg(feature = "villager")]
fn hydrate_page() {
    leptos::mount::hydrate_islands();
}
