//! The page's Web Worker binary: reads files into the core and computes reports (see `spyglass::web::worker`).
#[cfg(target_arch = "wasm32")]
fn main() {
    spyglass::web::worker::start();
}
#[cfg(not(target_arch = "wasm32"))]
fn main() {}
