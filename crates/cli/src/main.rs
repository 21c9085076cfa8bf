//! `outpost`: the headless command line over outpost-core. Thin: parse, call the library, print.

/// `println!` that ends the program quietly once the reader has gone (`outpost leads list | head`)
/// instead of panicking; whatever the command changed was committed before it printed.
/// A line for the person at the terminal (stderr): a full or closed stderr is no reason to fail
/// (eprintln! panics then).
// Every line goes through output::visible: a value from an imported file or a lead's field must not
// act on the terminal (an escape sequence retitling it or clearing the screen).
macro_rules! say {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stderr(), "{}", crate::output::visible(&format!($($arg)*)));
    }};
}

macro_rules! out {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        if let Err(e) = writeln!(std::io::stdout(), "{}", crate::output::visible(&format!($($arg)*))) {
            crate::quit_if_reader_gone(&e);
        }
    }};
}

mod args;
mod import;
mod inbox;
mod leads;
mod output;
mod paths;
mod sync;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Parser;
use outpost_core::Store;

use crate::args::{Cli, Command};

#[global_allocator]
static ALLOCATOR: outpost_alloc::Allocator = outpost_alloc::Allocator;

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => return output::usage_error(e),
    };
    log_to_stderr();
    let json = cli.json;
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => output::error(&e, json),
    }
}

/// What the libraries log (a clash settled, a refresh token refused, indexes restored after a crash)
/// goes to stderr, warnings and errors by default; OUTPOST_LOG sets the level (e.g. `debug`,
/// `outpost_sync=trace`). Standard output stays the command's own (tables, JSON).
fn log_to_stderr() {
    let filter = tracing_subscriber::EnvFilter::try_from_env("OUTPOST_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("warn"));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(false)
        .without_time()
        .try_init();
}

/// A closed pipe on stdout is the reader saying it has enough, not an error. Only for writes to
/// stdout: a closed pipe anywhere else (an --errors file that is a pipe) is a failure.
fn quit_if_reader_gone(e: &std::io::Error) {
    if e.kind() == std::io::ErrorKind::BrokenPipe {
        std::process::exit(0);
    }
    // Output that could not be written (a full disk): a script must not take it for success.
    say!("error: writing the output: {e}");
    std::process::exit(1);
}

/// How long a command waits for another process's write before giving up.
const WRITE_PATIENCE: std::time::Duration = std::time::Duration::from_secs(15 * 60);

fn run(cli: Cli) -> anyhow::Result<()> {
    let named = cli.db.is_some();
    let path = match cli.db {
        Some(p) => p,
        None => default_db()?,
    };
    // A mistyped --db must not answer "no leads" from a database (and folders) made just now.
    if named && !path.exists() && cli.command.needs_database() {
        return Err(output::NotFound(format!(
            "no database at {} (`outpost init --db {}` makes one)",
            path.display(),
            path.display()
        ))
        .into());
    }
    // A file that is not there makes no database (nor waits for one) before saying so.
    if let Command::Import(args) = &cli.command {
        if args.file.as_os_str() == "-" {
            // Read from standard input (import::run).
        } else if let Err(e) = std::fs::File::open(&args.file) {
            let what = match e.kind() {
                std::io::ErrorKind::NotFound => output::NotFound(format!("{}: no such file", args.file.display())),
                _ => output::Invalid(format!("{}: {e}", args.file.display())),
            };
            return Err(what.into());
        }
    }
    // The app importing a million rows holds the database for a minute: a command run meanwhile
    // waits for it (and says so) rather than fail after SQLite's 10 s.
    let shown = path.display().to_string();
    let new = !path.exists();
    let mut store = Store::open_waiting(&path, WRITE_PATIENCE, move |asked| {
        if asked == 0 {
            say!("waiting for another Outpost (the app, an import or a sync) to finish writing to {shown}…");
        }
        // Ctrl-C during an import ends its wait too (it would otherwise wait its whole patience).
        !import::stop_requested()
    })?;
    // The default database, or one a command that writes made: said, as a new one.
    if new && !matches!(cli.command, Command::Init) {
        say!("note: there was no database at {}; a new, empty one was made there", path.display());
    }
    tracing::debug!(db = %path.display(), "database open");
    match cli.command {
        Command::Init => output::init(&store, cli.json),
        Command::Leads(cmd) => leads::run(&mut store, cmd, cli.json),
        Command::Export(args) => leads::export(&store, args, cli.json),
        Command::Login { url, anon_key, email } => sync::login(&mut store, url, anon_key, &email, cli.json),
        Command::Logout => sync::logout(&mut store, cli.json),
        Command::Sync { watch, interval } => sync::sync(&mut store, watch, interval, cli.json),
        Command::Status => sync::status(&store, cli.json),
        Command::Conflicts(cmd) => inbox::conflicts(&mut store, cmd, cli.json),
        Command::Rejected(cmd) => inbox::rejected(&mut store, cmd, cli.json),
        Command::Import(args) => import::run(&mut store, args, cli.json),
        Command::Imports(cmd) => import::history(&mut store, cmd, cli.json),
    }
}

fn default_db() -> anyhow::Result<PathBuf> {
    outpost_core::default_db_path()
        .ok_or_else(|| anyhow::anyhow!("cannot find a home directory for the database; pass --db PATH"))
}
