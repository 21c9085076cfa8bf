//! How a file is read when nothing is said about it (the header behind trailing empty cells, the
//! encoding of the whole file, not its first 256 KB), and when the user names its encoding.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::{Path, PathBuf};

use outpost_core::Store;
use outpost_import::reader::{CsvFile, ReadOptions};
use outpost_import::sniff::{encoding_name, SAMPLE};
use outpost_import::{import, Error, ImportOptions};

fn write(dir: &tempfile::TempDir, name: &str, bytes: &[u8]) -> PathBuf {
    let p = dir.path().join(name);
    std::fs::write(&p, bytes).unwrap();
    p
}

fn headers(path: &Path) -> Vec<String> {
    CsvFile::open(path, &ReadOptions::default()).unwrap().headers
}

#[test]
fn trailing_empty_cells_on_data_rows_keep_the_real_header() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(&dir, "trailing.csv", b"Email,Name\na@x.com,Ann,\nb@x.com,Bob,\n");
    assert_eq!(headers(&path), ["Email", "Name"]);
    let mut store = Store::open(dir.path().join("o.db")).unwrap();
    let r = import(&mut store, &path, &ImportOptions::default(), &mut |_| true).unwrap();
    assert_eq!((r.rows, r.created), (2, 2), "{r:#?}");
    assert_eq!(store.search_leads("b@x.com", 1).unwrap().len(), 1);

    // Some rows with more empty cells than others, some with none; CRLF and a BOM as Excel writes.
    let path = write(
        &dir,
        "excel.csv",
        b"\xef\xbb\xbfEmail,Name,Company\r\na@x.com,Ann,A,,\r\nb@x.com,Bob,,,\r\nc@x.com,Cy,C\r\nd@x.com,Di,D,,\r\n",
    );
    assert_eq!(headers(&path), ["Email", "Name", "Company"]);
    // Rows that leave off their trailing empty cells: the header is wider than most of them.
    let path = write(&dir, "short.csv", b"Email,Name,Phone,Notes\na@x.com,Ann\nb@x.com,Bob\nc@x.com,Cy,555\n");
    assert_eq!(headers(&path), ["Email", "Name", "Phone", "Notes"]);
}

#[test]
fn preambles_still_come_off_with_trailing_empty_cells_below() {
    let dir = tempfile::tempdir().unwrap();
    let linkedin =
        "Notes:\n\"When exporting, some emails\nare missing.\"\n\nFirst Name,Last Name,URL\nA,B,u,\nC,D,v,\n";
    let path = write(&dir, "Connections.csv", linkedin.as_bytes());
    assert_eq!(headers(&path), ["First Name", "Last Name", "URL"]);
    let path = write(&dir, "sep.csv", b"sep=;\nEmail;Name\na@x.com;Ann;\nb@x.com;Bob;\n");
    let csv = CsvFile::open(&path, &ReadOptions::default()).unwrap();
    assert_eq!((csv.dialect.delimiter, csv.headers.clone()), (b';', vec!["Email".to_string(), "Name".to_string()]));
    // A report title with a comma is narrower than the data under it: still a preamble.
    let path = write(&dir, "report.csv", b"Leads report, Q3\nEmail,Name,Company\na@x.com,Ann,A\nb@x.com,Bob,B\n");
    assert_eq!(headers(&path), ["Email", "Name", "Company"]);
}

fn utf16(text: &str, little: bool) -> Vec<u8> {
    text.encode_utf16().flat_map(|u| if little { u.to_le_bytes() } else { u.to_be_bytes() }).collect()
}

