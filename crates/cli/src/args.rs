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
    /// Exchange changes with Supabase now
    Sync {
        /// Keep syncing every --interval seconds, backing off while offline; Ctrl-C stops
        #[arg(long)]
        watch: bool,
        #[arg(long, default_value_t = 300)]
        interval: u64,
    },
    /// Who is signed in, changes waiting, conflicts, rejected changes, last sync
    Status,
    /// Fields both you and someone else changed
    #[command(subcommand)]
    Conflicts(ConflictsCommand),
}

#[derive(Subcommand)]
pub enum ConflictsCommand {
    /// Open conflicts with base, mine and theirs
    List,
    /// Keep your value (pushed at the next sync) or theirs
    Resolve {
        id: i64,
        #[arg(long, value_enum)]
        keep: KeepSide,
    },
}

#[derive(ValueEnum, Clone, Copy)]
pub enum KeepSide {
    Mine,
    Theirs,
}

#[derive(Subcommand)]
pub enum LeadsCommand {
    /// Add a lead
    Add(LeadFields),
    /// List leads, a page at a time
    List(ListArgs),
    /// Show every field of one lead (the id, or its first 8+ characters)
    Show { id: String },
    /// Change fields of a lead
    Edit {
        id: String,
        #[command(flatten)]
        fields: LeadFields,
    },
    /// Delete a lead (soft: `restore` brings it back, and the deletion syncs)
    Delete { id: String },
    /// Bring back a deleted lead (the full id, as `delete` printed it)
    Restore { id: String },
    /// Full-text search over names, email, company and notes, best matches first
    Search {
        text: String,
        #[arg(long, default_value_t = 20)]
        limit: usize,
    },
}

#[derive(Args, Default)]
pub struct LeadFields {
    #[arg(long)]
    pub first_name: Option<String>,
    #[arg(long)]
    pub last_name: Option<String>,
    #[arg(long)]
    pub email: Option<String>,
    #[arg(long)]
    pub phone: Option<String>,
    #[arg(long)]
    pub company: Option<String>,
    #[arg(long)]
    pub job_title: Option<String>,
    /// new, contacted, qualified, proposal, negotiation, closed_won, closed_lost, nurturing, unqualified
    #[arg(long)]
    pub status: Option<String>,
    #[arg(long)]
    pub source: Option<String>,
    #[arg(long)]
    pub notes: Option<String>,
    /// Next follow-up, RFC 3339 or YYYY-MM-DD
    #[arg(long)]
    pub follow_up: Option<String>,
    /// A tag (repeatable); replaces the lead's tags
    #[arg(long = "tag")]
    pub tags: Vec<String>,
    /// Any other column: --set website=https://acme.com (repeatable; an empty value clears it)
    #[arg(long = "set", value_name = "COLUMN=VALUE")]
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
    /// Words that must all match names, email, company or notes
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
    #[arg(long, default_value_t = 50)]
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
    Name,
    Company,
    Score,
    FollowUp,
}
