//! A streaming CSV reader over any file: constant memory, any encoding (transcoded to UTF-8 as it
//! streams), the sniffed or given dialect. Cells stay text.

use std::collections::VecDeque;
use std::fs::File;
use std::io::{BufReader, Read, Seek, SeekFrom};
use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use encoding_rs::Encoding;

use crate::error::{Error, Result};
use crate::sniff::{self, Dialect};

/// Overrides for what sniffing decides.
#[derive(Debug, Clone, Default)]
pub struct ReadOptions {
    pub encoding: Option<&'static Encoding>,
    pub delimiter: Option<u8>,
    pub skip_records: Option<usize>,
    /// What messages and the import's record call the file when its path is not what the user
    /// knows it by (the copy of a piped file: "stdin").
    pub shown_as: Option<String>,
}

pub struct CsvFile {
    pub file: String,
    pub dialect: Dialect,
    pub headers: Vec<String>,
    pub size: u64,
    bytes_read: Arc<AtomicU64>,
    records: csv::StringRecordsIntoIter<QuoteTracker<Box<dyn Read + Send>>>,
    pub(crate) row: u64,
    /// One record read ahead, to know which record is the last: a quote left open makes it swallow
    /// the rest of the file.
    ahead: Option<Result<Record>>,
    /// Records that may be a report's footer (see [`CsvFile::footer_rows`]), held back until a data
    /// record or the end of the file says what they are.
    held: VecDeque<Record>,
    /// What to hand out before reading on: held records that turned out to be data, and what came
    /// after them.
    released: VecDeque<Result<Record>>,
    footer_rows: u64,
    empty_rows: u64,
    /// The first record, when it is data rather than column names (the columns are then named
    /// "Column 1" …, and mapped by what this record holds).
    pub first_row: Option<csv::StringRecord>,
}

/// Whether a file's first record is data, not column names: no cell names a lead field, and one
/// holds an email address or a phone number.
fn is_data(record: &csv::StringRecord) -> bool {
    let names_a_field = record.iter().enumerate().any(|(i, c)| {
        let m = crate::mapping::guess(i, c);
        m.confidence >= 0.6 && matches!(m.target, crate::mapping::Target::Field(_))
    });
    !names_a_field && record.iter().any(|c| crate::mapping::value_field(c).is_some())
}

/// One data record: its 1-based row number among data rows, and its cells.
pub struct Record {
    pub row: u64,
    pub cells: csv::StringRecord,
    /// The lines csv read for this record: 1, plus the blank lines before it, plus the line breaks
    /// in its quoted values. (csv counts `\n` only, so it is 0 in a file whose lines end in `\r`,
    /// and one short for a last record with no line end in a file whose lines end in `\n`: both
    /// err towards no blank line before it.)
    lines: u64,
    /// Whether text follows a closing quote somewhere in it (`a5@x.com,A5,"C5"` read inside an
    /// open quote: `"` closes it, `C5"` goes on unquoted), the mark a stray quote leaves.
    stray_quote: bool,
}

/// More footer-like records than a report's footer has (Salesforce writes five or so): past this
/// many they are data, and memory stays bounded.
const MAX_FOOTER_ROWS: usize = 50;

struct Counting<R> {
    inner: R,
    n: Arc<AtomicU64>,
}

impl<R: Read> Read for Counting<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let k = self.inner.read(buf)?;
        self.n.fetch_add(k as u64, Ordering::Relaxed);
        Ok(k)
    }
}

