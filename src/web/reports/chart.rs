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

const LABEL_W: f64 = 190.0;
const BAR_W: f64 = 330.0;
const BAR_H: f64 = 14.0;
const GAP: f64 = 10.0;

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

impl Chart {
    /// The SVG, sized to its rows; bars scaled to the largest value.
    pub fn svg(&self) -> String {
        let n = self.series.len().max(1);
        let row_h = BAR_H * n as f64 + GAP;
        let legend_h = if n > 1 { 22.0 } else { 0.0 };
        let height = legend_h + row_h * self.bars.len().max(1) as f64;
        let width = LABEL_W + BAR_W + 70.0;
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
             viewBox=\"0 0 {width} {height}\" width=\"{width}\" height=\"{height}\" \
             xmlns=\"http://www.w3.org/2000/svg\"><title id=\"{id}-title\">{}</title>",
            escape(&self.title)
        );
        if n > 1 {
            for (i, s) in self.series.iter().enumerate() {
                let x = LABEL_W + i as f64 * 140.0;
                let _ = write!(
                    out,
                    "<rect class=\"s{i}\" x=\"{x}\" y=\"4\" width=\"12\" height=\"12\"/>\
                     <text x=\"{}\" y=\"14\">{}</text>",
                    x + 16.0,
                    escape(s)
                );
            }
        }
        for (r, bar) in self.bars.iter().enumerate() {
            let top = legend_h + r as f64 * row_h;
            let _ = write!(
                out,
                "<text class=\"label\" x=\"{}\" y=\"{}\" text-anchor=\"end\">{}</text>",
                LABEL_W - 8.0,
                top + BAR_H * n as f64 / 2.0 + 4.0,
                escape(&bar.label)
            );
            for (i, (v, text)) in bar.values.iter().enumerate() {
                let y = top + i as f64 * BAR_H;
                let w = (v.max(0.0) * scale).max(if *v > 0.0 { 1.0 } else { 0.0 });
                let _ = write!(
                    out,
                    "<rect class=\"s{i}\" x=\"{LABEL_W}\" y=\"{y}\" width=\"{w:.1}\" \
                     height=\"{}\"/><text class=\"value\" x=\"{:.1}\" y=\"{}\">{}</text>",
                    BAR_H - 2.0,
                    LABEL_W + w + 4.0,
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
        assert!(svg.contains("width=\"330.0\""), "{svg}");
        assert!(svg.contains("width=\"165.0\""), "{svg}");
    }
}