#[test]
fn a_utf16_file_without_a_bom_is_read_with_or_without_naming_its_encoding() {
    let dir = tempfile::tempdir().unwrap();
    let text = "First Name,Email\r\nZoë,zoe@example.com\r\n日本,jp@example.com\r\n";
    for (little, encoding) in [(true, encoding_rs::UTF_16LE), (false, encoding_rs::UTF_16BE)] {
        let path = write(&dir, "nobom.csv", &utf16(text, little));
        let csv = CsvFile::open(&path, &ReadOptions::default()).unwrap();
        assert_eq!((csv.dialect.encoding, csv.headers.clone()), (encoding, vec!["First Name".into(), "Email".into()]));
        let read = ReadOptions { encoding: Some(encoding), ..ReadOptions::default() };
        let csv = CsvFile::open(&path, &read).unwrap();
        assert_eq!(csv.headers, ["First Name", "Email"]);
        let rows: Vec<Vec<String>> = csv.map(|r| r.unwrap().cells.iter().map(str::to_string).collect()).collect();
        assert_eq!(rows, [["Zoë", "zoe@example.com"], ["日本", "jp@example.com"]]);
        // Another encoding named: the NULs would become text, so the file is refused saying why.
        let wrong = ReadOptions { encoding: Some(encoding_rs::WINDOWS_1252), ..ReadOptions::default() };
        let e = CsvFile::open(&path, &wrong).err().unwrap().to_string();
        let named = if little { "--encoding utf-16le" } else { "--encoding utf-16be" };
        assert!(e.contains("UTF-16 text without a byte-order mark") && e.contains(named), "{e}");

        let mut store = Store::open(dir.path().join(format!("{little}.db"))).unwrap();
        let opts = ImportOptions { read, ..ImportOptions::default() };
        let r = import(&mut store, &path, &opts, &mut |_| true).unwrap();
        assert_eq!((r.created, r.encoding.as_str()), (2, encoding_name(encoding)));
    }
    // Naming an encoding does not let a binary file through.
    let path = write(&dir, "zip.csv", b"PK\x03\x04\0\0\0\0");
    let read = ReadOptions { encoding: Some(encoding_rs::UTF_16LE), ..ReadOptions::default() };
    assert!(matches!(CsvFile::open(&path, &read), Err(Error::NotText { .. })));
}

#[test]
fn a_utf8_file_with_a_stray_byte_stays_utf8_and_only_that_value_is_noted() {
    let dir = tempfile::tempdir().unwrap();
    let mut body = b"First Name,Last Name,Email,Company\n".to_vec();
    for i in 0..40 {
        body.extend_from_slice(
            format!("J\u{fc}rgen,M\u{fc}ller,p{i}@example.com,\u{65e5}\u{672c}\u{8a9e} {i}\n").as_bytes(),
        );
    }
    body.extend_from_slice(b"Bad,Byte\xff,bad@example.com,X\n");
    let path = write(&dir, "mostly_utf8.csv", &body);
    let csv = CsvFile::open(&path, &ReadOptions::default()).unwrap();
    assert_eq!(encoding_name(csv.dialect.encoding), "UTF-8");
    let mut store = Store::open(dir.path().join("o.db")).unwrap();
    let r = import(&mut store, &path, &ImportOptions::default(), &mut |_| true).unwrap();
    // The row with the stray byte comes in as read, its value noted.
    assert_eq!((r.created, r.failed), (41, 0), "{r:#?}");
    assert!(r.problems.iter().any(|p| p.row == 41 && p.kept && p.reason.contains("not valid in the file's encoding")));
    let lead = store.search_leads("p7@example.com", 1).unwrap().remove(0);
    assert_eq!((lead.last_name.as_deref(), lead.company.as_deref()), (Some("M\u{fc}ller"), Some("日本語 7")));
}

#[test]
fn a_legacy_byte_only_in_the_last_row_of_a_big_file_decides_the_encoding() {
    let dir = tempfile::tempdir().unwrap();
    let mut body = b"First Name,Last Name,Email\n".to_vec();
    for i in 0..20_000 {
        body.extend_from_slice(format!("Ann,Lee,p{i}@example.com\n").as_bytes());
    }
    body.extend_from_slice(b"Jos\xe9,Garc\xeda,jose@example.com\n");
    assert!(body.len() > SAMPLE);
    let path = write(&dir, "late.csv", &body);
    let csv = CsvFile::open(&path, &ReadOptions::default()).unwrap();
    assert_eq!(encoding_name(csv.dialect.encoding), "windows-1252");
    let mut store = Store::open(dir.path().join("o.db")).unwrap();
    let r = import(&mut store, &path, &ImportOptions::default(), &mut |_| true).unwrap();
    assert_eq!((r.created, r.failed), (20_001, 0), "{:#?}", r.problems);
    let jose = store.search_leads("jose@example.com", 1).unwrap().remove(0);
    assert_eq!((jose.first_name.as_deref(), jose.last_name.as_deref()), (Some("José"), Some("García")));
}

