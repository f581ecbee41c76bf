//! Spreadsheets in: a CSV file an association already keeps, read into the
//! records giro writes. Pure: bytes in, parsed rows and row errors out; the
//! service resolves references and the store writes all rows or none.
//!
//! A row error names the line of the file (the header is line 1, as a
//! spreadsheet numbers its rows) and the column as written in the file, so
//! the person who fixes it finds the cell.

mod columns;
pub mod homes;
pub mod people;
pub mod places;
mod sheet;
pub mod standing_orders;
pub mod words;

use serde::Serialize;
use utoipa::ToSchema;

pub use columns::{key, Column, Layout};
pub use sheet::{read, Line, Sheet, MAX_ROWS};

/// One fault of a file: the line (1 = the header) and the column as written.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct RowError {
    pub row: usize,
    /// The header as written in the file; for a column missing from the
    /// file, its Italian and English names.
    pub column: String,
    pub message: String,
}

impl RowError {
    pub fn new(row: usize, column: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            row,
            column: column.into(),
            message: message.into(),
        }
    }
}
