//! Sends N `POST /tickets` calls through one client to the loopback server and exits: a
//! steady workload to count instructions with, e.g.
//!
//! ```text
//! cargo build --release -p benches --example post_calls
//! valgrind --tool=callgrind --separate-threads=yes target/release/examples/post_calls generated 900
//! ```
//!
//! Run it for `generated` and `handwritten`, at two counts, and divide the difference of the
//! client thread's totals (`callgrind.out.<pid>-01`) by the difference of the counts: the
//! instructions one call costs, free of set-up.

use std::process::ExitCode;

use benches::{
    client_runtime, created_body, generated_client, new_ticket, page_body, Bodies, BoxError,
    Handwritten, Server,
};

fn main() -> ExitCode {
    let mut args = std::env::args().skip(1);
    let (Some(client), Some(count)) = (args.next(), args.next()) else {
        eprintln!("usage: post_calls generated|handwritten COUNT");
        return ExitCode::FAILURE;
    };
    match run(&client, &count) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("post_calls: {error}");
            ExitCode::FAILURE
        }
    }
}

fn run(client: &str, count: &str) -> Result<(), BoxError> {
    let count: u32 = count
        .parse()
        .map_err(|_| format!("COUNT must be a whole number, not {count:?}"))?;
    let server = Server::start(Bodies {
        page: page_body(100),
        last_page: 1,
        created: created_body(),
    })?;
    let runtime = client_runtime()?;
    match client {
        "generated" => {
            let client = generated_client(&server.base_url())?;
            runtime.block_on(async {
                for _ in 0..count {
                    client.tickets().create().body(new_ticket()).send().await?;
                }
                Ok(())
            })
        }
        "handwritten" => {
            let client = Handwritten::new(&server.base_url())?;
            runtime.block_on(async {
                for _ in 0..count {
                    client.create_ticket(&new_ticket()).await?;
                }
                Ok(())
            })
        }
        other => Err(format!("unknown client {other:?}: use generated or handwritten").into()),
    }
}
