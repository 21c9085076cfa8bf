//! A streaming CSV reader over any file: constant memory, any encoding (transcoded to UTF-8 as it
//! streams), the sniffed or given dialect. Cells stay text.

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
}

/// One data record: its 1-based row number among data rows, and its cells.
pub struct Record {
    pub row: u64,
    pub cells: csv::StringRecord,
}

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
        let file = path.display().to_string();
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
        let headers: Vec<String> = match &header {
            Some(h) => h.iter().map(|h| h.trim().trim_start_matches('\u{feff}').to_string()).collect(),
            None => Vec::new(),
        };
        let mut f = CsvFile { file, dialect, headers, size, bytes_read, records, row: 0, ahead: None };
        f.ahead = f.read_next();
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
}

impl CsvFile {
    fn read_next(&mut self) -> Option<Result<Record>> {
        let r = self.records.next()?;
        self.row += 1;
        Some(match r {
            Ok(cells) => Ok(Record { row: self.row, cells }),
            Err(e) => Err(Error::Malformed { file: self.file.clone(), row: self.row, reason: e.to_string() }),
        })
    }
}

impl Iterator for CsvFile {
    type Item = Result<Record>;

    fn next(&mut self) -> Option<Self::Item> {
        let current = self.ahead.take()?;
        self.ahead = self.read_next();
        if let (Ok(r), None) = (&current, &self.ahead) {
            if let Some(e) = self.unclosed(r) {
                return Some(Err(e));
            }
        }
        Some(current)
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
}

/// Bytes looked at together: most hold no quote, and then only their last byte matters.
const BLOCK: usize = 32;

impl QuoteScan {
    fn new(delimiter: u8) -> QuoteScan {
        QuoteScan { delimiter, state: Field::Start, line: 1, record_line: 1 }
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
            _ => Field::Unquoted,
        };
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
            if quotes > 0 {
                block.iter().for_each(|b| self.step(*b));
                continue;
            }
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
mod tests {
    use super::*;

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
                (got.state, got.line, got.record_line),
                (want.state, want.line, want.record_line),
                "{:?}",
                String::from_utf8_lossy(&input)
            );
        }
    }
}