#[test]
fn mostly_invalid_utf8_is_a_legacy_encoding_and_a_cut_tail_is_still_utf8() {
    let dir = tempfile::tempdir().unwrap();
    // A Windows-1252 file with one accidental valid UTF-8 pair ("Ã©") among its accented letters.
    let body = b"Name;Company\nJos\xe9 M\xfcller;Fran\xe7ais\nRen\xe9e;Caf\xe9\nAnn;\xc3\xa9 SA\nZo\xeb;Gar\xe7on\n";
    let path = write(&dir, "legacy.csv", body);
    let csv = CsvFile::open(&path, &ReadOptions::default()).unwrap();
    assert_eq!(encoding_name(csv.dialect.encoding), "windows-1252");
    // A UTF-8 file longer than the sample: wherever its tail starts, maybe inside a character, it
    // is still UTF-8.
    for pad in 0..4 {
        let mut body = format!("Name{},City\n", "_".repeat(pad)).into_bytes();
        while body.len() < 3 * SAMPLE {
            body.extend_from_slice("Zoë,Montréal 日本\n".as_bytes());
        }
        let path = write(&dir, "utf8.csv", &body);
        assert_eq!(encoding_name(CsvFile::open(&path, &ReadOptions::default()).unwrap().dialect.encoding), "UTF-8");
    }
}

#[test]
fn a_stray_nul_is_taken_out_of_its_value_with_a_note_not_the_file_refused() {
    let dir = tempfile::tempdir().unwrap();
    let mut body = b"First Name,Email,No\0tes\n".to_vec();
    body.extend_from_slice(b"Ann,ann@example.com,called \0back\n");
    let mut i = 0;
    while body.len() <= SAMPLE {
        body.extend_from_slice(format!("P{i},p{i}@example.com,hello {i}\n").as_bytes());
        i += 1;
    }
    // Past the part of the file read to tell its encoding, and a value of nothing else.
    body.extend_from_slice(b"Bo\0b,bob@example.com,\0\n");
    let path = write(&dir, "nuls.csv", &body);
    let mut store = Store::open(dir.path().join("o.db")).unwrap();
    let r = import(&mut store, &path, &ImportOptions::default(), &mut |_| true).unwrap();
    assert_eq!((r.created, r.failed), (i + 2, 0), "{:#?}", r.problems);
    let nul_notes: Vec<(u64, &str)> =
        r.problems.iter().filter(|p| p.kept && p.reason.contains("NUL")).map(|p| (p.row, p.column.as_str())).collect();
    assert_eq!(nul_notes, [(1, "Notes"), (i + 2, "First Name"), (i + 2, "Notes")]);
    let ann = store.search_leads("ann@example.com", 1).unwrap().remove(0);
    assert_eq!(ann.notes.as_deref(), Some("called back"));
    let bob = store.search_leads("bob@example.com", 1).unwrap().remove(0);
    assert_eq!((bob.first_name.as_deref(), bob.notes.as_deref()), (Some("Bob"), None));
    let nuls: i64 = store
        .conn()
        .query_row(
            "SELECT count(*) FROM leads WHERE instr(coalesce(notes,'') || first_name || custom_fields, char(0)) > 0",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(nuls, 0);
}

#[test]
fn nuls_anywhere_are_still_binary_data() {
    let dir = tempfile::tempdir().unwrap();
    let mut seed = 0x9e37_79b9_7f4a_7c15u64;
    let bytes: Vec<u8> = (0..4096)
        .map(|_| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            if seed.is_multiple_of(3) {
                0
            } else {
                b'a' + (seed >> 8) as u8 % 26
            }
        })
        .collect();
    let e = CsvFile::open(&write(&dir, "blob.csv", &bytes), &ReadOptions::default()).err().unwrap();
    assert!(e.to_string().contains("binary data"), "{e}");
}

/// The file's text encoded in `encoding`, read back with nothing said, and the encoding found.
fn round_trip(text: &str, encoding: &'static encoding_rs::Encoding) -> (String, Vec<Vec<String>>) {
    let dir = tempfile::tempdir().unwrap();
    let (bytes, _, unmappable) = encoding.encode(text);
    assert!(!unmappable, "{text}");
    let csv = CsvFile::open(&write(&dir, "legacy.csv", &bytes), &ReadOptions::default()).unwrap();
    let found = encoding_name(csv.dialect.encoding).to_string();
    (found, csv.map(|r| r.unwrap().cells.iter().map(str::to_string).collect()).collect())
}

#[test]
fn a_few_western_accents_are_windows_1252() {
    let (found, rows) = round_trip("Name,Company\nBob,Naïve €\n", encoding_rs::WINDOWS_1252);
    assert_eq!((found.as_str(), rows[0][1].as_str()), ("windows-1252", "Naïve €"));
    let (found, rows) = round_trip("Email,Company\nann@x.com,Naïve Co\n", encoding_rs::WINDOWS_1252);
    assert_eq!((found.as_str(), rows[0][1].as_str()), ("windows-1252", "Naïve Co"));
}

