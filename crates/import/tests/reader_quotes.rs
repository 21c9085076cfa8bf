//! A quote left open: csv ends the last record at the end of the file even inside a quoted field,
//! so an unclosed quote must fail the import, saying where, rather than make the rest of the file
//! one value.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::*;

use outpost_import::reader::{CsvFile, ReadOptions};
use outpost_import::{preview, Error};

/// Twenty leads, row 5 (line 6) with `"` opening `broken`'s cell in `column` and never closing it.
fn twenty_rows(column: usize) -> String {
    let mut s = String::from("First Name,Last Name,Email,Company\n");
    for i in 1..=20 {
        let mut cells = [format!("F{i}"), format!("L{i}"), format!("p{i}@example.com"), format!("Co {i}")];
        if i == 5 {
            cells[column] = format!("\"{}", cells[column]);
        }
        s.push_str(&cells.join(","));
        s.push('\n');
    }
    s
}

fn malformed(e: Error) -> (u64, String) {
    match e {
        Error::Malformed { row, reason, .. } => (row, reason),
        e => panic!("not Malformed: {e}"),
    }
}

#[test]
fn an_unclosed_quote_in_the_last_column_fails_the_import_naming_row_line_and_column() {
    let mut f = fixture();
    let path = f.file("leads.csv", twenty_rows(3).as_bytes());
    let e = f.try_import(&path).unwrap_err();
    let text = e.to_string();
    assert!(text.starts_with(&path.display().to_string()), "{text}");
    let (row, reason) = malformed(e);
    assert_eq!(row, 5, "{reason}");
    assert!(reason.contains("line 6") && reason.contains("'Company'") && reason.contains("never closed"), "{reason}");
    assert_eq!(f.live_leads(), 0, "nothing lands");
}

#[test]
fn an_unclosed_quote_in_a_middle_column_names_that_column() {
    let mut f = fixture();
    let path = f.file("leads.csv", twenty_rows(1).as_bytes());
    let (row, reason) = malformed(f.try_import(&path).unwrap_err());
    assert_eq!(row, 5);
    assert!(reason.contains("line 6") && reason.contains("'Last Name'"), "{reason}");
    assert_eq!(f.live_leads(), 0);
}

#[test]
fn the_line_counts_the_sep_line_preambles_blank_lines_and_earlier_multiline_values() {
    let mut f = fixture();
    let body = "sep=,\nEmail,Notes,Company\n\na@x.com,\"two\nlines\",A\n\n\nb@x.com,\"ok\",\"Bee\nc@x.com,,C\n";
    let path = f.file("sep.csv", body.as_bytes());
    let (row, reason) = malformed(f.try_import(&path).unwrap_err());
    assert_eq!(row, 2);
    assert!(reason.contains("line 8") && reason.contains("'Company'"), "{reason}");

    let linkedin = "Notes:\n\"When exporting, some emails\nare missing.\"\n\nFirst Name,Last Name,Company\n\
Pat,Lee,Wine Co\nSam,\"Fox,Fox Co\nKim,Ng,Ng Ltd\n";
    let path = f.file("Connections.csv", linkedin.as_bytes());
    let (row, reason) = malformed(f.try_import(&path).unwrap_err());
    assert_eq!(row, 2);
    assert!(reason.contains("line 7") && reason.contains("'Last Name'"), "{reason}");
    assert_eq!(f.live_leads(), 0);
}

#[test]
fn crlf_and_utf16_files_are_checked_too() {
    let mut f = fixture();
    let crlf = twenty_rows(3).replace('\n', "\r\n");
    let path = f.file("crlf.csv", crlf.as_bytes());
    let (row, reason) = malformed(f.try_import(&path).unwrap_err());
    assert!(row == 5 && reason.contains("line 6"), "{row}: {reason}");

    let mut utf16 = vec![0xff, 0xfe];
    for u in twenty_rows(3).encode_utf16() {
        utf16.extend_from_slice(&u.to_le_bytes());
    }
    let path = f.file("utf16.csv", &utf16);
    let (row, reason) = malformed(f.try_import(&path).unwrap_err());
    assert!(row == 5 && reason.contains("line 6"), "{row}: {reason}");
}

