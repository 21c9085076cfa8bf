// The SQLite migrations are embedded at compile time (refinery): a new or edited file must rebuild
// the crate, or a build can ship without it.
fn main() {
    println!("cargo:rerun-if-changed=../../migrations");
}