#[test]
fn central_european_and_cyrillic_text_keeps_its_encoding() {
    let polish = "Imię,Nazwisko,Miasto,Firma\n\
        Łukasz,Wójcik,Łódź,Zakład Usług Księgowych\n\
        Małgorzata,Kowalczyk,Kraków,Przedsiębiorstwo Handlowe Żółw\n\
        Grzegorz,Szymański,Gdańsk,Spółdzielnia Mleczarska Łąka\n\
        Katarzyna,Woźniak,Poznań,Księgarnia Świat Książki\n\
        Józef,Dąbrowski,Wrocław,Zakłady Mięsne Wędliniarz\n\
        Agnieszka,Kozłowska,Białystok,Biuro Rachunkowe Rzetelność\n\
        Paweł,Jabłoński,Częstochowa,Piekarnia Złoty Kłos\n";
    let (found, rows) = round_trip(polish, encoding_rs::WINDOWS_1250);
    assert_eq!((found.as_str(), rows[0][2].as_str()), ("windows-1250", "Łódź"));
    let russian = "Имя,Фамилия,Город,Компания\n\
        Иван,Петров,Москва,ООО Ромашка\n\
        Мария,Смирнова,Санкт-Петербург,АО Северный ветер\n\
        Алексей,Кузнецов,Новосибирск,Торговый дом Сибирь\n\
        Ольга,Попова,Екатеринбург,Уральские заводы\n";
    let (found, rows) = round_trip(russian, encoding_rs::WINDOWS_1251);
    assert_eq!((found.as_str(), rows[1][1].as_str()), ("windows-1251", "Смирнова"));
    // Too short for many bytes, but Cyrillic words are runs of non-ASCII bytes, not Western text.
    let (found, rows) = round_trip("Email,Name\nivan@x.ru,Иван Петров\n", encoding_rs::WINDOWS_1251);
    assert_eq!((found.as_str(), rows[0][1].as_str()), ("windows-1251", "Иван Петров"));
}

/// chardetng is right about short Central European text; only its Baltic and Nordic misreadings of
/// short Western text give way to windows-1252.
#[test]
fn short_central_european_names_keep_windows_1250() {
    let polish = "Name,Email,City\nPaweł Nowak,pn@x.pl,Gdańsk\nJan Wiśniewski,jw@x.pl,Kraków\n";
    let (found, rows) = round_trip(polish, encoding_rs::WINDOWS_1250);
    assert_eq!(found, "windows-1250");
    assert_eq!(rows, [["Paweł Nowak", "pn@x.pl", "Gdańsk"], ["Jan Wiśniewski", "jw@x.pl", "Kraków"]]);
    let czech = "Name,Email,City\nAntonín Dvořák,ad@x.cz,Praha\nLeoš Janáček,lj@x.cz,Brno\n";
    let (found, rows) = round_trip(czech, encoding_rs::WINDOWS_1250);
    assert_eq!(
        (found.as_str(), rows[0][0].as_str(), rows[1][0].as_str()),
        ("windows-1250", "Antonín Dvořák", "Leoš Janáček")
    );
    let hungarian = "Name,Email,City\nPál Erdős,pe@x.hu,Budapest\n";
    let (found, rows) = round_trip(hungarian, encoding_rs::WINDOWS_1250);
    assert_eq!((found.as_str(), rows[0][0].as_str()), ("windows-1250", "Pál Erdős"));
}

#[test]
fn a_small_utf8_file_with_one_stray_word_byte_stays_utf8() {
    let dir = tempfile::tempdir().unwrap();
    let mut body = "Name,Email\nJosé,j@x.com\nRenée,r@x.com\nZoë,z@x.com\n".as_bytes().to_vec();
    // Word's right single quote in windows-1252, pasted into a UTF-8 file.
    body.extend_from_slice(b"O\x92Brien,o@x.com\n");
    let path = write(&dir, "small.csv", &body);
    let csv = CsvFile::open(&path, &ReadOptions::default()).unwrap();
    assert_eq!(encoding_name(csv.dialect.encoding), "UTF-8");
    let firsts: Vec<String> =
        csv.filter_map(|r| r.ok()).map(|r| r.cells.get(0).unwrap_or_default().to_string()).collect();
    assert_eq!(firsts[..3], ["José", "Renée", "Zoë"]);
    // Legacy text whose one valid-looking pair is outnumbered stays legacy.
    let path = write(&dir, "legacy.csv", b"Name,City\nJos\xe9,Z\xfcrich\nAnn,\xc3\xa9 SA\n");
    assert_ne!(encoding_name(CsvFile::open(&path, &ReadOptions::default()).unwrap().dialect.encoding), "UTF-8");
}
