//! Opening what a lead's fields point at in the rep's own programs: an email address in the mail
//! app, a phone number in the dialler, a website or LinkedIn profile in the browser, and the folder
//! an export went to. Only these: the page names a kind and a value, never a URL or program.

use std::path::Path;

use serde::Deserialize;
use tauri::{State, Url};

use crate::error::{CmdResult, CommandError};
use crate::saving::SavedFiles;

#[derive(Debug, Clone, Copy, Deserialize, specta::Type)]
#[serde(rename_all = "snake_case")]
pub enum LinkKind {
    Email,
    Phone,
    Web,
    /// The folder holding a file the app saved this run.
    Folder,
}

/// Opens the value in the program the system has for it; returns what was opened.
#[tauri::command]
#[specta::specta]
pub async fn open_link(saved: State<'_, SavedFiles>, kind: LinkKind, value: String) -> CmdResult<String> {
    if matches!(kind, LinkKind::Folder) && !saved.contains(Path::new(&value)) {
        return Err(invalid(format!("{value}: Outpost shows only the folders of files it saved")));
    }
    let target = link_target(kind, &value)?;
    // The tests ask where a click would go; nothing is launched under automation.
    if let Some(log) = std::env::var_os("OUTPOST_OPENED_LINKS") {
        use std::io::Write;
        let mut f = std::fs::OpenOptions::new().create(true).append(true).open(log).map_err(io)?;
        writeln!(f, "{target}").map_err(io)?;
    } else if !crate::saving::under_automation() {
        open::that_detached(&target).map_err(|e| {
            CommandError::new("io", format!("could not open {target}: {e} (is a program for it set up?)"))
        })?;
    }
    Ok(target)
}

fn io(e: std::io::Error) -> CommandError {
    CommandError::new("io", e.to_string())
}

fn invalid(reason: String) -> CommandError {
    CommandError::new("invalid", reason)
}

/// The URL (or folder) a lead's value opens; refused when it is not one of its kind.
pub fn link_target(kind: LinkKind, value: &str) -> CmdResult<String> {
    let v = value.trim();
    match kind {
        LinkKind::Email => {
            let ok = v.split_once('@').is_some_and(|(user, host)| !user.is_empty() && host.contains('.'))
                && !v.chars().any(|c| c.is_whitespace() || c.is_control() || "?&#<>\"%".contains(c));
            if !ok {
                return Err(invalid(format!("'{v}' is not an email address to write to")));
            }
            Ok(format!("mailto:{v}"))
        }
        LinkKind::Phone => {
            // The number before an extension ("ext 12", "x12", "#12") is the one to dial; a "(0)"
            // after a country code is a trunk prefix written for callers inside the country.
            let lower = v.to_lowercase();
            let cut = ["ext", "x", "#", ";", ","].iter().filter_map(|m| lower.find(m)).min().unwrap_or(lower.len());
            let main = lower[..cut].trim();
            let main = if main.starts_with('+') { main.replace("(0)", "") } else { main.to_string() };
            let digits = main.chars().filter(char::is_ascii_digit).count();
            let ok = digits >= 3
                && main
                    .chars()
                    .enumerate()
                    .all(|(i, c)| c.is_ascii_digit() || " -()./".contains(c) || (c == '+' && i == 0));
            if !ok {
                return Err(invalid(format!("'{v}' is not a phone number to call")));
            }
            Ok(format!("tel:{}", main.chars().filter(|c| c.is_ascii_digit() || *c == '+').collect::<String>()))
        }
        LinkKind::Web => {
            // A scheme is letters before "://" ("acme.com/?next=https://x" has none of its own).
            let has_scheme = v.split_once("://").is_some_and(|(scheme, _)| {
                !scheme.is_empty() && scheme.chars().all(|c| c.is_ascii_alphanumeric() || "+.-".contains(c))
            });
            let text = if has_scheme { v.to_string() } else { format!("https://{v}") };
            match Url::parse(&text) {
                Ok(url)
                    if matches!(url.scheme(), "http" | "https") && url.host_str().is_some_and(|h| h.contains('.')) =>
                {
                    Ok(url.to_string())
                }
                _ => Err(invalid(format!("'{v}' is not a web address to open"))),
            }
        }
        LinkKind::Folder => {
            let path = Path::new(v);
            match path.parent().filter(|p| p.is_dir()) {
                Some(f) if path.is_absolute() => Ok(f.display().to_string()),
                _ => Err(invalid(format!("{v}: no such folder"))),
            }
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::{link_target, LinkKind};

    #[test]
    fn each_kind_opens_only_its_own_links() {
        let t = |kind, v: &str| link_target(kind, v).map_err(|e| e.message);
        assert_eq!(t(LinkKind::Email, " ada@engines.example ").as_deref(), Ok("mailto:ada@engines.example"));
        assert!(t(LinkKind::Email, "ada@x.test?bcc=eve@x.test").is_err());
        assert!(t(LinkKind::Email, "not an email").is_err());
        assert!(t(LinkKind::Email, "a%3Fbcc%3Deve@x.test").is_err());
        assert_eq!(t(LinkKind::Phone, "+1 (415) 555-0132").as_deref(), Ok("tel:+14155550132"));
        assert!(t(LinkKind::Phone, "call me").is_err());
        assert_eq!(t(LinkKind::Phone, "+1 415 555 0132 ext 12").as_deref(), Ok("tel:+14155550132"));
        assert_eq!(t(LinkKind::Phone, "(415) 555-0132 x12").as_deref(), Ok("tel:4155550132"));
        assert_eq!(t(LinkKind::Phone, "+44 (0)20 7946 0958").as_deref(), Ok("tel:+442079460958"));
        assert_eq!(t(LinkKind::Phone, "020 7946 0958").as_deref(), Ok("tel:02079460958"));
        assert!(t(LinkKind::Phone, "1+2").is_err());
        assert_eq!(t(LinkKind::Web, "acme.com").as_deref(), Ok("https://acme.com/"));
        assert_eq!(
            t(LinkKind::Web, "https://www.linkedin.com/in/ada").as_deref(),
            Ok("https://www.linkedin.com/in/ada")
        );
        assert!(t(LinkKind::Web, "file:///etc/passwd").is_err());
        assert_eq!(
            t(LinkKind::Web, "acme.com/?next=https://x.io").as_deref(),
            Ok("https://acme.com/?next=https://x.io")
        );
        assert!(t(LinkKind::Web, "ftp://acme.com").is_err());
        assert!(t(LinkKind::Web, "javascript:alert(1)").is_err());
        assert!(t(LinkKind::Web, "localhost").is_err());
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("export.csv");
        std::fs::write(&file, "x").unwrap();
        assert_eq!(t(LinkKind::Folder, &file.display().to_string()), Ok(dir.path().display().to_string()));
        assert!(t(LinkKind::Folder, "relative/file.csv").is_err());
        assert!(t(LinkKind::Folder, "/no/such/folder/file.csv").is_err());
    }
}
