//! A streaming CSV reader over any file: constant memory, any encoding (transcoded to UTF-8 as it
//! streams), the sniffed or given dialect. Cells stay text.

use std::fs::File;
use std::io::{BufReader, Read};
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
    records: csv::StringRecordsIntoIter<Box<dyn Read + Send>>,
    pub(crate) row: u64,
    /// One record read ahead, to recognise a quote left open: it swallows the rest of the file
    /// into the last record.
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
        if let Some(what) = sniff::not_text(&sample) {
            return Err(Error::NotText { file, what: what.into() });
        }
        let encoding = opts.encoding.unwrap_or_else(|| sniff::encoding(&sample));
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
        let mut records = csv::ReaderBuilder::new()
            .delimiter(dialect.delimiter)
            .has_headers(false)
            .flexible(true)
            .buffer_capacity(1 << 16)
            .from_reader(decoded)
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
        let Some(header) = header else {
            return Err(Error::Empty { file });
        };
        let headers: Vec<String> = header.iter().map(|h| h.trim().trim_start_matches('\u{feff}').to_string()).collect();
        let mut f = CsvFile { file, dialect, headers, size, bytes_read, records, row: 0, ahead: None };
        f.ahead = f.read_next();
        Ok(f)
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
            let swallowed = r.cells.len() < self.headers.len() && r.cells.iter().any(|c| c.contains('\n'));
            if swallowed {
                return Some(Err(Error::Malformed {
                    file: self.file.clone(),
                    row: r.row,
                    reason: "a quote opened in this row is never closed; the rest of the file would become one value"
                        .into(),
                }));
            }
        }
        Some(current)
    }
}
