//! KOSTRA codes inside an export's own codes: the three digits where a profile says they stand
//! (an art `19100` holds the KOSTRA art 910 at position 2), and the arts SSB allows only in
//! investering. No sums here: the statutory overviews (`aggregate::statutory`) place lines
//! by these codes, and the importer refuses drift lines with investment-only arts.

/// The three-digit KOSTRA code standing at `start` in a code.
pub(crate) fn code3(text: &str, start: usize) -> Option<u16> {
    let digits: String = text.chars().skip(start).take(3).collect();
    if digits.len() == 3 && digits.chars().all(|c| c.is_ascii_digit()) {
        digits.parse().ok()
    } else {
        None
    }
}

/// Whether SSB allows a KOSTRA art only in investering in the chart of `year`: the old chart
/// (to 2019) 529 548 670 910 911 929 948 958 970, the new one 512 521 522 529 670 910 911 912
/// 921 922 929 970, and 280 from 2021, as `drift-mapping.csv` lists them. A drift line with one
/// is most often a line of an export that mixes the two budgets.
pub(crate) fn investering_only(art: u16, year: i32) -> bool {
    let old: &[u16] = &[529, 548, 670, 910, 911, 929, 948, 958, 970];
    let new: &[u16] = &[512, 521, 522, 529, 670, 910, 911, 912, 921, 922, 929, 970];
    if year <= 2019 {
        old.contains(&art)
    } else {
        new.contains(&art) || (year >= 2021 && art == 280)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_and_investment_arts_by_chart() {
        assert_eq!(code3("19100", 1), Some(910));
        assert_eq!(code3("1910", 2), None);
        assert_eq!(code3("1a100", 1), None);
        // 948 only in the old chart, 512 only in the new, 280 from 2021.
        assert!(investering_only(948, 2019) && !investering_only(948, 2020));
        assert!(!investering_only(512, 2019) && investering_only(512, 2020));
        assert!(!investering_only(280, 2020) && investering_only(280, 2021));
        assert!(!investering_only(570, 2024));
    }
}
