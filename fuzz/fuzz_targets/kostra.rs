//! Fuzz target: the property `fuzz_props::kostra` (tests/fuzz_props/mod.rs) on arbitrary bytes.
#![no_main]

#[path = "../../tests/fuzz_props/mod.rs"]
mod fuzz_props;

libfuzzer_sys::fuzz_target!(|data: &[u8]| fuzz_props::kostra(data));
