//! The page's main-thread binary: builds the UI and talks to the worker (see `spyglass::web::app`).
#[cfg(target_arch = "wasm32")]
fn main() {
    spyglass::web::app::start();
}
#[cfg(not(target_arch = "wasm32"))]
fn main() {}
