//! The file as a table: UTF-8 (a byte-order mark allowed), comma or
//! semicolon separated (Italian Excel writes `;`), parsed by the `csv` crate.

use super::RowError;

/// The most data rows one import takes: a town's association has hundreds
/// of people; more is a mistaken file, and one transaction stays short.
pub const MAX_ROWS: usize = 5000;

/// A header and its data lines, blank lines left out.
#[derive(Debug, Clone, PartialEq)]
pub struct Sheet {
    /// The file's line of the header (1 unless blank lines precede it).
    pub header_row: usize,
    pub headers: Vec<String>,
    pub lines: Vec<Line>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Line {
    /// The line of the file where the record starts.
    pub row: usize,
    /// One cell per header (missing trailing cells are empty), trimmed.
    pub cells: Vec<String>,
}

/// `;` when the first line holds more semicolons than commas.
fn separator(text: &str) -> u8 {
    let first = text.lines().next().unwrap_or("");
    let count = |c| first.chars().filter(|&x| x == c).count();
    if count(';') > count(',') {
        b';'
    } else {
        b','
    }
}

/// The line of the first byte at or after `offset` that is no line break:
/// csv reports where the previous record's reading stopped, which may be
/// before its terminator and blank lines.
fn line_of(bytes: &[u8], offset: usize) -> usize {
    let mut offset = offset.min(bytes.len());
    while bytes
        .get(offset)
        .is_some_and(|b| matches!(b, b'\r' | b'\n'))
    {
        offset += 1;
    }
    1 + bytes[..offset].iter().filter(|&&b| b == b'\n').count()
}

/// A cell as typed: `crate::csv` writes an apostrophe before a cell that a
/// spreadsheet would take for a formula; reading our own export drops it.
fn plain(cell: &str) -> &str {
    match cell.strip_prefix('\'') {
        Some(rest) if rest.starts_with(['=', '+', '-', '@']) => rest,
        _ => cell,
    }
}

/// Reads the table; every fault that stops the reading is an error.
pub fn read(bytes: &[u8]) -> Result<Sheet, Vec<RowError>> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let text = std::str::from_utf8(bytes).map_err(|e| {
        vec![RowError::new(
            line_of(bytes, e.valid_up_to()),
            "",
            "the file is not UTF-8: save it as \"CSV UTF-8\"",
        )]
    })?;
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(separator(text))
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut header: Option<(usize, Vec<String>)> = None;
    let mut lines = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|e| {
            let row = e
                .position()
                .map_or(0, |p| line_of(bytes, p.byte() as usize));
            vec![RowError::new(
                row,
                "",
                format!("the file cannot be read: {e}"),
            )]
        })?;
        // By the byte offset: csv's own line count lags behind blank lines.
        let row = record
            .position()
            .map_or(0, |p| line_of(bytes, p.byte() as usize));
        let cells: Vec<String> = record.iter().map(|c| plain(c.trim()).to_string()).collect();
        if cells.iter().all(String::is_empty) {
            continue;
        }
        match &header {
            None => header = Some((row, cells)),
            Some((_, headers)) => {
                if lines.len() == MAX_ROWS {
                    return Err(vec![RowError::new(
                        row,
                        "",
                        format!("more than {MAX_ROWS} rows: split the file"),
                    )]);
                }
                let extra = cells.iter().skip(headers.len()).any(|c| !c.is_empty());
                if extra {
                    return Err(vec![RowError::new(
                        row,
                        "",
                        format!(
                            "{} cells, but the header has {} columns",
                            cells.len(),
                            headers.len()
                        ),
                    )]);
                }
                let mut cells = cells;
                cells.resize(headers.len(), String::new());
                lines.push(Line { row, cells });
            }
        }
    }
    let Some((header_row, headers)) = header else {
        return Err(vec![RowError::new(1, "", "the file is empty")]);
    };
    Ok(Sheet {
        header_row,
        headers,
        lines,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn semicolons_bom_quotes_and_line_numbers() {
        let file = "\u{feff}Nome;Indirizzo\r\nAnna;\"Via Roma; 3\"\r\n\r\n\"Bruno\nRossi\";Via Po\r\nCarla;x\r\n";
        let s = read(file.as_bytes()).unwrap();
        assert_eq!(s.headers, ["Nome", "Indirizzo"]);
        assert_eq!(s.lines[0].cells, ["Anna", "Via Roma; 3"]);
        let rows: Vec<usize> = s.lines.iter().map(|l| l.row).collect();
        assert_eq!(rows, [2, 4, 6], "{s:?}");
    }

    #[test]
    fn commas_short_rows_and_faults() {
        assert_eq!(plain("'=1+2"), "=1+2");
        assert_eq!(plain("'tis"), "'tis");
        let s = read(b"name,phone\nAnna\n").unwrap();
        assert_eq!(s.lines[0].cells, ["Anna", ""]);
        assert_eq!(read(b"name\nAnna,x\n").unwrap_err()[0].row, 2);
        assert_eq!(read(b"").unwrap_err()[0].message, "the file is empty");
        let latin1 = b"name\nAnna\nNicol\xf2\n";
        assert_eq!(read(latin1).unwrap_err()[0].row, 3);
        let many = format!("name\n{}", "a\n".repeat(MAX_ROWS + 1));
        assert!(read(many.as_bytes()).unwrap_err()[0]
            .message
            .contains("5000"));
    }
}