impl CsvFile {
    pub fn open(path: &Path, opts: &ReadOptions) -> Result<CsvFile> {
        let file = opts.shown_as.clone().unwrap_or_else(|| path.display().to_string());
        let io = |source| Error::Io { file: file.clone(), source };
        let mut f = File::open(path).map_err(io)?;
        let size = f.metadata().map_err(io)?.len();
        let mut sample = Vec::with_capacity(sniff::SAMPLE.min(size as usize));
        (&mut f).take(sniff::SAMPLE as u64).read_to_end(&mut sample).map_err(io)?;
        if sample.iter().all(|b| b.is_ascii_whitespace()) {
            return Err(Error::Empty { file });
        }
        if let Some(what) = sniff::not_text(&sample, opts.encoding) {
            return Err(Error::NotText { file, what: what.into() });
        }
        let encoding = match opts.encoding {
            Some(e) => e,
            None => {
                // The end of the file too: an export whose only accented name is in its last rows
                // is still in a legacy encoding.
                let mut tail = Vec::new();
                let tail_start = size.saturating_sub(sniff::SAMPLE as u64).max(sample.len() as u64);
                if tail_start < size {
                    f.seek(SeekFrom::Start(tail_start)).map_err(io)?;
                    (&mut f).take(sniff::SAMPLE as u64).read_to_end(&mut tail).map_err(io)?;
                }
                sniff::encoding_of(&sample, &tail)
            }
        };
        let mut dialect = sniff::dialect(&sample, encoding);
        if let Some(d) = opts.delimiter {
            dialect.delimiter = d;
        }
        if let Some(s) = opts.skip_records {
            dialect.skip_records = s;
        }
        drop(sample);
        let bytes_read = Arc::new(AtomicU64::new(0));
        let raw =
            Counting { inner: BufReader::with_capacity(1 << 16, File::open(path).map_err(io)?), n: bytes_read.clone() };
        let decoded: Box<dyn Read + Send> = Box::new(
            encoding_rs_io::DecodeReaderBytesBuilder::new().encoding(Some(encoding)).bom_override(true).build(raw),
        );
        let tracked = QuoteTracker { inner: decoded, scan: QuoteScan::new(dialect.delimiter) };
        let mut records = csv::ReaderBuilder::new()
            .delimiter(dialect.delimiter)
            .has_headers(false)
            .flexible(true)
            .buffer_capacity(1 << 16)
            .from_reader(tracked)
            .into_records();
        let mut header = None;
        for i in 0..=dialect.skip_records {
            match records.next() {
                Some(Ok(r)) if i == dialect.skip_records => header = Some(r),
                Some(Ok(_)) => {}
                Some(Err(e)) => return Err(Error::Malformed { file, row: 0, reason: e.to_string() }),
                None => break,
            }
        }
        // A list of addresses with no header row: its first row is a lead, not column names.
        let first_row = header.as_ref().filter(|h| is_data(h)).cloned();
        let headers: Vec<String> = match &header {
            Some(h) if first_row.is_some() => (1..=h.len()).map(|i| format!("Column {i}")).collect(),
            // (A header our failed-rows file marked as text, like its cells, reads as it was.)
            Some(h) => h
                .iter()
                .map(|h| {
                    // A stray NUL (see `sniff::not_text`) would name a custom field no server can store.
                    let h = h.replace('\0', "");
                    crate::normalize::without_text_marker(h.trim().trim_start_matches('\u{feff}')).to_string()
                })
                .collect(),
            None => Vec::new(),
        };
        let mut f = CsvFile {
            file,
            dialect,
            headers,
            size,
            bytes_read,
            records,
            row: 0,
            ahead: None,
            held: VecDeque::new(),
            released: VecDeque::new(),
            footer_rows: 0,
            empty_rows: 0,
            first_row: first_row.clone(),
        };
        f.ahead = match first_row {
            Some(cells) => {
                f.row = 1;
                Some(Ok(Record { row: 1, cells, lines: 1, stray_quote: false }))
            }
            None => f.read_next(),
        };
        if f.ahead.is_none() {
            let scan = f.quote_scan().clone();
            if scan.state == Field::Quoted {
                let place = if header.is_some() { "in the header row" } else { "before the header row" };
                return Err(Error::Malformed {
                    file: f.file,
                    row: 0,
                    reason: format!(
                        "a quote opened {place} (the record on line {}) is never closed, so everything after it, \
                         to the end of the file, was read as one value; close the quote, or double it (\"\") if it \
                         is part of the text, and import again",
                        scan.record_line
                    ),
                });
            }
        }
        if header.is_none() {
            return Err(Error::Empty { file: f.file });
        }
        Ok(f)
    }

    fn quote_scan(&self) -> &QuoteScan {
        &self.records.reader().get_ref().scan
    }

