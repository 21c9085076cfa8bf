use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

#[derive(Parser)]
#[command(name = "outpost", version, about = "Outpost, the local-first CRM, from the command line")]
pub struct Cli {
    /// The database file [default: the OS data directory, e.g. ~/.local/share/outpost/outpost.db]
    #[arg(long, global = true, env = "OUTPOST_DB")]
    pub db: Option<PathBuf>,
    /// Machine-readable JSON output (errors too: {"error":{"code","message"}})
    #[arg(long, global = true)]
    pub json: bool,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand)]
pub enum Command {
    /// Create the database (or bring it up to date) and show where it is
    Init,
    /// Add, list, show, edit, delete and search leads
    #[command(subcommand)]
    Leads(LeadsCommand),
    /// Export leads matching the filters
    Export(ExportArgs),
    /// Sign in to your team's Supabase project (the password is asked, or read from OUTPOST_PASSWORD)
    Login {
        /// The project URL, e.g. https://abcd.supabase.co (remembered after the first login)
        #[arg(long)]
        url: Option<String>,
        /// The project's anon (public) key; a service_role key is refused
        #[arg(long)]
        anon_key: Option<String>,
        #[arg(long)]
        email: String,
    },
    /// Sign out and forget the tokens (local data stays)
    Logout,
    /// Exchange changes with Supabase now (once: exit 4 when a change was rejected or met a conflict)
    Sync {
        /// Keep syncing: a local edit (from any process) goes within moments, teammates' changes
        /// arrive every --interval seconds; backs off while offline; Ctrl-C stops
        #[arg(long)]
        watch: bool,
        /// Seconds between syncs that look for teammates' changes (with --watch; 5 to 86400)
        #[arg(long, default_value_t = 60, requires = "watch", value_parser = clap::value_parser!(u64).range(5..=86_400))]
        interval: u64,
    },
    /// Who is signed in, changes waiting, conflicts, rejected changes, last sync
    Status,
    /// Fields both you and someone else changed
    #[command(subcommand)]
    Conflicts(ConflictsCommand),
    /// Changes the server refused (a rule, a duplicate, no longer permitted), with the reason
    #[command(subcommand)]
    Rejected(RejectedCommand),
    /// Import leads from a CSV export (HubSpot, Salesforce, Pipedrive, Apollo, LinkedIn, any spreadsheet)
    Import(ImportArgs),
    /// Past imports; undo one
    #[command(subcommand)]
    Imports(ImportsCommand),
}

#[derive(Args)]
pub struct ImportArgs {
    /// The CSV file, or - to read it from a pipe
    pub file: PathBuf,
    /// Also put the leads on this list (created if new)
    #[arg(long)]
    pub list: Option<String>,
    /// Map a column yourself: --map "Cell #=phone" (FIELD may be custom or ignore); repeatable
    #[arg(long = "map", value_name = "COLUMN=FIELD")]
    pub map: Vec<String>,
    /// A row whose email a lead already has (or an earlier row had)
    #[arg(long, value_enum, default_value_t = Duplicates::Skip)]
    pub on_duplicate: Duplicates,
    /// Country for phone numbers written without +code (US, GB, Germany …), unless the row's Country column names one
    #[arg(long, default_value = "US")]
    pub region: String,
    /// How numeric dates are written (03/04/2026); auto: as the file's own dates say (a 25/12/2023
    /// is day/month/year), month/day/year when every date reads either way
    #[arg(long, value_enum, default_value_t = DateOrderArg::Auto)]
    pub date_order: DateOrderArg,
    /// Check everything, import nothing
    #[arg(long)]
    pub dry_run: bool,
    /// Write the rows left out (with the reason) to this CSV
    #[arg(long)]
    pub errors: Option<PathBuf>,
    /// Override the detected encoding (e.g. windows-1252, utf-16le)
    #[arg(long)]
    pub encoding: Option<String>,
    /// Override the detected delimiter (e.g. ';' or 'tab')
    #[arg(long)]
    pub delimiter: Option<String>,
}

