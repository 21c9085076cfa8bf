//! Working out how a file is written — encoding, delimiter, where the header is — from its first
//! bytes. Every guess can be overridden.

use encoding_rs::{Encoding, UTF_16BE, UTF_16LE, UTF_8};

/// How much of the file the guesses look at.
pub const SAMPLE: usize = 256 * 1024;
const DELIMITERS: [u8; 4] = [b',', b';', b'\t', b'|'];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Dialect {
    pub encoding: &'static Encoding,
    pub delimiter: u8,
    /// Records before the header: an Excel `sep=` line, LinkedIn's "Notes:" preamble.
    pub skip_records: usize,
}

/// What the first bytes say the file is not.
pub fn not_text(sample: &[u8]) -> Option<&'static str> {
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
    let is_utf16 = starts(&[0xff, 0xfe]) || starts(&[0xfe, 0xff]);
    if !is_utf16 && sample.iter().take(8192).any(|b| *b == 0) {
        return Some("binary data");
    }
    None
}

/// BOM first, then valid UTF-8, then chardetng's best guess for legacy encodings.
pub fn encoding(sample: &[u8]) -> &'static Encoding {
    if let Some((enc, _)) = Encoding::for_bom(sample) {
        return enc;
    }
    let valid_utf8 = match std::str::from_utf8(sample) {
        Ok(_) => true,
        // A sample cut mid-character is still UTF-8.
        Err(e) => e.error_len().is_none(),
    };
    if valid_utf8 {
        return UTF_8;
    }
    let mut d = chardetng::EncodingDetector::new();
    d.feed(sample, false);
    d.guess(None, true)
}

/// The delimiter and the header's position, from the decoded sample.
pub fn dialect(sample: &[u8], encoding: &'static Encoding) -> Dialect {
    let (text, _, _) = encoding.decode(sample);
    let text = text.as_ref();
    let first = text.lines().next().unwrap_or_default().trim();
    if let Some(sep) = first.strip_prefix("sep=").and_then(|s| s.bytes().next()) {
        return Dialect { encoding, delimiter: sep, skip_records: 1 };
    }
    let mut best = (0usize, 0usize, b',', 0usize); // (consistent records, fields, delimiter, header index)
    for d in DELIMITERS {
        let counts: Vec<usize> = csv::ReaderBuilder::new()
            .delimiter(d)
            .has_headers(false)
            .flexible(true)
            .from_reader(text.as_bytes())
            .records()
            .take(200)
            .map_while(|r| r.ok())
            .map(|r| r.len())
            .collect();
        // The header is the first record with the field count most records share (preambles and
        // a cut-off last line do not).
        let mut freq = std::collections::HashMap::new();
        for c in counts.iter().filter(|c| **c >= 2) {
            *freq.entry(*c).or_insert(0usize) += 1;
        }
        let Some((&fields, &n)) = freq.iter().max_by_key(|(c, n)| (**n, **c)) else { continue };
        let header = counts.iter().position(|c| *c == fields).unwrap_or(0);
        if (n, fields) > (best.0, best.1) {
            best = (n, fields, d, header);
        }
    }
    Dialect { encoding, delimiter: best.2, skip_records: best.3 }
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
        assert_eq!(not_text(&[0x1f, 0x8b, 8, 0]), Some("gzip-compressed"));
        assert_eq!(not_text(b"a,b\n1,2\n"), None);
    }
}
