//! Test-only package: see `tests/` for the generator's snapshot tests and the generated
//! client's tests against a loopback HTTP server.
