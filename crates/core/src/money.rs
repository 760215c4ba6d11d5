//! Money: integer minor units plus an ISO 4217 currency. Never floats.

use crate::CoreError;
use rust_decimal::Decimal;
use std::str::FromStr;

/// The currency assumed when an API carries a price without one.
pub const DEFAULT_CURRENCY: &str = "USD";

// Active ISO 4217 codes with their minor-unit digits; everything not listed in an exponent
// group below has two.
const ISO_4217: &str = "AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BHD BIF BMD BND BOB \
BOV BRL BSD BTN BWP BYN BZD CAD CDF CHE CHF CHW CLF CLP CNY COP COU CRC CUP CVE CZK DJF DKK DOP DZD \
EGP ERN ETB EUR FJD FKP GBP GEL GHS GIP GMD GNF GTQ GYD HKD HNL HTG HUF IDR ILS INR IQD IRR ISK JMD \
JOD JPY KES KGS KHR KMF KPW KRW KWD KYD KZT LAK LBP LKR LRD LSL LYD MAD MDL MGA MKD MMK MNT MOP MRU \
MUR MVR MWK MXN MXV MYR MZN NAD NGN NIO NOK NPR NZD OMR PAB PEN PGK PHP PKR PLN PYG QAR RON RSD RUB \
RWF SAR SBD SCR SDG SEK SGD SHP SLE SOS SRD SSP STN SVC SYP SZL THB TJS TMT TND TOP TRY TTD TWD TZS \
UAH UGX USD USN UYI UYU UYW UZS VED VES VND VUV WST XAF XCD XCG XOF XPF YER ZAR ZMW ZWG";
const ZERO_DIGITS: &str = "BIF CLP DJF GNF ISK JPY KMF KRW PYG RWF UGX UYI VND VUV XAF XOF XPF";
const THREE_DIGITS: &str = "BHD IQD JOD KWD LYD OMR TND";
const FOUR_DIGITS: &str = "CLF UYW";

/// An ISO 4217 currency with its number of minor-unit digits.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Currency {
    code: [u8; 3],
    digits: u32,
}

impl Currency {
    /// Parses a currency code, in any letter case (`usd` is `USD`).
    pub fn parse(field: &str, raw: &str) -> Result<Self, CoreError> {
        let b = raw.trim().as_bytes();
        let code = match b {
            [x, y, z] => [x.to_ascii_uppercase(), y.to_ascii_uppercase(), z.to_ascii_uppercase()],
            _ => [0; 3],
        };
        if !listed(ISO_4217, &code) {
            return Err(CoreError::invalid(
                field,
                format!("'{raw}' is not an ISO 4217 currency code"),
            ));
        }
        let digits = if listed(ZERO_DIGITS, &code) {
            0
        } else if listed(THREE_DIGITS, &code) {
            3
        } else if listed(FOUR_DIGITS, &code) {
            4
        } else {
            2
        };
        Ok(Currency { code, digits })
    }

    /// The three-letter code.
    pub fn code(&self) -> &str {
        std::str::from_utf8(&self.code).unwrap_or("XXX")
    }

    /// Digits after the decimal point (2 for USD, 0 for JPY).
    pub fn digits(&self) -> u32 {
        self.digits
    }
}

/// A currency is kept as its code (`"USD"`).
impl serde::Serialize for Currency {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.code())
    }
}

impl<'de> serde::Deserialize<'de> for Currency {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let raw = String::deserialize(d)?;
        Currency::parse("currency", &raw).map_err(serde::de::Error::custom)
    }
}

/// An amount in minor units of a currency.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Money {
    /// Amount in minor units (cents for USD).
    pub minor: i64,
    /// The currency.
    pub currency: Currency,
}

/// Whether `code` is in a sorted, space-separated list of three-letter codes. Every exported
/// price goes through here, so it is a binary search without allocating.
fn listed(list: &str, code: &[u8; 3]) -> bool {
    let bytes = list.as_bytes();
    let n = bytes.len().div_ceil(4);
    let (mut lo, mut hi) = (0, n);
    while lo < hi {
        let mid = (lo + hi) / 2;
        match bytes[mid * 4..mid * 4 + 3].cmp(code) {
            std::cmp::Ordering::Less => lo = mid + 1,
            std::cmp::Ordering::Greater => hi = mid,
            std::cmp::Ordering::Equal => return true,
        }
    }
    false
}

/// Reads an amount in major units by the one price grammar (see [`Money::parse`]).
pub fn parse_amount(field: &str, amount: &str) -> Result<Decimal, CoreError> {
    if amount.starts_with('-') && Decimal::from_str(amount).is_ok_and(|d| !d.is_zero()) {
        return Err(CoreError::invalid(field, "must not be negative"));
    }
    let (whole, fraction) = amount.split_once('.').unwrap_or((amount, "0"));
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    if !digits(whole) || !digits(fraction) {
        return Err(CoreError::invalid(
            field,
            format!("'{amount}' is not a decimal number such as 19.99"),
        ));
    }
    let dec = Decimal::from_str(amount)
        .map_err(|_| CoreError::invalid(field, format!("'{amount}' is not a decimal number")))?;
    // A decimal holds 28 digits and rounds away the rest without a word: an amount is read
    // exactly or refused (`0.` with 40 zeros and a 1 would have been a price of 0).
    if canonical(&dec.normalize().to_string()) != canonical(amount) {
        return Err(CoreError::invalid(
            field,
            format!("'{amount}' has more digits than an amount can hold"),
        ));
    }
    Ok(dec)
}

