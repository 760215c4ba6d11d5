//! The one price grammar (`pimento_core::money`): any text is refused or read exactly. What is
//! read is the written number itself, neither rounded nor truncated, and prints back to it.
#![no_main]

use libfuzzer_sys::fuzz_target;
use pimento_core::money::{Currency, Money};

/// `digits[.digits]` without leading zeros in the whole part or trailing ones in the fraction.
fn canonical(amount: &str) -> String {
    let (whole, fraction) = amount.split_once('.').unwrap_or((amount, ""));
    let whole = whole.trim_start_matches('0');
    let fraction = fraction.trim_end_matches('0');
    match (whole.is_empty(), fraction.is_empty()) {
        (true, true) => "0".to_owned(),
        (true, false) => format!("0.{fraction}"),
        (false, true) => whole.to_owned(),
        (false, false) => format!("{whole}.{fraction}"),
    }
}

fuzz_target!(|data: &[u8]| {
    let Some((&pick, rest)) = data.split_first() else {
        return;
    };
    let Ok(amount) = std::str::from_utf8(rest) else {
        return;
    };
    let code = ["USD", "JPY", "KWD", "UYW"][usize::from(pick % 4)];
    let Ok(currency) = Currency::parse("currency", code) else {
        panic!("{code} is a currency");
    };
    let _ = Currency::parse("currency", amount);
    let _ = pimento_core::money::parse_amount("price", amount);
    if let Ok(money) = Money::parse("price", amount, currency) {
        assert!(money.minor >= 0, "{amount:?} read as {money:?}");
        let printed = money.to_decimal_string();
        assert_eq!(canonical(&printed), canonical(amount), "{amount:?} read as {money:?}");
        assert_eq!(
            Money::parse("price", &printed, currency).ok(),
            Some(money),
            "{printed:?}"
        );
    }
});
