//! The import of an NDJSON file of product documents (`pimento_jobs::parse_ndjson`): any bytes
//! are read into products and line errors, one a non-blank line, in order; a document read
//! writes back as JSON that reads the same.
#![no_main]

use libfuzzer_sys::fuzz_target;
use pimento_core::exchange::ProductDoc;

fuzz_target!(|data: &[u8]| {
    let mut last = 0;
    let _ = pimento_jobs::parse_ndjson(data, |parsed| {
        let line = match &parsed {
            Ok(item) => {
                let text = serde_json::to_string(&item.doc).unwrap_or_default();
                let again: Result<ProductDoc, _> = serde_json::from_str(&text);
                assert_eq!(again.ok().as_ref(), Some(&item.doc), "{text}");
                item.line
            }
            Err(e) => e.line.unwrap_or(0),
        };
        assert!(line > last, "line {line} after {last}");
        last = line;
        true
    });
});
