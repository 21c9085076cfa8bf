//! How many rows a pull page asks for. Pages are counted in rows, but rows can be large (call
//! transcripts, a document's text): 5,000 rows of 100 KB are a 500 MB page, which the server cannot
//! build within its statement timeout — and it would fail the same way at every retry. So a page
//! the server gives up on is asked for again with a quarter of the rows (no later page of this pull
//! asks for more than half the size that failed), and after each page the next one is sized to about
//! [`PULL_PAGE_BYTES`] from the size of the rows just read.

use serde_json::Value;

use crate::error::Error;

/// Rows per pull page (SYNC.md: thousands).
pub const PULL_PAGE: usize = 5_000;
/// About how large a page should be.
pub const PULL_PAGE_BYTES: usize = 8 << 20;

/// The server gave up building the page (its statement timeout, a value over PostgreSQL's 1 GB
/// limit, out of memory), or the page took longer to arrive than the client waits.
pub(crate) fn too_big(e: &Error) -> bool {
    match e {
        Error::Api { code, .. } => ["57014", "54000", "53200"].contains(&code.as_str()),
        Error::TimedOut => true,
        _ => false,
    }
}

/// The page size after the server gave up on a page of `size` rows; None when it was one row.
pub(crate) fn shrunk(size: usize) -> Option<usize> {
    (size > 1).then(|| (size / 4).max(1))
}

/// The page size for the next page, given the changes of the page just read with `size` rows. Only
/// changed when it is off by more than a factor of two (each change asks for the next page anew).
pub(crate) fn next(size: usize, changes: &[Value]) -> usize {
    if changes.is_empty() {
        return size;
    }
    let per_row = changes.iter().map(approx_bytes).sum::<usize>() / changes.len();
    let fit = (PULL_PAGE_BYTES / per_row.max(1)).clamp(1, PULL_PAGE);
    if fit < size / 2 || fit > size.saturating_mul(2) {
        fit
    } else {
        size
    }
}

/// About how many bytes a value takes as JSON.
fn approx_bytes(v: &Value) -> usize {
    match v {
        Value::String(s) => s.len() + 2,
        Value::Array(a) => a.iter().map(approx_bytes).sum::<usize>() + a.len() + 2,
        Value::Object(o) => o.iter().map(|(k, v)| k.len() + 4 + approx_bytes(v)).sum::<usize>() + 2,
        _ => 8,
    }
}

#[cfg(test)]
mod tests {
    use super::{next, shrunk, PULL_PAGE};
    use serde_json::json;

    fn page(rows: usize, note_bytes: usize) -> Vec<serde_json::Value> {
        (0..rows).map(|i| json!({"table": "leads", "id": i, "values": ["a", "x".repeat(note_bytes)]})).collect()
    }

    #[test]
    fn pages_of_large_rows_get_fewer_rows_and_small_rows_go_back_to_the_full_page() {
        assert_eq!(next(PULL_PAGE, &page(100, 500)), PULL_PAGE, "ordinary rows: unchanged");
        let wide = next(PULL_PAGE, &page(100, 100_000));
        assert!((70..=90).contains(&wide), "100 KB rows: ~8 MB pages, got {wide} rows");
        assert_eq!(next(wide, &page(50, 105_000)), wide, "within a factor of two: unchanged");
        assert_eq!(next(wide, &page(50, 500)), PULL_PAGE, "back to ordinary rows");
        assert_eq!(next(PULL_PAGE, &page(1, 50 << 20)), 1, "never below one row");
        assert_eq!(next(300, &[]), 300);
    }

    #[test]
    fn a_page_the_server_gave_up_on_is_asked_again_with_a_quarter_of_the_rows() {
        assert_eq!(shrunk(5000), Some(1250));
        assert_eq!(shrunk(3), Some(1));
        assert_eq!(shrunk(1), None);
    }
}