    /// The error for `last`, the file's last record, if the file ended inside one of its quotes.
    fn unclosed(&self, last: &Record) -> Option<Error> {
        let scan = self.quote_scan();
        if scan.state != Field::Quoted {
            return None;
        }
        // The open quoted field ran to the end of the file, so it is the record's last.
        let i = last.cells.len().saturating_sub(1);
        let column = match self.headers.get(i) {
            Some(h) if !h.is_empty() => format!("column '{h}'"),
            _ => format!("column {}", i + 1),
        };
        Some(Error::Malformed {
            file: self.file.clone(),
            row: last.row,
            reason: format!(
                "a quote opened in {column} of this row (which starts on line {}) is never closed, so everything \
                 after it, to the end of the file, was read as one value; close the quote, or double it (\"\") \
                 if it is part of the text, and import again",
                scan.record_line
            ),
        })
    }

    /// Bytes of the file consumed so far (for progress).
    pub fn bytes_read(&self) -> u64 {
        self.bytes_read.load(Ordering::Relaxed)
    }

    /// Non-empty records left out as a report's footer so far: after a blank line (or a record of
    /// empty cells), records with text in their first cell only, up to the end of the file, one of
    /// which reads like a footer — what Salesforce writes under a report ("Grand Totals (2
    /// records)", "Copyright (c) …", "Confidential Information - Do Not Distribute", "Generated By:
    /// …", the company's name). Final once the records have all been read.
    pub fn footer_rows(&self) -> u64 {
        self.footer_rows
    }

    /// Records of nothing but delimiters and spaces skipped so far (",,,": Excel writes them for
    /// empty rows it once formatted): blank lines, not rows left out.
    pub fn empty_rows(&self) -> u64 {
        self.empty_rows
    }

    fn read_next(&mut self) -> Option<Result<Record>> {
        let before = self.records.reader().position().clone();
        let r = self.records.next()?;
        let after = self.records.reader().position().clone();
        let lines = after.line().saturating_sub(before.line());
        // The scan has run ahead by csv's buffer, so its marks are matched to this record by where
        // they fall among the bytes csv took for it (both count the same decoded bytes).
        let strays = &mut self.records.reader_mut().get_mut().scan.strays;
        let mut stray_quote = false;
        while let Some(&at) = strays.front().filter(|at| **at < after.byte()) {
            stray_quote |= at >= before.byte();
            strays.pop_front();
        }
        self.row += 1;
        Some(match r {
            Ok(cells) => Ok(Record { row: self.row, cells, lines, stray_quote }),
            Err(e) => Err(Error::Malformed { file: self.file.clone(), row: self.row, reason: e.to_string() }),
        })
    }

    /// The next record as csv reads it, or the error for a quote left open.
    fn next_read(&mut self) -> Option<Result<Record>> {
        let current = self.ahead.take()?;
        self.ahead = self.read_next();
        if let (Ok(r), None) = (&current, &self.ahead) {
            if let Some(e) = self.unclosed(r) {
                return Some(Err(e));
            }
        }
        Some(current)
    }

    /// Whether `r` could be a footer line: the header has columns for data, `r` fills the first at
    /// most. A lone email address is a lead however it stands, so that is data.
    fn footer_like(&self, r: &Record) -> bool {
        let mut cells = r.cells.iter();
        let first = cells.next().unwrap_or_default().trim();
        let lone_email = || first.contains('@') && !first.contains(char::is_whitespace);
        self.headers.len() >= 2 && cells.all(|c| c.trim().is_empty()) && !lone_email()
    }

    /// Hands on what was held as data.
    fn release_held(&mut self) {
        while let Some(r) = self.held.pop_front() {
            self.pass_on(r);
        }
    }

    /// Hands `r` on as data, unless it is empty (see [`CsvFile::empty_rows`]).
    fn pass_on(&mut self, r: Record) {
        if is_blank(&r) {
            self.empty_rows += 1;
        } else {
            self.released.push_back(Ok(r));
        }
    }
}

fn is_blank(r: &Record) -> bool {
    r.cells.iter().all(|c| c.trim().is_empty())
}

/// Whether `r` holds what a report writes under its data. Records after a blank line with text in
/// their first cell only are just as often data (companies without a contact yet, names without an
/// email), so held records are a footer only if one of them says it is one.
fn footer_marker(r: &Record) -> bool {
    const MARKERS: [&str; 6] =
        ["grand total", "copyright", "generated by", "confidential", "all rights reserved", "salesforce.com"];
    r.cells.iter().any(|c| {
        let c = c.to_lowercase();
        MARKERS.iter().any(|m| c.contains(m)) || counts_records(&c)
    })
}

