//! The import of a CSV file (`pimento_jobs::parse_csv`, what `pimento import` and the PIM's
//! imports run before anything is written): any bytes are refused whole or read into products
//! and row errors, each naming a line of the file.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let lines = data.iter().filter(|&&b| b == b'\n' || b == b'\r').count() as u64 + 1;
    let mut last = 0;
    let _ = pimento_jobs::parse_csv(data, |parsed| {
        let line = match &parsed {
            Ok(item) => {
                assert!(item.variant_lines.iter().all(|&l| l >= item.line));
                Some(item.line)
            }
            Err(e) => e.line,
        };
        if let Some(line) = line {
            assert!(line <= lines, "line {line} of {lines}");
            assert!(line >= last, "line {line} after {last}");
            last = line;
        }
        true
    });
});
