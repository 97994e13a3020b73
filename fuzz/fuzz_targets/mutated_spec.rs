//! A fixture spec, mutated by choices read from the input bytes, through the whole pipeline.
#![no_main]

use codegen_fuzz::mutate::{self, ByteChoices, Choices};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let seeds = codegen_fuzz::seeds();
    if seeds.is_empty() {
        return;
    }
    let mut choices = ByteChoices(data);
    let mut spec = seeds[choices.below(seeds.len())].clone();
    let count = 1 + choices.below(6);
    mutate::mutate(&mut spec, &mut choices, count);
    if let Ok(text) = serde_json::to_string(&spec) {
        codegen_fuzz::run(&text);
    }
});