/// Whether lower-cased `text` holds a count of records: "(2 records)", "1,024 records", "1 record".
fn counts_records(text: &str) -> bool {
    text.match_indices("record").any(|(i, m)| {
        let counted = text.get(..i).unwrap_or_default().trim_end().ends_with(|c: char| c.is_ascii_digit());
        let rest = text.get(i + m.len()..).unwrap_or_default();
        let rest = rest.strip_prefix('s').unwrap_or(rest);
        counted && !rest.starts_with(char::is_alphanumeric)
    })
}

/// Blank lines csv skipped before `r`: its lines less the one it starts on and those inside its
/// quoted values. Only asked of footer-like records, so counting their line breaks costs nothing.
fn blank_lines_before(r: &Record) -> u64 {
    let inside = r.cells.as_byte_record().as_slice().iter().filter(|b| **b == b'\n').count() as u64;
    r.lines.saturating_sub(1 + inside)
}

impl Iterator for CsvFile {
    type Item = Result<Record>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            if let Some(r) = self.released.pop_front() {
                return Some(r);
            }
            let r = match self.next_read() {
                Some(Ok(r)) => r,
                Some(Err(e)) => {
                    self.release_held();
                    self.released.push_back(Err(e));
                    continue;
                }
                None if self.held.iter().any(footer_marker) => {
                    // Everything held ran to the end of the file, and says it is a footer.
                    self.footer_rows += self.held.iter().filter(|r| !is_blank(r)).count() as u64;
                    self.held.clear();
                    return None;
                }
                None if self.held.is_empty() => return None,
                None => {
                    self.release_held();
                    continue;
                }
            };
            if !self.footer_like(&r) || self.held.len() >= MAX_FOOTER_ROWS {
                self.release_held();
                self.pass_on(r);
                continue;
            }
            // A footer starts after a blank line (or an all-empty record, itself part of it).
            if self.held.is_empty() && !is_blank(&r) && blank_lines_before(&r) == 0 {
                return Some(Ok(r));
            }
            self.held.push_back(r);
        }
    }
}

/// Why `record` looks like it swallowed the rows after it — a stray quote in one of its values
/// closed only by a quote in a later row, so that everything between was read into that value —
/// naming the value's column: `Some((column index, reason))`. `headers` are the file's and
/// `delimiter` its dialect's. Cheap for an ordinary record: one on one line
/// returns at once.
///
/// The stray quote's own mark is text right after the quote that closed it (`a5@x.com,A5,"C5"`:
/// the quote before `C5` closes, and `C5"` follows it), which a note typed over several lines and
/// quoted as a whole does not have, however many commas its lines hold. The value that swallowed
/// the rows is the one spanning lines. A quote closed by one that a later row ends a value with
/// (`Lee Monitors 27",Buyer`: an inch mark) leaves no such mark; then the value's lines themselves
/// tell: each is a whole row's worth of values with the record's cells around it (see
/// [`lines_are_rows`]).
pub fn swallowed_rows(record: &Record, headers: &[String], delimiter: u8) -> Option<(usize, String)> {
    let width = headers.len();
    // (`lines` is 0 in a file whose lines end in `\r` alone: such records are looked at.)
    if width < 2 || (record.lines == 1 && !record.stray_quote) {
        return None;
    }
    let (i, breaks) = record.cells.iter().enumerate().find_map(|(i, cell)| {
        let breaks = match cell.bytes().filter(|b| *b == b'\n').count() {
            // Old Mac line ends.
            0 => cell.bytes().filter(|b| *b == b'\r').count(),
            n => n,
        };
        (breaks > 0).then_some((i, breaks))
    })?;
    if !record.stray_quote && !lines_are_rows(record, headers, i, delimiter) {
        return None;
    }
    let column = match headers.get(i) {
        Some(h) if !h.is_empty() => format!("column '{h}'"),
        _ => format!("column {}", i + 1),
    };
    let reason = format!(
        "the value in {column} spans {} lines, and they look like whole rows ({} values separated by '{}'): a \
         quote opened in it is probably closed only much later, so the rows in between were read into this \
         one; fix the quote (close it, or double it as \"\" if it is part of the text) and import the \
         row(s) again",
        breaks + 1,
        width,
        char::from(delimiter).escape_default(),
    );
    Some((i, reason))
}

