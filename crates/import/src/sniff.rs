//! Working out how a file is written — encoding, delimiter, where the header is — from its first
//! bytes. Every guess can be overridden.

use encoding_rs::{
    Encoding, ISO_8859_10, ISO_8859_13, ISO_8859_4, UTF_16BE, UTF_16LE, UTF_8, WINDOWS_1252, WINDOWS_1257,
};

/// How much of the file the guesses look at.
pub const SAMPLE: usize = 256 * 1024;
const DELIMITERS: [u8; 4] = [b',', b';', b'\t', b'|'];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Dialect {
    pub encoding: &'static Encoding,
    pub delimiter: u8,
    /// Records before the header: an Excel `sep=` line, LinkedIn's "Notes:" preamble.
    pub skip_records: usize,
    /// Whether the first of them is an Excel `sep=` line (a setting, not a line of the file's text).
    pub sep_line: bool,
}

impl Dialect {
    /// The records above the column names that are the file's text: a title, notes (the rep is
    /// told they were skipped).
    pub fn lines_above_header(&self) -> u64 {
        self.skip_records.saturating_sub(usize::from(self.sep_line)) as u64
    }
}

/// What the first bytes say the file is not. `declared` is the encoding the user named, if any.
pub fn not_text(sample: &[u8], declared: Option<&'static Encoding>) -> Option<&'static str> {
    let starts = |magic: &[u8]| sample.starts_with(magic);
    if starts(&[0x1f, 0x8b]) {
        return Some("gzip-compressed");
    }
    if starts(b"PK\x03\x04") {
        return Some("a zip archive, perhaps an .xlsx workbook");
    }
    if starts(b"%PDF") {
        return Some("a PDF");
    }
    if starts(&[0xd0, 0xcf, 0x11, 0xe0]) {
        return Some("an old Excel .xls workbook");
    }
    // Its byte-order marks begin like UTF-16's: read as UTF-16 it came in as NULs and garble.
    if starts(&[0xff, 0xfe, 0, 0]) || starts(&[0, 0, 0xfe, 0xff]) {
        return Some("UTF-32 text, which Outpost does not read: save it as UTF-8 (or UTF-16) and import it again");
    }
    // UTF-16 text is half NUL bytes: with a BOM, a named UTF-16 encoding or NULs laid out as UTF-16's
    // they are its text, not a sign of a binary file.
    let is_utf16 = starts(&[0xff, 0xfe]) || starts(&[0xfe, 0xff]) || declared.is_some_and(is_utf16);
    if !is_utf16 && !stray_nuls_at_most(&sample[..sample.len().min(UTF16_PROBE)]) {
        return Some(match utf16_without_bom(sample) {
            Utf16::No => "binary data",
            // Read as UTF-16 (see `encoding_of`).
            Utf16::Yes(_) if declared.is_none() => return None,
            // Another encoding was named, and it would turn the NULs into text.
            Utf16::Yes(e) if e == UTF_16BE => {
                "it seems to be UTF-16 text without a byte-order mark: import it with --encoding utf-16be"
            }
            Utf16::Yes(_) => "it seems to be UTF-16 text without a byte-order mark: import it with --encoding utf-16le",
            Utf16::Perhaps(_) => {
                "it seems to be UTF-16 text without a byte-order mark: import it with --encoding utf-16le \
                 (or utf-16be)"
            }
        });
    }
    None
}

/// Whether `probe` has no NULs, or a few among its text (one in a notes field of a CRM's export):
/// those are taken out of the values they sit in, with a note (see `lead_values`). Random bytes
/// have one in 256; UTF-16 text, every other one.
fn stray_nuls_at_most(probe: &[u8]) -> bool {
    let nuls = probe.iter().filter(|b| **b == 0).count();
    nuls * 512 <= probe.len().max(4096)
}

/// How much of the file the NUL checks look at.
const UTF16_PROBE: usize = 8192;

#[derive(Debug, PartialEq, Eq)]
enum Utf16 {
    No,
    /// Sure enough to read the file so.
    Yes(&'static Encoding),
    /// NULs where UTF-16 has them, but too much besides ASCII to be sure of it.
    Perhaps(&'static Encoding),
}

/// UTF-16 without a BOM (Excel's "Unicode text", some Outlook and Access exports), from where its
/// NULs fall: ASCII, which a CSV's delimiters, digits and emails are, is the character then a NUL in
/// UTF-16LE and the other way round in UTF-16BE. A binary file has its NULs at either position.
fn utf16_without_bom(sample: &[u8]) -> Utf16 {
    let probe = sample.get(..sample.len().min(UTF16_PROBE)).unwrap_or_default();
    let text = |b: u8| b.is_ascii_graphic() || matches!(b, b' ' | b'\t' | b'\n' | b'\r');
    let (mut units, mut nul) = (0usize, [0usize; 2]);
    let (mut le, mut be) = (0usize, 0usize);
    for pair in probe.chunks_exact(2) {
        let (a, b) = (pair[0], pair[1]);
        units += 1;
        nul[0] += usize::from(a == 0);
        nul[1] += usize::from(b == 0);
        le += usize::from(b == 0 && text(a));
        be += usize::from(a == 0 && text(b));
    }
    // Characters U+0100, U+4E00 … put a NUL in the other position too, but rarely.
    for (ascii, own, other, encoding) in [(le, nul[1], nul[0], UTF_16LE), (be, nul[0], nul[1], UTF_16BE)] {
        if units < 2 || other * 16 > own {
            continue;
        }
        if ascii * 4 >= units * 3 {
            return Utf16::Yes(encoding);
        }
        if own * 4 >= units {
            return Utf16::Perhaps(encoding);
        }
    }
    Utf16::No
}

fn is_utf16(e: &'static Encoding) -> bool {
    e == UTF_16LE || e == UTF_16BE
}

/// [`encoding_of`] a file known from its first bytes only.
pub fn encoding(sample: &[u8]) -> &'static Encoding {
    encoding_of(sample, &[])
}

/// BOM first, then UTF-8 if the non-ASCII text is (nearly all) valid UTF-8, then chardetng's best
/// guess for legacy encodings. `head` is the start of the file; `tail` its end (empty if `head` is
/// the whole file), so that a non-ASCII byte first appearing late in the file counts too.
pub fn encoding_of(head: &[u8], tail: &[u8]) -> &'static Encoding {
    if let Some((enc, _)) = Encoding::for_bom(head) {
        return enc;
    }
    if let Utf16::Yes(enc) = utf16_without_bom(head) {
        return enc;
    }
    // The tail starts wherever the file was cut, maybe inside a character.
    let skip = tail.iter().take(3).take_while(|b| (**b & 0xc0) == 0x80).count();
    let tail = tail.get(skip..).unwrap_or_default();
    let (mut valid, mut invalid) = utf8_sequences(head);
    let (v, i) = utf8_sequences(tail);
    (valid, invalid) = (valid + v, invalid + i);
    // Legacy single-byte text almost never forms a valid multi-byte sequence (a lead byte followed
    // by exactly the right number of 0x80-0xBF bytes), so when as many sequences are valid as not
    // the file is UTF-8 with a few stray bytes (a Word apostrophe, 0x92, pasted into one row), and
    // those rows are reported one by one rather than the whole file turned to mojibake. A stricter
    // ratio failed small files: three accented names and one stray byte read as legacy.
    if invalid == 0 || (valid > 0 && valid >= invalid) {
        return UTF_8;
    }
    let mut d = chardetng::EncodingDetector::new();
    d.feed(head, tail.is_empty());
    if !tail.is_empty() {
        d.feed(tail, true);
    }
    // The count above has ruled UTF-8 out.
    let guess = d.guess(None, false);
    // chardetng weighs letter pairs, and a handful of accented letters is too little for that: it
    // read "Naïve €" as windows-1257 and "Naïve Co" as ISO-8859-4. Its misfires on short Western
    // text land on the Baltic and Nordic encodings, which share windows-1252's Western letters at
    // other bytes; Western exports (Excel on Windows) are far more common, so they win until the
    // text says more. Its Central European (windows-1250, ISO-8859-2), Cyrillic, Greek and Turkish
    // answers stand: short Polish, Czech or Hungarian names ("Paweł", "Dvořák", "Erdős") are all
    // valid windows-1252 too, and overriding them turned "Gdańsk" into "Gdañsk".
    if is_baltic_or_nordic(guess) && plausibly_western(head) && plausibly_western(tail) {
        let non_ascii = head.iter().chain(tail).filter(|b| !b.is_ascii()).count();
        if non_ascii < FEW_NON_ASCII {
            return WINDOWS_1252;
        }
    }
    guess
}

/// Below this many non-ASCII bytes chardetng's guess is not trusted over windows-1252.
const FEW_NON_ASCII: usize = 64;

fn is_baltic_or_nordic(e: &'static Encoding) -> bool {
    [WINDOWS_1257, ISO_8859_4, ISO_8859_13, ISO_8859_10].contains(&e)
}

/// Whether `bytes` can be windows-1252 text: none of the five bytes it leaves undefined, and no run
/// of three non-ASCII bytes. Western words hold an accented letter or two between ASCII ones, while
/// Cyrillic, Greek or CJK words are runs of non-ASCII bytes, so a short Russian list keeps
/// chardetng's answer.
fn plausibly_western(bytes: &[u8]) -> bool {
    let mut run = 0;
    for &b in bytes {
        if matches!(b, 0x81 | 0x8d | 0x8f | 0x90 | 0x9d) {
            return false;
        }
        run = if b.is_ascii() { 0 } else { run + 1 };
        if run >= 3 {
            return false;
        }
    }
    true
}

/// Valid multi-byte UTF-8 sequences and invalid ones in `bytes`; a sequence cut off by the end of
/// `bytes` is neither.
fn utf8_sequences(mut bytes: &[u8]) -> (usize, usize) {
    let (mut valid, mut invalid) = (0, 0);
    loop {
        let (good, bad) = match std::str::from_utf8(bytes) {
            Ok(s) => (s.as_bytes(), None),
            Err(e) => (bytes.get(..e.valid_up_to()).unwrap_or_default(), e.error_len()),
        };
        // Each multi-byte sequence has exactly one lead byte (0b11xxxxxx).
        valid += good.iter().filter(|b| **b >= 0xc0).count();
        let Some(n) = bad else { return (valid, invalid) };
        invalid += 1;
        bytes = bytes.get(good.len() + n..).unwrap_or_default();
    }
}

/// The delimiter and the header's position, from the decoded sample.
pub fn dialect(sample: &[u8], encoding: &'static Encoding) -> Dialect {
    let (text, _, _) = encoding.decode(sample);
    let text = text.as_ref();
    let first = text.lines().next().unwrap_or_default().trim();
    if let Some(sep) = first.strip_prefix("sep=").and_then(|s| s.bytes().next()) {
        return Dialect { encoding, delimiter: sep, skip_records: 1, sep_line: true };
    }
    let mut best = (0usize, 0usize, b',', 0usize); // (consistent records, fields, delimiter, header index)
    for d in DELIMITERS {
        let widths: Vec<Width> = csv::ReaderBuilder::new()
            .delimiter(d)
            .has_headers(false)
            .flexible(true)
            .from_reader(text.as_bytes())
            .records()
            .take(200)
            .map_while(|r| r.ok())
            .map(|r| Width {
                fields: r.len(),
                filled: r.len() - r.iter().rev().take_while(|c| c.is_empty()).count(),
                named: named_fields(&r) >= 2,
            })
            .collect();
        // The header is near the first record with the field count most records share (preambles
        // and a cut-off last line do not).
        let mut freq = std::collections::HashMap::new();
        for w in widths.iter().filter(|w| w.fields >= 2) {
            *freq.entry(w.fields).or_insert(0usize) += 1;
        }
        let Some((&fields, &n)) = freq.iter().max_by_key(|(c, n)| (**n, **c)) else { continue };
        let header = header_index(&widths, fields);
        if (n, fields) > (best.0, best.1) {
            best = (n, fields, d, header);
        }
    }
    Dialect { encoding, delimiter: best.2, skip_records: best.3, sep_line: false }
}

/// A record's field count, how many of its fields are left once trailing empty ones go, and
/// whether two of them or more are column names real exports use.
struct Width {
    fields: usize,
    filled: usize,
    named: bool,
}

/// How many cells are a lead field's name in real exports (not merely holding a word like "mail").
fn named_fields(record: &csv::StringRecord) -> usize {
    let known = |(i, c): (usize, &str)| {
        let m = crate::mapping::guess(i, c);
        m.confidence >= 0.9 && matches!(m.target, crate::mapping::Target::Field(_))
    };
    record.iter().enumerate().filter(|&(i, c)| known((i, c))).count()
}

/// The first record of the usual width is the header unless an earlier record can be: spreadsheets
/// end data rows with empty cells the header does not have (`Email,Name` over `a@x.com,Ann,`), or
/// leave off the ones it has, so the usual width is often the data's. An earlier record is the
/// header if it has two fields or more and nearly every record after it fits in its width once
/// trailing empty cells are set aside. A preamble line ("Notes:", a report title) is narrower than
/// the data under it, so it does not fit.
fn header_index(widths: &[Width], usual: usize) -> usize {
    let first_usual = widths.iter().position(|w| w.fields == usual).unwrap_or(0);
    // A record of column names is the header even when many rows under it run wider (an unquoted
    // comma in "Acme, Inc" in more than one row in twenty): taking the first wide data row for the
    // header would drop the real one and the rows above it.
    if let Some(named) = widths.iter().take(first_usual + 1).position(|w| w.named && w.fields >= 2) {
        return named;
    }
    let fits = |(i, header): (usize, &Width)| {
        let after = widths.iter().skip(i + 1);
        let (n, wider) = after.fold((0, 0), |(n, wider), w| (n + 1, wider + usize::from(w.filled > header.fields)));
        // One stray row in twenty (an unquoted comma in a value) is tolerated.
        header.fields >= 2 && n > 0 && wider * 20 <= n
    };
    widths.iter().enumerate().take(first_usual).position(fits).unwrap_or(first_usual)
}

pub fn encoding_name(e: &'static Encoding) -> &'static str {
    if e == UTF_16LE {
        "UTF-16LE"
    } else if e == UTF_16BE {
        "UTF-16BE"
    } else {
        e.name()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn delimiters_headers_and_encodings() {
        let d = dialect(b"a;b;c\n1;2;3\n4;5;6\n", UTF_8);
        assert_eq!((d.delimiter, d.skip_records), (b';', 0));
        let d = dialect(b"sep=|\na|b\n1|2\n", UTF_8);
        assert_eq!((d.delimiter, d.skip_records), (b'|', 1));
        let linkedin =
            b"Notes:\n\"When exporting, some emails are missing,\nsorry.\"\n\nFirst Name,Last Name,URL\nA,B,u\nC,D,v\n";
        let d = dialect(linkedin, UTF_8);
        assert_eq!((d.delimiter, d.skip_records), (b',', 2));
        assert_eq!(encoding(b"\xef\xbb\xbfa,b"), UTF_8);
        assert_eq!(encoding(b"\xff\xfea\0"), UTF_16LE);
        assert_eq!(encoding("Jos\u{e9} M\u{fc}ller,Fran\u{e7}oise".as_bytes()), UTF_8);
        assert_eq!(encoding(b"Jos\xe9 M\xfcller;Fran\xe7oise;Gar\xe7on\n").name(), "windows-1252");
        assert_eq!(not_text(&[0x1f, 0x8b, 8, 0], None), Some("gzip-compressed"));
        assert_eq!(not_text(b"a,b\n1,2\n", None), None);
        // A stray NUL or two in text; many, as in a binary file.
        assert_eq!(not_text(b"a,b\n1,\0 2\n", None), None);
        let mut text = b"First Name,Email,Notes\n".repeat(400);
        text[1000] = 0;
        text[5000] = 0;
        assert_eq!(not_text(&text, None), None);
        text.iter_mut().step_by(300).for_each(|b| *b = 0);
        assert_eq!(not_text(&text, None), Some("binary data"));
        let utf32 = [&[0xff, 0xfe, 0, 0][..], &b"E\0\0\0"[..]].concat();
        assert!(not_text(&utf32, None).is_some_and(|why| why.starts_with("UTF-32")));
    }
}
