//! Turning a mapped row's text into lead values, with a reason for every value that can't be used.

use std::str::FromStr;

use chrono::{NaiveDate, NaiveDateTime};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum DateOrder {
    /// 03/04/2026 is March 4 (US exports)
    #[default]
    Mdy,
    /// 03/04/2026 is 3 April
    Dmy,
    Ymd,
}

/// E.164 ("+14155550132"), or why not. Numbers without a country code are read in `region`.
pub fn phone(text: &str, region: &str) -> Result<String, String> {
    let id =
        phonenumber::country::Id::from_str(&region.to_uppercase()).map_err(|_| format!("unknown region '{region}'"))?;
    let parsed = phonenumber::parse(Some(id), text).map_err(|_| "not a phone number".to_string())?;
    if !phonenumber::is_valid(&parsed) {
        return Err(format!("not a valid phone number for region {region}"));
    }
    Ok(parsed.format().mode(phonenumber::Mode::E164).to_string())
}

/// An ISO date (YYYY-MM-DD), or a timestamp when the cell has a time; common export formats.
pub fn date(text: &str, order: DateOrder) -> Result<String, String> {
    let s = text.trim();
    if let Some(t) = outpost_core::time::normalize(s) {
        return Ok(t);
    }
    let numeric = match order {
        DateOrder::Mdy => "%m/%d/%Y",
        DateOrder::Dmy => "%d/%m/%Y",
        DateOrder::Ymd => "%Y/%m/%d",
    };
    for f in [
        format!("{numeric} %I:%M %p"),
        format!("{numeric} %H:%M"),
        format!("{numeric} %H:%M:%S"),
        "%Y-%m-%d %H:%M".into(),
    ] {
        if let Ok(t) = NaiveDateTime::parse_from_str(s, &f) {
            return Ok(outpost_core::time::format(t.and_utc()));
        }
    }
    let dotted = numeric.replace('/', ".");
    let dashed = numeric.replace('/', "-");
    for f in [numeric, dotted.as_str(), dashed.as_str(), "%d %b %Y", "%b %d, %Y", "%d %B %Y", "%B %d, %Y"] {
        if let Ok(d) = NaiveDate::parse_from_str(s, f) {
            return Ok(d.format("%Y-%m-%d").to_string());
        }
    }
    let hint = match order {
        DateOrder::Mdy => " in month/day/year order (for day/month/year use --date-order dmy)",
        DateOrder::Dmy => " in day/month/year order",
        DateOrder::Ymd => " in year/month/day order",
    };
    Err(format!("not a date{hint}"))
}

/// A status as the exports write it, onto the schema's values.
pub fn status(text: &str) -> Result<&'static str, String> {
    let key: String = text.chars().filter(|c| c.is_alphanumeric()).flat_map(char::to_lowercase).collect();
    Ok(match key.as_str() {
        "new" | "open" | "notcontacted" | "notstarted" | "lead" | "subscriber" => "new",
        "contacted" | "attemptedtocontact" | "attempted" | "working" | "workingcontacted" | "inprogress" | "connected" => {
            "contacted"
        }
        "qualified" | "mql" | "sql" | "salesqualifiedlead" | "marketingqualifiedlead" | "opendeal" | "opportunity" => {
            "qualified"
        }
        "proposal" | "proposalsent" | "quote" | "quotesent" => "proposal",
        "negotiation" | "negotiating" | "contractsent" => "negotiation",
        "won" | "closedwon" | "customer" | "converted" | "closedconverted" => "closed_won",
        "lost" | "closedlost" | "badtiming" | "closednotconverted" => "closed_lost",
        "nurture" | "nurturing" | "recycled" => "nurturing",
        "unqualified" | "disqualified" | "junk" | "baddata" | "notinterested" => "unqualified",
        _ => {
            return Err(format!(
                "unknown status '{text}' (one of new, contacted, qualified, proposal, negotiation, closed_won, closed_lost, nurturing, unqualified)"
            ))
        }
    })
}

pub fn yes(text: &str) -> Option<bool> {
    match text.trim().to_lowercase().as_str() {
        "true" | "yes" | "y" | "1" | "x" | "opted out" | "unsubscribed" => Some(true),
        "false" | "no" | "n" | "0" | "" => Some(false),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phones_dates_statuses() {
        assert_eq!(phone("(415) 555-0132", "US").as_deref(), Ok("+14155550132"));
        assert_eq!(phone("+44 20 7946 0958", "US").as_deref(), Ok("+442079460958"));
        assert!(phone("12", "US").is_err());
        assert_eq!(date("03/04/2026", DateOrder::Mdy).as_deref(), Ok("2026-03-04"));
        assert_eq!(date("03/04/2026", DateOrder::Dmy).as_deref(), Ok("2026-04-03"));
        assert!(date("31/12/2026", DateOrder::Mdy).is_err_and(|e| e.contains("--date-order dmy")));
        assert_eq!(date("07 Dec 2025", DateOrder::Mdy).as_deref(), Ok("2025-12-07"));
        assert_eq!(date("3/15/2024 2:30 PM", DateOrder::Mdy).as_deref(), Ok("2024-03-15T14:30:00.000000Z"));
        assert_eq!(date("2024-03-12 09:14", DateOrder::Mdy).as_deref(), Ok("2024-03-12T09:14:00.000000Z"));
        assert_eq!(status("Closed Won"), Ok("closed_won"));
        assert_eq!(status("OPEN_DEAL"), Ok("qualified"));
        assert!(status("bogus").is_err());
    }
}