#[derive(ValueEnum, Clone, Copy)]
pub enum Duplicates {
    /// Leave the row out; the existing lead stays as it is
    Skip,
    /// Fill the existing lead with the row's non-empty values
    Update,
    /// A new lead all the same, tagged possible-duplicate, its email kept in the custom field
    /// duplicate_email (two leads cannot share an email)
    Create,
}

#[derive(ValueEnum, Clone, Copy)]
pub enum DateOrderArg {
    Auto,
    Mdy,
    Dmy,
    Ymd,
}

#[derive(Subcommand)]
pub enum ImportsCommand {
    /// Past imports, newest first
    List,
    /// What an import found, again: counts, column choices, problems by row (kept on the computer
    /// that ran it)
    Show {
        id: String,
        /// Write its rows left out, with their reasons, to this CSV to fix and import again
        #[arg(long, value_name = "FILE")]
        errors: Option<PathBuf>,
    },
    /// Take an import back: its new leads are removed, updated leads get their old values — except
    /// work done since (fields changed again, new leads edited, noted or put in a campaign)
    Undo { id: String },
}

#[derive(Subcommand)]
pub enum ConflictsCommand {
    /// Open conflicts with base, mine and theirs
    List,
    /// Keep your value (pushed at the next sync) or theirs: one conflict by its number, or --all
    Resolve {
        #[arg(required_unless_present = "all", conflicts_with = "all")]
        id: Option<i64>,
        /// Every open conflict the same way (after a bulk edit met a teammate's)
        #[arg(long)]
        all: bool,
        #[arg(long, value_enum)]
        keep: KeepSide,
    },
}

#[derive(Subcommand)]
pub enum RejectedCommand {
    /// Changes the server refused, with its reason
    List,
    /// Send the change again at the next sync (after fixing what the server refused)
    Retry { id: i64 },
    /// Give the change up: the record keeps the server's copy
    Discard { id: i64 },
}

#[derive(ValueEnum, Clone, Copy)]
pub enum KeepSide {
    Mine,
    Theirs,
}

#[derive(Subcommand)]
pub enum LeadsCommand {
    /// Add a lead (assigned to you; `--set assigned_to=` leaves it unassigned)
    Add(LeadFields),
    /// List leads, a page at a time
    List(ListArgs),
    /// Show every field of one lead (its id, the start of it, or its last 8 characters)
    Show { id: String },
    /// Change fields of a lead
    Edit {
        id: String,
        #[command(flatten)]
        fields: LeadFields,
    },
    /// Delete a lead (soft: `restore` brings it back, and the deletion syncs)
    Delete { id: String },
    /// Bring back a deleted lead (its id or part of it: see `deleted`)
    Restore { id: String },
    /// Deleted leads, most recently deleted first (to bring one back with `restore`); not those of
    /// an undone import
    Deleted {
        /// How many to show (1–10000)
        #[arg(long, default_value_t = 20, value_parser = page_size)]
        limit: usize,
    },
    /// Full-text search over names, email, company and notes, best matches first; a phone number
    /// (any format, seven digits or more) finds the leads with that phone
    Search {
        text: String,
        /// How many to show (1–10000)
        #[arg(long, default_value_t = 20, value_parser = page_size)]
        limit: usize,
    },
}

