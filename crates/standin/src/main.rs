//! `outpost-standin`: a local Supabase for demos and manual testing. Prints its URL, anon key and a
//! demo user's credentials, and serves until Ctrl-C.

fn main() -> anyhow::Result<()> {
    let supabase = standin::supabase_dir();
    if !supabase.join("bootstrap.sql").is_file() {
        anyhow::bail!(
            "cannot find the repository's supabase/ folder (its bootstrap.sql) at or above {}: run this from the repository, or set OUTPOST_SUPABASE_DIR",
            std::env::current_dir().unwrap_or_default().display()
        );
    }
    let standin = standin::Standin::start()?;
    let org = standin.create_organization("Demo Co")?;
    let (email, password) = ("demo@outpost.test", "demo-password");
    standin.create_user(email, password, org, "sales_rep")?;
    println!("Supabase stand-in running (PostgreSQL 15 + PostgREST {})", standin::postgrest::VERSION);
    println!("  URL:       {}", standin.url);
    println!("  anon key:  {}", standin.anon_key());
    println!("  demo user: {email} / {password} (organization 'Demo Co', role sales_rep)");
    println!("  database:  {}", standin.db_uri());
    println!("Ctrl-C stops it and removes everything.");
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build()?;
    // Ctrl-C or `kill` (SIGTERM): either way the servers it started stop with it.
    rt.block_on(async {
        let mut term = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())?;
        tokio::select! {
            r = tokio::signal::ctrl_c() => r,
            _ = term.recv() => Ok(()),
        }
    })?;
    drop(standin);
    Ok(())
}
