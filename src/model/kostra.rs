//! What an SSB KOSTRA accounts file is: its skjema (which accounts, and which kontoklasse codes
//! they use), the header every record repeats (skjema, year, quarter, region), and the typed
//! value a balance file (skjema 0B, 0D, 0J, 0L, 0N, 0Q) becomes. `load::kostra_file` reads the
//! files; an accounts file's records become budget lines of the ledger, a balance file's a
//! [`BalanceSheet`]. The codes are SSB's ("Filbeskrivelse: Regnskap" and its control 009 in
//! statisticsnorway/kostra-kontrollprogram).

use std::collections::BTreeMap;

use rust_decimal::Decimal;

use super::Part;

/// One KOSTRA skjema a municipality or county reports: an accounts file (bevilgningsregnskap,
/// drift and investering) or a balance file, with the kontoklasse codes its records use.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Skjema {
    /// `0A`, `0B`, ….
    pub code: &'static str,
    pub kind: SkjemaKind,
}

/// What a skjema's records hold, and the kontoklasse (position 32) of each kind of record.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SkjemaKind {
    /// Bevilgningsregnskap: drift and investering records.
    Accounts { drift: u8, investering: u8 },
    /// Balanse: records by kapittel and sektor.
    Balance { class: u8 },
}

impl Skjema {
    /// The skjemas of municipal and county accounts: kommunekasse (0A, 0B), fylkeskasse (0C,
    /// 0D), særbedrifter and lånefond (0I–0L), konsolidert (0M, 0N for kommuner, 0P, 0Q for
    /// fylkeskommuner). A church council's (0F, 0G) and a health trust's (0X, 0Y) are not a
    /// municipality's budget and are refused.
    pub const ALL: [Skjema; 12] = [
        Skjema::accounts("0A", b'1', b'0'),
        Skjema::balance("0B", b'2'),
        Skjema::accounts("0C", b'1', b'0'),
        Skjema::balance("0D", b'2'),
        Skjema::accounts("0I", b'3', b'4'),
        Skjema::balance("0J", b'5'),
        Skjema::accounts("0K", b'3', b'4'),
        Skjema::balance("0L", b'5'),
        Skjema::accounts("0M", b'3', b'4'),
        Skjema::balance("0N", b'5'),
        Skjema::accounts("0P", b'3', b'4'),
        Skjema::balance("0Q", b'5'),
    ];

    const fn accounts(code: &'static str, drift: u8, investering: u8) -> Skjema {
        Skjema {
            code,
            kind: SkjemaKind::Accounts { drift, investering },
        }
    }

    const fn balance(code: &'static str, class: u8) -> Skjema {
        Skjema {
            code,
            kind: SkjemaKind::Balance { class },
        }
    }

    /// The skjema a code names, if it is one of [`Skjema::ALL`].
    pub fn from_code(code: &[u8]) -> Option<Skjema> {
        Skjema::ALL.into_iter().find(|s| s.code.as_bytes() == code)
    }

    pub fn is_balance(self) -> bool {
        matches!(self.kind, SkjemaKind::Balance { .. })
    }

    /// The kontoklasse codes this skjema's records may have, as digits in order.
    pub fn classes(self) -> Vec<u8> {
        match self.kind {
            SkjemaKind::Accounts { drift, investering } => {
                vec![drift.min(investering), drift.max(investering)]
            }
            SkjemaKind::Balance { class } => vec![class],
        }
    }

    /// The part of the budget a record of kontoklasse `class` belongs to; `None` for a class
    /// this skjema does not use, and always for a balance file.
    pub fn part(self, class: u8) -> Option<Part> {
        match self.kind {
            SkjemaKind::Accounts { drift, .. } if class == drift => Some(Part::Drift),
            SkjemaKind::Accounts { investering, .. } if class == investering => {
                Some(Part::Investering)
            }
            _ => None,
        }
    }
}

/// What every record of a KOSTRA file repeats, the same on every line of one file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KostraHeader {
    pub skjema: Skjema,
    /// Årgang: the year the accounts are for.
    pub year: i32,
    /// 1 to 4 for a quarterly file (the accounts to the end of that quarter); `None` for the
    /// year's accounts.
    pub quarter: Option<u8>,
    /// Six digits: the municipality's or county's number and `00`, or an Oslo district.
    pub region: String,
}

/// A KOSTRA balance file: per record its kapittel, sektor and amount. Assets are positive,
/// debt and equity (funds among them) negative, as SSB has them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BalanceSheet {
    pub file: std::path::PathBuf,
    pub header: KostraHeader,
    pub lines: Vec<BalanceLine>,
}

/// One record of a balance file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BalanceLine {
    /// The 1-based line of the file.
    pub line: u32,
    /// Two to four digits, e.g. `51` (disposisjonsfond) or `5990`.
    pub kapittel: String,
    /// Three digits.
    pub sektor: String,
    /// Kroner.
    pub amount: Decimal,
}

impl BalanceSheet {
    /// The sum of every kapittel's records (over its sektors), in kapittel order.
    pub fn by_kapittel(&self) -> BTreeMap<&str, Decimal> {
        let mut sums = BTreeMap::new();
        for line in &self.lines {
            *sums.entry(line.kapittel.as_str()).or_default() += line.amount;
        }
        sums
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_skjema_has_the_kontoklasse_codes_of_ssbs_control_009() {
        let a = Skjema::from_code(b"0A").unwrap();
        assert_eq!(a.part(b'1'), Some(Part::Drift));
        assert_eq!(a.part(b'0'), Some(Part::Investering));
        assert_eq!(a.part(b'3'), None);
        let m = Skjema::from_code(b"0M").unwrap();
        assert_eq!(m.part(b'3'), Some(Part::Drift));
        assert_eq!(m.part(b'4'), Some(Part::Investering));
        assert_eq!(m.part(b'1'), None);
        assert_eq!(Skjema::from_code(b"0B").unwrap().classes(), [b'2']);
        assert_eq!(Skjema::from_code(b"0N").unwrap().classes(), [b'5']);
        assert!(Skjema::from_code(b"0B").unwrap().is_balance());
        assert!(Skjema::from_code(b"0F").is_none());
        assert!(Skjema::from_code(b"0X").is_none());
    }
}
