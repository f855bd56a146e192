//! The villagers' build: `/`, `/login` and `/report` are served in islands mode and hydrate
//! from a second, small WASM (`frontend` with the `villager` feature, built by
//! `scripts/site.sh` beside the split build) that holds the report form's island and nothing
//! of the router, the frame or the staff pages. A villager in WeChat on a weak signal pays for
//! what they use; every link from these pages is a full load, answered with the full build.
//!
//! Why islands for these pages only: see docs/architecture.md, "Loading the browser side".

use leptos::prelude::*;

/// The addresses served in islands mode with the villagers' build; a page the server renders
/// for any other address names the full build. They may need nothing but their islands.
pub const PATHS: &[&str] = &["/", "/login", "/report"];

/// The hashed names of the villagers' files, from `villager.txt` in the site root.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Files {
    pub js: String,
    pub wasm: String,
}

/// Reads `js: <hash>` and `wasm: <hash>` lines; None when either is missing.
pub fn parse_hashes(text: &str) -> Option<Files> {
    let mut js = None;
    let mut wasm = None;
    for line in text.lines() {
        if let Some((k, v)) = line.split_once(':') {
            let v = v.trim();
            let ok = !v.is_empty()
                && v.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
            match (k.trim(), ok) {
                ("js", true) => js = Some(format!("villager.{v}.js")),
                ("wasm", true) => wasm = Some(format!("villager.{v}.wasm")),
                _ => {}
            }
        }
    }
    Some(Files {
        js: js?,
        wasm: wasm?,
    })
}

/// Read once per site root (tests run several sites in one process).
#[cfg(feature = "ssr")]
fn files(site_root: &str) -> Option<Files> {
    use std::collections::HashMap;
    use std::sync::{Mutex, OnceLock};
    static FILES: OnceLock<Mutex<HashMap<String, Option<Files>>>> = OnceLock::new();
    let mut known = FILES.get_or_init(Default::default).lock().ok()?;
    known
        .entry(site_root.to_string())
        .or_insert_with(|| {
            let path = std::path::Path::new(site_root).join("villager.txt");
            parse_hashes(&std::fs::read_to_string(path).ok()?)
        })
        .clone()
}

/// The pages among [`PATHS`] that have an island to hydrate: only these fetch the WASM.
pub const WITH_ISLANDS: &[&str] = &["/report"];

/// The hydration scripts for this request: the villagers' build on its pages when the site
/// has one, the full (split) build everywhere else.
#[component]
pub fn Scripts(options: LeptosOptions) -> impl IntoView {
    #[cfg(feature = "ssr")]
    {
        let path = use_context::<http::request::Parts>().map(|p| p.uri.path().to_string());
        let path = path.unwrap_or_default();
        if let Some(f) = files(&options.site_root).filter(|_| PATHS.contains(&path.as_str())) {
            // Islands mode for this page: no hydration marks or data outside the islands.
            if let Some(sc) = Owner::current_shared_context() {
                sc.set_is_hydrating(false);
            }
            let pkg = format!("/{}", options.site_pkg_dir);
            let js = format!("{pkg}/{}", f.js);
            let wasm = format!("{pkg}/{}", f.wasm);
            let preload = WITH_ISLANDS.contains(&path.as_str()).then(|| {
                view! {
                    <link rel="modulepreload" href=js.clone() crossorigin=""/>
                    <link rel="preload" href=wasm.clone() r#as="fetch" r#type="application/wasm" crossorigin=""/>
                }
            });
            let nonce = leptos::nonce::use_nonce();
            return view! {
                {preload}
                <script type="module" nonce=nonce>{loader(&js, &wasm)}</script>
            }
            .into_any();
        }
    }
    view! { <HydrationScripts options/> }.into_any()
}

/// Hydrates each `<leptos-island>` with its function from the module, then marks the page
/// hydrated (as the full build does; tests wait for the mark). A page without islands (sign-in,
/// home: plain forms and links) fetches no WASM at all. A module script runs once the document
/// is parsed, so every island is there.
#[cfg(feature = "ssr")]
fn loader(js: &str, wasm: &str) -> String {
    format!(
        "const mark=()=>document.documentElement.setAttribute('data-hydrated','true');\
         const islands=[...document.querySelectorAll('leptos-island')];\
         if(!islands.length){{mark()}}else{{import({js:?}).then(m=>m.default({{module_or_path:{wasm:?}}}).then(async()=>{{\
         m.hydrate();for(const el of islands){{const f=m[el.dataset.component];if(f){{const r=f(el);if(r&&r.then)await r}}}}mark()}}))}}"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_hashes_name_the_files() {
        let f = parse_hashes("js: abc_DEF-1\nwasm: xyz\n").unwrap();
        assert_eq!(f.js, "villager.abc_DEF-1.js");
        assert_eq!(f.wasm, "villager.xyz.wasm");
    }

    #[test]
    fn a_missing_or_odd_hash_means_no_villager_build() {
        assert_eq!(parse_hashes("js: abc\n"), None);
        assert_eq!(parse_hashes("js: abc\nwasm: ../x\n"), None);
        assert_eq!(parse_hashes(""), None);
    }
}