#[test]
fn a_quote_left_open_in_the_header_is_reported_not_taken_for_a_header_only_file() {
    let mut f = fixture();
    let path = f.file("h.csv", b"Email,\"Name\na@x.com,Ann\nb@x.com,Bob\n");
    let (row, reason) = malformed(f.try_import(&path).unwrap_err());
    assert_eq!(row, 0);
    assert!(reason.contains("header") && reason.contains("line 1") && reason.contains("never closed"), "{reason}");
}

#[test]
fn closed_quotes_at_the_end_of_the_file_are_fine() {
    let mut f = fixture();
    // The last row is short and its quoted value spans lines, but the quote is closed.
    let path = f.file("notes.csv", b"Email,Notes,Company\na@x.com,\"one\ntwo\"\n");
    let r = f.try_import(&path).unwrap();
    assert_eq!(r.created, 1, "{r:#?}");
    // A file ending right after a closing quote, no newline; a doubled quote inside.
    let path = f.file("end.csv", b"Email,Company\nb@x.com,\"Bee \"\"B\"\" Ltd\"");
    let r = f.try_import(&path).unwrap();
    assert_eq!(r.created, 1, "{r:#?}");
    // Quotes inside an unquoted value are text and open nothing.
    let path = f.file("inch.csv", b"Email,Company\nc@x.com,12\" Pipes\n");
    let r = f.try_import(&path).unwrap();
    assert_eq!(r.created, 1, "{r:#?}");
    assert_eq!(f.live_leads(), 3);
}

#[test]
fn a_long_file_is_checked_to_its_end() {
    let mut f = fixture();
    let mut body = String::from("Email,Company\n");
    for i in 0..50_000 {
        body.push_str(&format!("p{i}@example.com,\"Co, {i}\"\n"));
    }
    body.push_str("last@example.com,\"Never closed\n");
    let path = f.file("long.csv", body.as_bytes());
    let (row, reason) = malformed(f.try_import(&path).unwrap_err());
    assert_eq!(row, 50_001);
    assert!(reason.contains("line 50002") && reason.contains("'Company'"), "{reason}");
    let csv = CsvFile::open(&path, &ReadOptions::default()).unwrap();
    assert_eq!(csv.filter(|r| r.is_err()).count(), 1);
}

#[test]
fn the_preview_shows_the_rows_before_the_open_quote() {
    let f = fixture();
    let path = f.file("leads.csv", twenty_rows(3).as_bytes());
    let p = preview(&path, &ReadOptions::default(), 50).unwrap();
    assert_eq!(p.rows.len(), 4);
}

#[test]
fn a_bom_before_a_quoted_first_header_opens_no_quote() {
    let f = fixture();
    // csv drops the BOM, so the header's first cell is quoted and ends after "Email,".
    let text = "\u{feff}\"Email,\",Name\na@x.com,Ann\nb@x.com,Bob\n";
    let utf16: Vec<u8> = text.encode_utf16().flat_map(u16::to_le_bytes).collect();
    for (name, bytes) in [("bom.csv", text.as_bytes()), ("bom16.csv", &utf16)] {
        let path = f.file(name, bytes);
        let csv = CsvFile::open(&path, &ReadOptions::default()).unwrap();
        assert_eq!(csv.headers, ["Email,", "Name"], "{name}");
        assert_eq!(csv.map(|r| r.unwrap().row).collect::<Vec<_>>(), [1, 2], "{name}");
    }
}

