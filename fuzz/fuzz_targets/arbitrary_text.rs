//! Arbitrary bytes, read as (lossy) UTF-8 text, through the whole pipeline.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    codegen_fuzz::run(&String::from_utf8_lossy(data));
});