/// Whether the lines of the record's cell `i` read as whole rows cut apart: the first line ends the
/// row the cell started in (the cells before it and the line's values make a row of `width`), every
/// line between is a row of `width` values, and the last line starts the row the record's last
/// cells end. Rows read into a value silently are worse than a value left out with the reason, so
/// this leans towards finding them; what keeps an address or a note over lines ("1 Main St, Suite
/// 2⏎Springfield, IL, 62701") out: four columns or more, and an address in the email column of a
/// row read in (the one that closed the quote, or one in between) when the file has an email
/// column — else five columns or more and a whole row in between.
fn lines_are_rows(record: &Record, headers: &[String], i: usize, delimiter: u8) -> bool {
    let width = headers.len();
    let cell = &record.cells[i];
    let line_end = if cell.contains('\n') { '\n' } else { '\r' };
    let lines: Vec<&str> = cell.split(line_end).map(|l| l.trim_end_matches('\r')).collect();
    let split = |line: &'_ str| line.split(char::from(delimiter)).map(str::to_string).collect::<Vec<String>>();
    let (Some(first), Some(last)) = (lines.first(), lines.last()) else { return false };
    let between: Vec<Vec<String>> =
        lines[1..lines.len() - 1].iter().filter(|l| !l.trim().is_empty()).map(|l| split(l)).collect();
    // The row that closed the quote: the last line's values, then the record's cells after it.
    let closing: Vec<String> =
        split(last).into_iter().chain(record.cells.iter().skip(i + 1).map(str::to_string)).collect();
    let shaped = width >= 4
        && i + split(first).len() == width
        && closing.len() == width
        && between.iter().all(|row| row.len() == width);
    let email_column = headers.iter().position(|h| {
        let h = h.to_lowercase();
        h.contains("email") || h.contains("e-mail")
    });
    shaped
        && match email_column {
            Some(e) => between.iter().chain([&closing]).any(|row| row.get(e).is_some_and(|v| v.contains('@'))),
            None => width >= 5 && !between.is_empty(),
        }
}

/// Where csv's parser (csv_core: RFC 4180, `"` quotes doubled inside quoted fields, `\r`, `\n` or
/// `\r\n` ending records) stands in the bytes it has been given. csv ends the last record at the
/// end of the input even inside a quoted field, so an unclosed quote would silently make the rest
/// of the file one value; this is how the reader finds out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Field {
    /// At the start of a field (or record): a quote here opens a quoted field.
    Start,
    /// In a field that did not start with a quote: quotes are text.
    Unquoted,
    Quoted,
    /// A quote in a quoted field: it closes the field, or a second one makes it text.
    QuoteSeen,
}

#[derive(Debug, Clone)]
struct QuoteScan {
    delimiter: u8,
    state: Field,
    /// The line of the next byte, from 1.
    line: u64,
    /// The line after the last record end outside quotes: where the record being read starts
    /// (blank lines end no record but count as ends here, which skips them as csv does).
    record_line: u64,
    /// The offset of the next byte.
    pos: u64,
    /// Offsets of bytes that followed a closing quote and were neither a delimiter, a line end nor
    /// a quote, not yet claimed by a record (see [`Record`]'s `stray_quote`). Bounded by what the
    /// scan runs ahead of csv: one buffer.
    strays: VecDeque<u64>,
}

/// Bytes looked at together: most hold no quote, and then only their last byte matters.
const BLOCK: usize = 32;

impl QuoteScan {
    fn new(delimiter: u8) -> QuoteScan {
        QuoteScan { delimiter, state: Field::Start, line: 1, record_line: 1, pos: 0, strays: VecDeque::new() }
    }

    #[inline]
    fn step(&mut self, b: u8) {
        self.line += u64::from(b == b'\n');
        self.state = match self.state {
            Field::Quoted if b == b'"' => Field::QuoteSeen,
            Field::Quoted => Field::Quoted,
            Field::Start | Field::QuoteSeen if b == b'"' => Field::Quoted,
            _ if b == b'\n' || b == b'\r' => {
                self.record_line = self.line;
                Field::Start
            }
            _ if b == self.delimiter => Field::Start,
            Field::QuoteSeen => {
                self.strays.push_back(self.pos);
                Field::Unquoted
            }
            _ => Field::Unquoted,
        };
        self.pos += 1;
    }