/// Values may start with a dash ("- call back Tuesday", "-5% discount"): they are text, not options.
#[derive(Args, Default)]
pub struct LeadFields {
    #[arg(long, allow_hyphen_values = true)]
    pub first_name: Option<String>,
    #[arg(long, allow_hyphen_values = true)]
    pub last_name: Option<String>,
    #[arg(long, allow_hyphen_values = true)]
    pub email: Option<String>,
    #[arg(long, allow_hyphen_values = true)]
    pub phone: Option<String>,
    #[arg(long, allow_hyphen_values = true)]
    pub company: Option<String>,
    #[arg(long, allow_hyphen_values = true)]
    pub job_title: Option<String>,
    /// new, contacted, qualified, proposal, negotiation, closed_won, closed_lost, nurturing, unqualified
    #[arg(long, allow_hyphen_values = true)]
    pub status: Option<String>,
    #[arg(long, allow_hyphen_values = true)]
    pub source: Option<String>,
    #[arg(long, allow_hyphen_values = true)]
    pub notes: Option<String>,
    /// Next follow-up: a day (YYYY-MM-DD; today is fine) or an RFC 3339 time
    #[arg(long, allow_hyphen_values = true)]
    pub follow_up: Option<String>,
    /// A tag (repeatable); replaces the lead's tags
    #[arg(long = "tag", allow_hyphen_values = true)]
    pub tags: Vec<String>,
    /// Any other column: --set website=https://acme.com (repeatable; an empty value clears it)
    #[arg(long = "set", value_name = "COLUMN=VALUE", allow_hyphen_values = true)]
    pub set: Vec<String>,
}

#[derive(Args, Default, Clone)]
pub struct Filters {
    /// Only these statuses (repeatable)
    #[arg(long = "status")]
    pub statuses: Vec<String>,
    /// me, unassigned, or a user id
    #[arg(long)]
    pub owner: Option<String>,
    /// A lead list, by name or id
    #[arg(long)]
    pub list: Option<String>,
    #[arg(long)]
    pub tag: Option<String>,
    /// Words that must all match names, email, company or notes; or a phone number (any format)
    #[arg(long)]
    pub search: Option<String>,
    #[arg(long, value_enum, default_value_t = Sort::Updated)]
    pub sort: Sort,
    /// Sort descending (default: descending for updated/created/score, ascending otherwise)
    #[arg(long, conflicts_with = "asc")]
    pub desc: bool,
    #[arg(long)]
    pub asc: bool,
}

#[derive(Args)]
pub struct ListArgs {
    #[command(flatten)]
    pub filters: Filters,
    /// Leads per page (1–10000)
    #[arg(long, default_value_t = 50, value_parser = page_size)]
    pub limit: usize,
    /// Continue after this cursor (printed under the previous page)
    #[arg(long)]
    pub cursor: Option<String>,
}

#[derive(Args)]
pub struct ExportArgs {
    #[arg(long, value_enum, default_value_t = Format::Csv)]
    pub format: Format,
    #[command(flatten)]
    pub filters: Filters,
    /// Write here instead of standard output
    #[arg(short = 'o', long = "output")]
    pub output: Option<PathBuf>,
}

#[derive(ValueEnum, Clone, Copy)]
pub enum Format {
    Csv,
}

#[derive(ValueEnum, Clone, Copy, Default, PartialEq, Eq)]
pub enum Sort {
    #[default]
    Updated,
    Created,
    /// By last name, then first name (accents and case aside)
    Name,
    Company,
    Score,
    FollowUp,
}

/// A page size the store serves whole: 1 to 10,000 (it never returns more in one page).
fn page_size(s: &str) -> Result<usize, String> {
    match s.parse::<usize>() {
        Ok(n @ 1..=10_000) => Ok(n),
        _ => Err(format!("'{s}' is not a number from 1 to 10000")),
    }
}

impl Command {
    /// Reads, or changes what is already there (a lead, an import, a conflict): given a database path
    /// that is not there, it is a mistyped path, not a new database.
    pub fn needs_database(&self) -> bool {
        match self {
            Command::Import(args) => args.dry_run,
            Command::Leads(LeadsCommand::Add(_)) => false,
            Command::Export(_)
            | Command::Status
            | Command::Leads(_)
            | Command::Conflicts(_)
            | Command::Rejected(_)
            | Command::Imports(_) => true,
            // Nothing to sync or sign out of in a database that is not there.
            Command::Logout | Command::Sync { .. } => true,
            Command::Init | Command::Login { .. } => false,
        }
    }
}