/// A stray quote closed by a quote in a later row makes no error at the end of the file: the rows
/// in between become one value, which `swallowed_rows` tells from a note over several lines.
#[test]
fn a_stray_quote_closed_rows_later_is_told_by_swallowed_rows() {
    let f = fixture();
    let qa = "Email,Name,Company\na1@x.com,A1,C1\na2@x.com,\"A2,C2\na3@x.com,A3,C3\na4@x.com,A4,C4\n\
              a5@x.com,A5,\"C5\"\na6@x.com,A6,\"Met at the expo, twice.\nCall back in May.\"\n";
    let csv = CsvFile::open(&f.file("qa.csv", qa.as_bytes()), &ReadOptions::default()).unwrap();
    let (headers, delimiter) = (csv.headers.clone(), csv.dialect.delimiter);
    let flagged: Vec<(u64, Option<usize>)> = csv
        .map(|r| {
            let r = r.unwrap();
            (r.row, outpost_import::reader::swallowed_rows(&r, &headers, delimiter).map(|(column, _)| column))
        })
        .collect();
    assert_eq!(flagged, [(1, None), (2, Some(1)), (3, None)]);
}

/// For each record of `text`: its row and the column `swallowed_rows` flags, if any.
fn flagged(text: &str) -> Vec<(u64, Option<usize>)> {
    let f = fixture();
    let csv = CsvFile::open(&f.file("f.csv", text.as_bytes()), &ReadOptions::default()).unwrap();
    let (headers, delimiter) = (csv.headers.clone(), csv.dialect.delimiter);
    csv.map(|r| {
        let r = r.unwrap();
        (r.row, outpost_import::reader::swallowed_rows(&r, &headers, delimiter).map(|(column, _)| column))
    })
    .collect()
}

/// What marks a stray quote is text after the quote that closed it, not delimiters in a value's
/// lines.
#[test]
fn values_over_lines_with_delimiters_are_not_taken_for_swallowed_rows() {
    let qa = "Email,Name,Company\na1@x.com,A1,C1\na2@x.com,\"A2,C2\na3@x.com,A3,C3\na4@x.com,A4,C4\n\
              a5@x.com,A5,\"C5\"\n";
    for text in [qa.to_string(), qa.replace('\n', "\r\n"), format!("\u{feff}{qa}")] {
        assert_eq!(flagged(&text), [(1, None), (2, Some(1))], "{text:?}");
    }
    // A note whose middle line holds as many commas as a row.
    let notes = "Email,Name,Notes\na@x.com,Ann,\"Met at expo.\nCalled, no answer, voicemail.\nRetry in May\"\n";
    for text in [notes.to_string(), notes.replace('\n', "\r\n")] {
        assert_eq!(flagged(&text), [(1, None)], "{text:?}");
    }
    // A short row whose address over lines holds a whole row's commas.
    let address = "Email,Name,Address,Company\na@x.com,Ann,\"1 Main St, Suite 4, Springfield, IL\n62704 USA\"\n\
                   b@x.com,Bob,\"2 Elm St,\nSuite 1, Dayton, OH\nUSA\",B Co\n";
    assert_eq!(flagged(address), [(1, None), (2, None)]);
    // A quote inside an unquoted value is text, and leaves no mark.
    let inch = "Email,Product,Notes\na@x.com,5\" screen,\"Wants two.\nCalled, no answer, voicemail.\nRetry\"\n";
    assert_eq!(flagged(inch), [(1, None)]);
}

/// The scan runs a buffer ahead of csv: its marks must land on the right record however far in.
#[test]
fn a_stray_quote_deep_in_a_long_file_flags_its_own_record_only() {
    let mut text = String::from("Email,Name,Notes\n");
    for i in 0..30_000 {
        text.push_str(&format!("p{i}@x.com,\"Name {i}\",\"Met at expo.\nCalled, no answer, voicemail.\"\n"));
    }
    text.push_str("bad@x.com,\"Bad,Co\nq1@x.com,Q1,N1\nq2@x.com,\"Q2\",N2\nlast@x.com,Last,\"ok\"\n");
    let got = flagged(&text);
    let hits: Vec<_> = got.iter().filter(|(_, c)| c.is_some()).collect();
    assert_eq!(hits, [&(30_001, Some(1))]);
    assert_eq!(got.len(), 30_002);
}