    /// This runs over every byte of the file (the 1M-row benchmark's 100 MB), so a block without a
    /// quote is settled from a branch-free pass: no quote means no quoted field opens or closes in
    /// it, so inside one it stays inside, and outside one every line end in it ends a record and
    /// its last byte alone says where the next field stands.
    fn feed(&mut self, bytes: &[u8]) {
        let (blocks, rest) = bytes.as_chunks::<BLOCK>();
        for block in blocks {
            let (mut quotes, mut newlines, mut ends) = (0u32, 0u32, 0u32);
            for &b in block {
                quotes += u32::from(b == b'"');
                newlines += u32::from(b == b'\n');
                ends += u32::from(b == b'\n' || b == b'\r');
            }
            // Right after a closing quote the first byte may be a stray quote's mark.
            if quotes > 0 || self.state == Field::QuoteSeen {
                block.iter().for_each(|b| self.step(*b));
                continue;
            }
            self.pos += BLOCK as u64;
            self.line += u64::from(newlines);
            if self.state == Field::Quoted {
                continue;
            }
            if ends > 0 {
                self.record_line = self.line;
            }
            let last = block[BLOCK - 1];
            self.state =
                if last == b'\n' || last == b'\r' || last == self.delimiter { Field::Start } else { Field::Unquoted };
        }
        rest.iter().for_each(|b| self.step(*b));
    }
}

/// Feeds [`QuoteScan`] what csv reads. It sees what csv sees: the decoder has already dropped any
/// BOM, the one byte csv would skip before parsing.
struct QuoteTracker<R> {
    inner: R,
    scan: QuoteScan,
}

