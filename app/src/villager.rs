//! The villagers' build: `/`, `/login`, `/report`, an event's page and the leader's summary
//! are served in islands mode and hydrate from a second, small WASM (`frontend` with the
//! `villager` feature, built by `scripts/site.sh` beside the split build) that holds the report
//! form's and the event's islands and nothing of the router, the frame or the staff pages. A
//! villager in WeChat on a weak signal pays for what they use; every link from these pages is a
//! full load, answered with the full build.
//!
//! Why islands for these pages only: see docs/architecture.md, "Loading the browser side".

use leptos::prelude::*;

/// The fixed addresses served in islands mode with the villagers' build (an event's page,
/// `/events/{id}`, is the other); a page the server renders for any other address names the
/// full build. They may need nothing but their islands.
pub const PATHS: &[&str] = &["/", "/login", "/report", "/summary"];

/// `/events/{id}`: what a reporter opens from a notice or after sending a report.
fn is_event_page(path: &str) -> bool {
    path.strip_prefix("/events/")
        .is_some_and(|id| !id.is_empty() && id.bytes().all(|b| b.is_ascii_digit()))
}

/// Whether the page at this address is served with one of the villagers' builds.
pub fn serves(path: &str) -> bool {
    build_for(path).is_some()
}

/// Which of the villagers' builds serves this address, if one does.
pub fn build_for(path: &str) -> Option<&'static str> {
    if is_event_page(path) {
        Some("tracker")
    } else {
        PATHS.contains(&path).then_some("villager")
    }
}

/// Whether that page has an island to hydrate: only these fetch the WASM (sign-in, home and the
/// summary are plain HTML, forms and links).
pub fn has_islands(path: &str) -> bool {
    path == "/report" || is_event_page(path)
}

/// The hashed names of one of the villagers' builds (`villager`: home, sign-in, report;
/// `tracker`: an event's page), from `<build>.txt` in the site root.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Files {
    pub js: String,
    pub wasm: String,
}

/// Reads `js: <hash>` and `wasm: <hash>` lines; None when either is missing.
pub fn parse_hashes(build: &str, text: &str) -> Option<Files> {
    let mut js = None;
    let mut wasm = None;
    for line in text.lines() {
        if let Some((k, v)) = line.split_once(':') {
            let v = v.trim();
            let ok = !v.is_empty()
                && v.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
            match (k.trim(), ok) {
                ("js", true) => js = Some(format!("{build}.{v}.js")),
                ("wasm", true) => wasm = Some(format!("{build}.{v}.wasm")),
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
fn files(site_root: &str, build: &'static str) -> Option<Files> {
    use std::collections::HashMap;
    use std::sync::{Mutex, OnceLock};
    type Known = HashMap<(String, &'static str), Option<Files>>;
    static FILES: OnceLock<Mutex<Known>> = OnceLock::new();
    let mut known = FILES.get_or_init(Default::default).lock().ok()?;
    known
        .entry((site_root.to_string(), build))
        .or_insert_with(|| {
            let path = std::path::Path::new(site_root).join(format!("{build}.txt"));
            parse_hashes(build, &std::fs::read_to_string(path).ok()?)
        })
        .clone()
}

/// The hydration scripts for this request: the villagers' build on its pages when the site
/// has one, the full (split) build everywhere else.
#[component]
pub fn Scripts(options: LeptosOptions) -> impl IntoView {
    #[cfg(feature = "ssr")]
    {
        let path = use_context::<http::request::Parts>().map(|p| p.uri.path().to_string());
        let path = path.unwrap_or_default();
        if let Some(f) = build_for(&path).and_then(|b| files(&options.site_root, b)) {
            // Islands mode for this page: no hydration marks or data outside the islands.
            if let Some(sc) = Owner::current_shared_context() {
                sc.set_is_hydrating(false);
            }
            let pkg = format!("/{}", options.site_pkg_dir);
            let js = format!("{pkg}/{}", f.js);
            let wasm = format!("{pkg}/{}", f.wasm);
            let preload = has_islands(&path).then(|| {
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
        let f = parse_hashes("villager", "js: abc_DEF-1\nwasm: xyz\n").unwrap();
        assert_eq!(f.js, "villager.abc_DEF-1.js");
        assert_eq!(f.wasm, "villager.xyz.wasm");
        let f = parse_hashes("tracker", "js: a\nwasm: b\n").unwrap();
        assert_eq!(
            (f.js.as_str(), f.wasm.as_str()),
            ("tracker.a.js", "tracker.b.wasm")
        );
    }

    #[test]
    fn event_pages_and_the_summary_are_the_villagers_and_staff_pages_are_not() {
        for p in [
            "/",
            "/login",
            "/report",
            "/summary",
            "/events/7",
            "/events/123456",
        ] {
            assert!(serves(p), "{p}");
        }
        for p in [
            "/console",
            "/events/",
            "/events/7/x",
            "/events/abc",
            "/map",
            "/screen",
            "/my",
        ] {
            assert!(!serves(p), "{p}");
        }
        assert!(has_islands("/report") && has_islands("/events/7"));
        assert_eq!(build_for("/events/7"), Some("tracker"));
        assert_eq!(build_for("/report"), Some("villager"));
        assert!(!has_islands("/login") && !has_islands("/summary") && !has_islands("/"));
    }

    #[test]
    fn a_missing_or_odd_hash_means_no_villager_build() {
        assert_eq!(parse_hashes("villager", "js: abc\n"), None);
        assert_eq!(parse_hashes("villager", "js: abc\nwasm: ../x\n"), None);
        assert_eq!(parse_hashes("villager", ""), None);
    }
}
