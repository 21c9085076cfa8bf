//! `outpost`: the headless command line over outpost-core. Thin: parse, call the library, print.

mod args;
mod import;
mod leads;
mod output;
mod sync;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Parser;
use outpost_core::Store;

use crate::args::{Cli, Command};

fn main() -> ExitCode {
    let cli = Cli::parse();
    let json = cli.json;
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => output::error(&e, json),
    }
}

fn run(cli: Cli) -> anyhow::Result<()> {
    let path = match cli.db {
        Some(p) => p,
        None => default_db()?,
    };
    let mut store = Store::open(&path)?;
    match cli.command {
        Command::Init => output::init(&store, cli.json),
        Command::Leads(cmd) => leads::run(&mut store, cmd, cli.json),
        Command::Export(args) => leads::export(&store, args),
        Command::Login { url, anon_key, email } => sync::login(&mut store, url, anon_key, &email, cli.json),
        Command::Logout => sync::logout(&mut store, cli.json),
        Command::Sync { watch, interval } => sync::sync(&mut store, watch, interval, cli.json),
        Command::Status => sync::status(&store, cli.json),
        Command::Conflicts(cmd) => sync::conflicts(&mut store, cmd, cli.json),
        Command::Import(args) => import::run(&mut store, args, cli.json),
        Command::Imports(cmd) => import::history(&mut store, cmd, cli.json),
    }
}

fn default_db() -> anyhow::Result<PathBuf> {
    outpost_core::default_db_path()
        .ok_or_else(|| anyhow::anyhow!("cannot find a home directory for the database; pass --db PATH"))
}
