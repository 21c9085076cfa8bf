// No console window on Windows release builds.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

// The same allocator as the CLI (crates/alloc says why).
#[global_allocator]
static ALLOCATOR: outpost_alloc::Allocator = outpost_alloc::Allocator;

fn main() {
    outpost_desktop::run();
}