/// A decimal's digits without leading zeros in the whole part or trailing ones after the point.
fn canonical(amount: &str) -> (&str, &str) {
    let (whole, fraction) = amount.split_once('.').unwrap_or((amount, ""));
    (whole.trim_start_matches('0'), fraction.trim_end_matches('0'))
}

impl Money {
    /// Parses a non-negative decimal string such as `"19.99"`, with at most the currency's
    /// digits. One grammar everywhere: digits, optionally a point and more digits; no sign,
    /// exponent, spaces or bare point (`"1e2"`, `" 1.00"`, `"+1"`, `".5"` and `"1."` are refused).
    pub fn parse(field: &str, amount: &str, currency: Currency) -> Result<Self, CoreError> {
        Self::from_decimal(field, parse_amount(field, amount)?, currency)
    }

    /// Converts a decimal in major units, refusing more precision than the currency has.
    pub fn from_decimal(field: &str, dec: Decimal, currency: Currency) -> Result<Self, CoreError> {
        if dec.is_sign_negative() && !dec.is_zero() {
            return Err(CoreError::invalid(field, "must not be negative"));
        }
        let dec = dec.normalize();
        if dec.scale() > currency.digits {
            return Err(CoreError::invalid(
                field,
                format!(
                    "{} allows at most {} digits after the decimal point",
                    currency.code(),
                    currency.digits
                ),
            ));
        }
        let minor = dec
            .checked_mul(Decimal::from(10_i64.pow(currency.digits)))
            .and_then(|d| i64::try_from(d).ok())
            .ok_or_else(|| CoreError::invalid(field, "is too large"))?;
        Ok(Money { minor, currency })
    }

    /// The amount as a decimal in major units.
    pub fn to_decimal(&self) -> Decimal {
        Decimal::new(self.minor, self.currency.digits)
    }

    /// The amount as a string with exactly the currency's digits (`"19.90"`).
    pub fn to_decimal_string(&self) -> String {
        self.to_decimal().to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn usd() -> Currency {
        Currency::parse("c", "usd").unwrap()
    }

    #[test]
    fn code_lists_are_sorted_three_letter_codes() {
        for list in [ISO_4217, ZERO_DIGITS, THREE_DIGITS, FOUR_DIGITS] {
            let codes: Vec<&str> = list.split(' ').collect();
            assert!(codes.iter().all(|c| c.len() == 3), "{list}");
            assert!(codes.windows(2).all(|w| w[0] < w[1]), "{list}");
            for c in codes {
                assert_eq!(Currency::parse("c", c).unwrap().code(), c);
            }
        }
        assert_eq!(Currency::parse("c", " jpy ").unwrap().digits, 0);
        assert_eq!(Currency::parse("c", "KWD").unwrap().digits, 3);
        assert_eq!(Currency::parse("c", "uyw").unwrap().digits, 4);
        assert_eq!(Currency::parse("c", "eur").unwrap().digits, 2);
        for bad in ["", "US", "USDD", "XXX", "U5D", "ÜSD"] {
            assert!(Currency::parse("c", bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn digits_a_decimal_cannot_hold_are_refused_not_rounded() {
        // Found by the `price` fuzz target: read as 0 JPY.
        let tiny = "000000000000.000000000000000000000000000000000000000000000111111111111111";
        let jpy = Currency::parse("c", "jpy").unwrap();
        assert!(Money::parse("price", tiny, jpy).is_err());
        assert!(parse_amount("price", tiny).is_err());
        assert!(parse_amount("price", "12345678901234567890.123456789012").is_err());
        assert_eq!(Money::parse("price", "0000.10000", usd()).unwrap().minor, 10);
        assert_eq!(Money::parse("price", "0", usd()).unwrap().minor, 0);
        assert_eq!(parse_amount("price", "0.0").unwrap(), Decimal::ZERO);
    }

    #[test]
    fn parses_and_formats() {
        let m = Money::parse("price", "19.9", usd()).unwrap();
        assert_eq!(m.minor, 1990);
        assert_eq!(m.to_decimal_string(), "19.90");
        assert_eq!(Money::parse("p", "7", usd()).unwrap().to_decimal_string(), "7.00");
        let jpy = Currency::parse("c", "JPY").unwrap();
        assert_eq!(Money::parse("p", "1500", jpy).unwrap().to_decimal_string(), "1500");
        assert!(Money::parse("p", "15.5", jpy).is_err());
        let kwd = Currency::parse("c", "KWD").unwrap();
        assert_eq!(Money::parse("p", "1.250", kwd).unwrap().minor, 1250);
    }

    #[test]
    fn one_strict_grammar() {
        for bad in ["1e2", " 1.00", "1.00 ", "+1", ".5", "1.", "", ".", "1.2.3", "１"] {
            assert!(Money::parse("p", bad, usd()).is_err(), "{bad:?}");
        }
        for good in ["0", "007", "1.5", "19.99", "0.00"] {
            assert!(Money::parse("p", good, usd()).is_ok(), "{good:?}");
        }
    }

    #[test]
    fn refuses_bad_amounts() {
        assert!(Money::parse("p", "1.999", usd()).is_err());
        assert!(Money::parse("p", "-1", usd()).is_err());
        assert!(Money::parse("p", "abc", usd()).is_err());
        assert!(Money::parse("p", "99999999999999999999999", usd()).is_err());
        assert_eq!(Money::parse("p", "1.500", usd()).unwrap().minor, 150);
    }

    #[test]
    fn currency_codes() {
        assert!(Currency::parse("c", "XYZ").is_err());
        assert!(Currency::parse("c", "US").is_err());
        assert_eq!(Currency::parse("c", "eur").unwrap().code(), "EUR");
    }
}
