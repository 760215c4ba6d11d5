//! List cursors (`pimento_core::query::Cursor`): any text given as a cursor, for any sort, is
//! refused or read as a cursor of that sort, which encodes back to a cursor read the same.
#![no_main]

use libfuzzer_sys::fuzz_target;
use pimento_core::query::{Cursor, Sort, SortKey};

fuzz_target!(|data: &[u8]| {
    let Some((&pick, rest)) = data.split_first() else {
        return;
    };
    let Ok(raw) = std::str::from_utf8(rest) else {
        return;
    };
    let sort = Sort {
        key: SortKey::ALL[usize::from(pick >> 1) % SortKey::ALL.len()],
        descending: pick & 1 == 1,
    };
    if let Ok(cursor) = Cursor::decode("cursor", raw, sort) {
        assert_eq!(cursor.sort, sort);
        let again = Cursor::decode("cursor", &cursor.encode(), sort);
        assert_eq!(again.as_ref().ok(), Some(&cursor), "{raw:?}");
    }
});
