//! Text from outside (JSON, query strings, forms): no control characters but
//! line breaks and tabs. NUL cannot be stored in PostgreSQL's TEXT (and SQLite
//! would keep it), and the others, C1 included, are invisible on every page.

/// Why `s` is refused, or `Ok` when it is clean text.
pub fn check(s: &str) -> Result<(), String> {
    match s
        .chars()
        .find(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t'))
    {
        Some(c) => Err(format!(
            "must not contain control characters (found U+{:04X})",
            u32::from(c)
        )),
        None => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::check;

    #[test]
    fn line_breaks_and_tabs_pass_other_controls_do_not() {
        assert!(check("Via Roma 1\r\n\tscala B — è").is_ok());
        for bad in ["a\0b", "\u{1}", "\u{1b}[31m", "x\u{7f}", "\u{85}", "\u{9f}"] {
            assert!(check(bad).is_err(), "{bad:?}");
        }
        assert!(check("\u{a0}").is_ok(), "a no-break space is text");
    }
}
