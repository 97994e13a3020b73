//! Prism (`@stoplight/prism-cli`), the mock server the mock tests start from a description:
//! where it is installed, starting it on a loopback port, reading its log, stopping it.
//!
//! Prism is found at `$PRISM_BIN`, else at `.ci/tools/node_modules/.bin/prism` (where
//! `.ci/run` installs it). A test without it is skipped with one line on stderr, unless
//! `API_REFERENCE_REQUIRED=1` or `CI` is set, when it fails.

// Each test binary that includes this module uses a part of it.
#![allow(dead_code)]

use std::io::Write as _;
use std::net::{Ipv4Addr, SocketAddrV4, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// The pinned Prism version `.ci/run` installs.
pub const INSTALL: &str =
    "npm install --prefix .ci/tools --no-save --no-audit --no-fund @stoplight/prism-cli@5.14.2";

/// How long Prism may take to start listening.
const STARTUP_LIMIT: Duration = Duration::from_secs(90);

/// The Prism executable for the test `what`, or `None` after printing that the test is
/// skipped (a failure instead when Prism is [`required`]).
pub fn bin_or_skip(what: &str) -> Option<PathBuf> {
    let found = bin();
    if found.is_none() {
        assert!(
            !required(),
            "{what}: Prism is not installed; install it with `{INSTALL}` or set PRISM_BIN"
        );
        // Not `eprintln!`: the test harness captures the print macros, not the stream itself.
        let _ = writeln!(
            std::io::stderr(),
            "skipped: {what}: Prism is not installed (`{INSTALL}`, or set PRISM_BIN)"
        );
    }
    found
}

/// The Prism executable, if one is installed where the test looks.
pub fn bin() -> Option<PathBuf> {
    if let Some(path) = std::env::var_os("PRISM_BIN") {
        return Some(PathBuf::from(path));
    }
    let local = project_support::workspace_root().join(".ci/tools/node_modules/.bin/prism");
    local.exists().then_some(local)
}

/// Whether a missing Prism fails the test rather than skipping it.
pub fn required() -> bool {
    std::env::var("API_REFERENCE_REQUIRED").is_ok_and(|value| value == "1")
        || std::env::var_os("CI").is_some_and(|value| !value.is_empty())
}

/// A running Prism, killed when dropped (also when the test panics).
pub struct Prism {
    child: Child,
    port: u16,
    log: PathBuf,
}

impl Prism {
    /// Starts Prism on a free loopback port, mocking `spec`, logging to `log`; see
    /// [`Prism::wait_until_listening`].
    pub fn start(bin: &Path, spec: &Path, log: PathBuf) -> Prism {
        let port = TcpListener::bind(SocketAddrV4::new(Ipv4Addr::LOCALHOST, 0))
            .and_then(|listener| listener.local_addr())
            .expect("a free loopback port")
            .port();
        let output = std::fs::File::create(&log).expect("Prism's log file");
        let errors = output.try_clone().expect("Prism's log file");
        let child = Command::new(bin)
            .arg("mock")
            .arg(spec)
            .args([
                "--host",
                "127.0.0.1",
                "--port",
                &port.to_string(),
                "--errors",
            ])
            .stdin(Stdio::null())
            .stdout(output)
            .stderr(errors)
            .spawn()
            .unwrap_or_else(|error| panic!("cannot start {}: {error}", bin.display()));
        Prism { child, port, log }
    }

    /// Waits until Prism accepts connections; fails when it exits first or takes too long.
    pub fn wait_until_listening(&mut self) {
        let started = Instant::now();
        loop {
            if TcpStream::connect((Ipv4Addr::LOCALHOST, self.port)).is_ok() {
                return;
            }
            if let Ok(Some(status)) = self.child.try_wait() {
                panic!(
                    "Prism exited ({status}) before listening:\n{}",
                    self.log_tail()
                );
            }
            assert!(
                started.elapsed() < STARTUP_LIMIT,
                "Prism did not listen within {STARTUP_LIMIT:?}:\n{}",
                self.log_tail()
            );
            std::thread::sleep(Duration::from_millis(200));
        }
    }

    /// The loopback port it listens on.
    pub fn port(&self) -> u16 {
        self.port
    }

    /// Prism's log from byte `from` on.
    pub fn log_since(&self, from: usize) -> String {
        let text = std::fs::read(&self.log).unwrap_or_default();
        String::from_utf8_lossy(text.get(from..).unwrap_or_default()).into_owned()
    }

    /// How long Prism's log is now.
    pub fn log_len(&self) -> usize {
        std::fs::metadata(&self.log).map_or(0, |meta| meta.len() as usize)
    }

    /// The last lines of Prism's log.
    pub fn log_tail(&self) -> String {
        let text = std::fs::read_to_string(&self.log).unwrap_or_default();
        let lines: Vec<&str> = text.lines().collect();
        lines[lines.len().saturating_sub(20)..].join("\n")
    }
}

impl Drop for Prism {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
