//! Every chart's colours stay apart on a greyscale printer and for red-green colour-blind
//! readers (issue 24): each pair of colours one chart shows (and each colour against the white
//! page) differs by at least 20 in CIE lightness L* once printed in grey, and by at least 20
//! (CIE76 ΔE) as a deuteranope sees it (Machado, Oliveira and Fernandes 2009, severity 1).
//! The colours are read from `templates/style.typ`, where the charts take them.

mod common;

use std::path::Path;

/// The colours `style.typ` defines: `name: rgb("#rrggbb")` inside `colors`, and the
/// `series-colors` in order, as "series0", "series1", …
fn defined_colours() -> Vec<(String, [f64; 3])> {
    let style = std::fs::read_to_string(Path::new(common::REPO).join("templates/style.typ"))
        .expect("templates/style.typ");
    let hex = |s: &str| -> [f64; 3] {
        let s = s.trim_start_matches('#');
        let byte = |i: usize| f64::from(u8::from_str_radix(&s[i..i + 2], 16).unwrap()) / 255.0;
        [byte(0), byte(2), byte(4)]
    };
    let mut found = Vec::new();
    let mut series = 0;
    let mut in_series = false;
    for line in style.lines() {
        if line.starts_with("#let series-colors") {
            in_series = true;
        }
        let mut rest = line;
        while let Some(at) = rest.find("rgb(\"#") {
            let colour = hex(&rest[at + 5..at + 12]);
            let name = if in_series {
                series += 1;
                format!("series{}", series - 1)
            } else {
                rest[..at].trim().trim_end_matches(':').trim().to_string()
            };
            found.push((name, colour));
            rest = &rest[at + 12..];
        }
        if in_series && line.starts_with(')') {
            in_series = false;
        }
    }
    found
}

fn colour(name: &str) -> [f64; 3] {
    defined_colours()
        .into_iter()
        .find(|(n, _)| n == name)
        .unwrap_or_else(|| panic!("style.typ defines no colour {name:?}"))
        .1
}

/// sRGB (0–1) to linear light.
fn linear(c: [f64; 3]) -> [f64; 3] {
    c.map(|v| {
        if v <= 0.04045 {
            v / 12.92
        } else {
            ((v + 0.055) / 1.055).powf(2.4)
        }
    })
}

/// CIE L*a*b* (D65) of a linear-light colour.
fn lab(c: [f64; 3]) -> [f64; 3] {
    let [r, g, b] = c;
    let x = (0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.9505;
    let y = 0.2126 * r + 0.7152 * g + 0.0722 * b;
    let z = (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.089;
    let f = |t: f64| {
        if t > 0.008856 {
            t.cbrt()
        } else {
            7.787 * t + 16.0 / 116.0
        }
    };
    [
        116.0 * f(y) - 16.0,
        500.0 * (f(x) - f(y)),
        200.0 * (f(y) - f(z)),
    ]
}

/// Lightness as a greyscale print keeps it.
fn grey(c: [f64; 3]) -> f64 {
    lab(linear(c))[0]
}

/// The colour as a deuteranope sees it, in L*a*b*.
fn deuteranope(c: [f64; 3]) -> [f64; 3] {
    const M: [[f64; 3]; 3] = [
        [0.367322, 0.860646, -0.227968],
        [0.280085, 0.672501, 0.047413],
        [-0.011820, 0.042940, 0.968881],
    ];
    let l = linear(c);
    lab(M.map(|row| (row[0] * l[0] + row[1] * l[1] + row[2] * l[2]).clamp(0.0, 1.0)))
}

/// The pairs of a chart's colours (and each with the white page, when `on_page`) that fail
/// either test, with the measures.
fn too_close(chart: &str, names: &[&str], least_grey: f64, on_page: bool) -> Vec<String> {
    let mut named: Vec<(String, [f64; 3])> =
        names.iter().map(|n| (n.to_string(), colour(n))).collect();
    if on_page {
        named.push(("the white page".to_string(), [1.0, 1.0, 1.0]));
    }
    let mut found = Vec::new();
    for (i, (a, ca)) in named.iter().enumerate() {
        for (b, cb) in &named[i + 1..] {
            let dl = (grey(*ca) - grey(*cb)).abs();
            let (da, db) = (deuteranope(*ca), deuteranope(*cb));
            let de = ((da[0] - db[0]).powi(2) + (da[1] - db[1]).powi(2) + (da[2] - db[2]).powi(2))
                .sqrt();
            if dl < least_grey || de < 20.0 {
                found.push(format!(
                    "{chart}: {a} and {b}: ΔL* {dl:.1} in grey, ΔE {de:.1} for a deuteranope"
                ));
            }
        }
    }
    found
}

#[test]
fn the_measures_are_the_known_values() {
    // Independent anchors: white is L* 100, black 0, and a mid grey #777777 is L* 50.0.
    assert!((grey([1.0, 1.0, 1.0]) - 100.0).abs() < 0.1);
    assert!(grey([0.0, 0.0, 0.0]).abs() < 0.1);
    assert!((grey([119.0 / 255.0; 3]) - 50.0).abs() < 0.3);
    // A deuteranope cannot tell pure red from a dark yellow-green of its lightness: the
    // simulation brings them close where normal vision has them far apart.
    let red = deuteranope([1.0, 0.0, 0.0]);
    let olive = deuteranope([0.56, 0.52, 0.0]);
    let de =
        ((red[0] - olive[0]).powi(2) + (red[1] - olive[1]).powi(2) + (red[2] - olive[2]).powi(2))
            .sqrt();
    assert!(de < 20.0, "ΔE {de}");
}

#[test]
fn every_charts_colours_stay_apart_in_grey_and_for_deuteranopes() {
    let mut problems = Vec::new();
    // The waterfall: totals, increases, decreases.
    problems.extend(too_close(
        "waterfall",
        &["accent", "up", "down"],
        20.0,
        true,
    ));
    // The chart of differences (comparison and deviation): up and down.
    problems.extend(too_close("differences", &["up", "down"], 20.0, true));
    // A stacked bar chart of up to three series.
    problems.extend(too_close(
        "bars",
        &["series0", "series1", "series2"],
        20.0,
        true,
    ));
    // The timeline: the plan period's tint behind the accent bars; a tint need only show
    // against the page (10), the bars must stand out from it.
    problems.extend(too_close("timeline", &["plan"], 10.0, true));
    problems.extend(too_close("timeline bars", &["accent", "plan"], 20.0, false));
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