impl<R: Read> Read for QuoteTracker<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let k = self.inner.read(buf)?;
        self.scan.feed(buf.get(..k).unwrap_or_default());
        Ok(k)
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    /// The headers, records and delimiter of `text` read as a file.
    fn read(text: &str) -> (Vec<String>, Vec<Record>, u8) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("leads.csv");
        std::fs::write(&path, text).unwrap();
        let csv = CsvFile::open(&path, &ReadOptions::default()).unwrap();
        let (headers, delimiter) = (csv.headers.clone(), csv.dialect.delimiter);
        (headers, csv.map(|r| r.unwrap()).collect(), delimiter)
    }

    fn swallowed(text: &str) -> Vec<Option<(usize, String)>> {
        let (headers, records, delimiter) = read(text);
        records.iter().map(|r| swallowed_rows(r, &headers, delimiter)).collect()
    }

    #[test]
    fn rows_read_into_a_value_by_a_stray_quote_are_flagged() {
        let qa = "Email,Name,Company\na1@x.com,A1,C1\na2@x.com,\"A2,C2\na3@x.com,A3,C3\na4@x.com,A4,C4\n\
                  a5@x.com,A5,\"C5\"\n";
        for text in [qa.to_string(), qa.replace('\n', "\r\n")] {
            let got = swallowed(&text);
            assert_eq!(got.len(), 2, "{text:?}");
            assert_eq!(got[0], None);
            let (column, reason) = got[1].clone().expect("row 2 swallowed rows 3-5");
            assert_eq!(column, 1);
            assert!(
                reason.contains("column 'Name'")
                    && reason.contains("spans 4 lines")
                    && reason.contains("closed only much later")
                    && reason.contains("fix the quote"),
                "{reason}"
            );
        }
        // Closed in a middle column, the record comes out as wide as the header.
        let got = swallowed("Email,Name,Company\na2@x.com,\"A2,C2\na3@x.com,A3,C3\na4@x.com,\"A4\",C4\n");
        assert_eq!(got.len(), 1);
        assert!(got[0].as_ref().is_some_and(|(c, r)| *c == 1 && r.contains("spans 3 lines")), "{got:?}");
        // Tabs.
        let got = swallowed("Email\tName\tCompany\na2@x.com\t\"A2\tC2\na3@x.com\tA3\tC3\na4@x.com\tA4\t\"C4\"\n");
        assert!(got[0].as_ref().is_some_and(|(c, _)| *c == 1), "{got:?}");
    }

    /// What keeps `swallowed_rows` cheap: an ordinary record is known to be one line.
    #[test]
    fn records_on_one_line_count_one_line() {
        for text in ["a,b\n1,2\n3,4\n", "a,b\r\n1,2\r\n3,4\r\n", "a,b\r\n1,2\r\n\"3\",4"] {
            let (_, records, _) = read(text);
            assert_eq!(records.iter().map(|r| r.lines).collect::<Vec<_>>(), [1, 1], "{text:?}");
        }
        let (_, records, _) = read("a,b\r\n1,\"x\r\ny\"\r\n\r\n\r\n3,4\r\n");
        assert_eq!(records.iter().map(|r| (r.lines, blank_lines_before(r))).collect::<Vec<_>>(), [(2, 0), (3, 2)]);
    }

    /// A quote closed by a later row's inch mark leaves no text after it: the rows in between are
    /// still found, by their shape (QA: five leads went into one company, "No problems found").
    #[test]
    fn rows_read_into_a_value_by_a_quote_closed_at_a_value_end_are_flagged() {
        let text = "First Name,Last Name,Email,Company,Job Title\nAl,One,a1@x.com,A,T\n\
                    Dana,Reyes,dana@reyes.com,\"Reyes Consulting,Partner\nF4,L4,p4@q.com,Co 4,Title 4\n\
                    F5,L5,p5@q.com,Co 5,Title 5\nSam,Lee,sam@lee.com,Lee Monitors 27\",Buyer\nZo,Ten,z@x.com,Z,T\n";
        for text in [text.to_string(), text.replace('\n', "\r\n")] {
            let got = swallowed(&text);
            assert_eq!(got.len(), 3, "{text:?}");
            assert_eq!((&got[0], &got[2]), (&None, &None));
            let (column, reason) = got[1].clone().expect("Dana's row swallowed three rows");
            assert_eq!(column, 3);
            assert!(reason.contains("column 'Company'") && reason.contains("spans 4 lines"), "{reason}");
        }
        // Without an email column, the rows' shape alone (five columns or more, a row between).
        let got = swallowed("Name,Company,Title,City,Phone\nAnn,\"A Co,CEO,X,1\nBo,B,CFO,Y,2\nCy,C 27\",CTO,Z,3\n");
        assert!(got[0].as_ref().is_some_and(|(c, _)| *c == 1), "{got:?}");
        // Only the next row read in (re-QA: Sam went into Dana's company), and an email column
        // after a "Mailing Street" one (Salesforce).
        let got = swallowed("First,Last,Email,Company,Title\nDana,Reyes,d@r.com,\"Reyes Co,Partner\nSam,Lee,sam@lee.com,Lee 27\",Buyer\n");
        assert!(got[0].as_ref().is_some_and(|(c, _)| *c == 3), "{got:?}");
        let got = swallowed(
            "First,Last,Company,Mailing Street,Email,Title\nDana,Reyes,\"Reyes Co,1 Main,d@r.com,Partner\n\
             Al,Bo,A Co,2 Main,,CEO\nSam,Lee,Lee 27\",3 Main,sam@lee.com,Buyer\n",
        );
        assert!(got[0].as_ref().is_some_and(|(c, _)| *c == 2), "{got:?}");
    }

    #[test]
    fn notes_over_several_lines_are_not_flagged() {
        // A full-width row whose note is prose with commas.
        let notes = "Email,Name,Notes\na@x.com,Ann,\"Met at the expo, liked the demo.\nAsked about pricing, then left.\n\
                     Follow up in May, maybe June.\"\nb@x.com,Bob,\"Called, no answer, voicemail.\nEmailed, no reply.\"\n";
        assert_eq!(swallowed(notes), [None, None]);
        assert_eq!(swallowed(&notes.replace('\n', "\r\n")), [None, None]);
        // A short row whose note has no delimiters.
        let short = "Email,Name,Company,Notes\na@x.com,\"Line one\nline two\nline three\"\nb@x.com,Bob,B,n\n";
        assert_eq!(swallowed(short), [None, None]);
        // An address over lines in a middle column, and a list of names in the last one.
        let address = "Email,Name,Address,Company,Notes\na@x.com,Ann,\"1 Main St, Suite 2\nSpringfield, IL\",A,n\n\
                       b@x.com,Bob,x,B,\"Team: Ann, Bob, Cy\nNext: Dee, Eve, Fay, Gus\"\n";
        assert_eq!(swallowed(address), [None, None]);
        // Lines that add up to the header's width by chance (review): two lines, or a middle line
        // with no address in the email column.
        let chance = "Email,Name,Address,Company\na@x.com,Ann,\"1 Main St, Suite 2\nSpringfield, IL, 62701\",Acme\n\
                      b@x.com,Bob,\"1 Main St, Suite 2\nBuilding A, Floor 3, Room 4\nSpringfield, IL, 62701\",B\n\
                      c@x.com,Cy,x,\"Met at expo\nInterests: CRM, API, SSO\"\n";
        assert_eq!(swallowed(chance), [None, None, None]);
        // Narrow files, whose text over lines adds up to whole rows easily (re-QA).
        let narrow = "Name,Address,Company\nAnn,\"123 Main St, Suite 400\nBuilding C, Floor 2, Room 12\nSpringfield, IL 62701\",A\n\
                      Bo,x,B\n";
        assert_eq!(swallowed(narrow), [None, None]);
        let contacts = "Name,Email,Notes\nAnn,a@x.com,\"Other contacts:\nJohn Smith, john@acme.com, CFO\nMary Jones, mary@acme.com, CTO\"\n";
        assert_eq!(swallowed(contacts), [None]);
    }

    fn bytewise(input: &[u8], delimiter: u8) -> QuoteScan {
        let mut s = QuoteScan::new(delimiter);
        input.iter().for_each(|b| s.step(*b));
        s
    }

    #[test]
    fn the_quote_scan_follows_csv_quoting() {
        let ends_quoted = |input: &str| {
            let mut s = QuoteScan::new(b',');
            s.feed(input.as_bytes());
            s.state == Field::Quoted
        };
        assert!(ends_quoted("a,\"b"));
        assert!(ends_quoted("a,\"b\"\"c\n"));
        assert!(ends_quoted("\"a\",\"b\"\"\n\"\"\n"));
        assert!(!ends_quoted("a,\"b\""));
        assert!(!ends_quoted("a,\"b\"\"c\"\n"));
        assert!(!ends_quoted("a,b\"c\n"), "a quote inside an unquoted value is text");
        assert!(!ends_quoted("a,\"b\"c,\"d\"\n"), "text after a closing quote is unquoted");
        assert!(ends_quoted("a\r\"b"), "a lone CR ends a record");
        let strays = |input: &str| {
            let mut s = QuoteScan::new(b',');
            s.feed(input.as_bytes());
            s.strays.into_iter().collect::<Vec<_>>()
        };
        assert_eq!(strays("a,\"b\"c,\"d\"\"e\",\"f\"\n\"g\"\r\n5\" x,\"h\"i\""), [5, 31]);
    }

    /// The block shortcut must land where byte-by-byte stepping does, wherever reads split the input.
    #[test]
    fn blocks_and_single_bytes_agree() {
        let alphabet = b",;\n\r\nab  ";
        let mut seed = 0x2545_f491_4f6c_dd1du64;
        let mut next = move || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        for round in 0..2_000 {
            let len = (next() % 400) as usize;
            // Blocks without a quote take the shortcut, so most are plain text, like a real file.
            let quote_rate = if round % 2 == 0 { 64 } else { 8 };
            let input: Vec<u8> = (0..len)
                .map(|_| {
                    let r = next();
                    if r % quote_rate == 0 {
                        b'"'
                    } else {
                        alphabet[(r >> 8) as usize % alphabet.len()]
                    }
                })
                .collect();
            let want = bytewise(&input, b',');
            let mut got = QuoteScan::new(b',');
            let mut rest = input.as_slice();
            while !rest.is_empty() {
                let n = 1 + (next() % 100) as usize;
                let (now, later) = rest.split_at(n.min(rest.len()));
                got.feed(now);
                rest = later;
            }
            assert_eq!(
                (got.state, got.line, got.record_line, got.pos, &got.strays),
                (want.state, want.line, want.record_line, want.pos, &want.strays),
                "{:?}",
                String::from_utf8_lossy(&input)
            );
        }
    }
}
