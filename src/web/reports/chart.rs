//! A horizontal bar chart as server-rendered SVG: one row per label, one bar
//! per series, the value written at the bar's end. No script; a `<title>`
//! names it for screen readers, and every chart sits beside a table with the
//! same figures.

use std::fmt::Write;

/// One row: a label, a value per series, each value as people read it.
pub struct Bar {
    pub label: String,
    pub values: Vec<(f64, String)>,
}

pub struct Chart {
    /// The element id, also the base of the title's id.
    pub id: String,
    pub title: String,
    /// The names of the series, in the order of each bar's values.
    pub series: Vec<String>,
    pub bars: Vec<Bar>,
}

const WIDTH: f64 = 520.0;
const BAR_W: f64 = 430.0;
const BAR_H: f64 = 14.0;
/// A row's label sits on its own line above its bars, so a long association
/// name is never cut, on a phone either.
const LABEL_H: f64 = 16.0;
const GAP: f64 = 10.0;
const LEGEND_ITEM_W: f64 = 130.0;
const LEGEND_ROW_H: f64 = 20.0;

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

impl Chart {
    /// The SVG, sized to its rows; bars scaled to the largest value. Every
    /// series of more than one has its legend entry, wrapped to the width.
    pub fn svg(&self) -> String {
        let n = self.series.len().max(1);
        let per_line = ((WIDTH / LEGEND_ITEM_W) as usize).max(1);
        let legend_h = if n > 1 {
            n.div_ceil(per_line) as f64 * LEGEND_ROW_H + 4.0
        } else {
            0.0
        };
        let row_h = LABEL_H + BAR_H * n as f64 + GAP;
        let height = legend_h + row_h * self.bars.len().max(1) as f64;
        let max = self
            .bars
            .iter()
            .flat_map(|b| b.values.iter().map(|v| v.0))
            .fold(0.0_f64, f64::max);
        let scale = if max > 0.0 { BAR_W / max } else { 0.0 };
        let id = escape(&self.id);
        let mut out = String::new();
        let _ = write!(
            out,
            "<svg id=\"{id}\" class=\"chart\" role=\"img\" aria-labelledby=\"{id}-title\" \
             viewBox=\"0 0 {WIDTH} {height}\" width=\"{WIDTH}\" height=\"{height}\" \
             xmlns=\"http://www.w3.org/2000/svg\"><title id=\"{id}-title\">{}</title>",
            escape(&self.title)
        );
        if n > 1 {
            for (i, s) in self.series.iter().enumerate() {
                let x = (i % per_line) as f64 * LEGEND_ITEM_W;
                let y = (i / per_line) as f64 * LEGEND_ROW_H + 4.0;
                let _ = write!(
                    out,
                    "<rect class=\"s{i}\" x=\"{x}\" y=\"{y}\" width=\"12\" height=\"12\"/>\
                     <text class=\"legend\" x=\"{}\" y=\"{}\">{}</text>",
                    x + 16.0,
                    y + 10.0,
                    escape(s)
                );
            }
        }
        for (r, bar) in self.bars.iter().enumerate() {
            let top = legend_h + r as f64 * row_h;
            let _ = write!(
                out,
                "<text class=\"label\" x=\"0\" y=\"{}\">{}</text>",
                top + LABEL_H - 4.0,
                escape(&bar.label)
            );
            for (i, (v, text)) in bar.values.iter().enumerate() {
                let y = top + LABEL_H + i as f64 * BAR_H;
                let w = (v.max(0.0) * scale).max(if *v > 0.0 { 1.0 } else { 0.0 });
                let _ = write!(
                    out,
                    "<rect class=\"s{i}\" x=\"0\" y=\"{y}\" width=\"{w:.1}\" \
                     height=\"{}\"/><text class=\"value\" x=\"{:.1}\" y=\"{}\">{}</text>",
                    BAR_H - 2.0,
                    w + 4.0,
                    y + BAR_H - 4.0,
                    escape(text)
                );
            }
        }
        out.push_str("</svg>");
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bars_scale_to_the_largest_value_and_text_is_escaped() {
        let c = Chart {
            id: "c".into(),
            title: "Kg <per> donor".into(),
            series: vec!["kg".into()],
            bars: vec![
                Bar {
                    label: "Coop & co".into(),
                    values: vec![(10.0, "10".into())],
                },
                Bar {
                    label: "Forno".into(),
                    values: vec![(5.0, "5".into())],
                },
            ],
        };
        let svg = c.svg();
        assert!(svg.contains("<title id=\"c-title\">Kg &lt;per&gt; donor</title>"));
        assert!(svg.contains("Coop &amp; co"));
        assert!(svg.contains("width=\"430.0\""), "{svg}");
        assert!(svg.contains("width=\"215.0\""), "{svg}");
    }

    #[test]
    fn every_series_has_a_legend_entry_and_long_labels_start_at_the_left() {
        let series: Vec<String> = ["completed", "cancelled", "no show", "turned down", "open"]
            .map(String::from)
            .to_vec();
        let c = Chart {
            id: "s".into(),
            title: "t".into(),
            series: series.clone(),
            bars: vec![Bar {
                label: "Associazione Anziani Insieme (di fantasia)".into(),
                values: vec![(1.0, "1".into()); 5],
            }],
        };
        let svg = c.svg();
        for (i, name) in series.iter().enumerate() {
            assert!(svg.contains(&format!(">{name}</text>")), "{name}: {svg}");
            assert!(svg.contains(&format!("<rect class=\"s{i}\" x=")), "{svg}");
        }
        // Four legend entries a line, the fifth on a second line.
        assert!(svg.contains("<rect class=\"s4\" x=\"0\" y=\"24\""), "{svg}");
        assert!(svg.contains(
            "<text class=\"label\" x=\"0\" y=\"56\">Associazione Anziani Insieme (di fantasia)</text>"
        ), "{svg}");
    }
}
