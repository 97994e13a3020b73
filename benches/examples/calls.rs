//! Sends N calls, `GET /tickets?per_page=100` (a page of 100 tickets) or `POST /tickets`,
//! through one client to the loopback server and exits: a steady workload to count
//! instructions with, e.g.
//!
//! ```text
//! cargo build --release -p benches --example calls
//! valgrind --tool=callgrind --separate-threads=yes target/release/examples/calls generated post 900
//! ```
//!
//! Run it for `generated` and `handwritten`, at two counts, and divide the difference of the
//! client thread's totals (`callgrind.out.<pid>-01`) by the difference of the counts: the
//! instructions one call costs, free of set-up.

use std::process::ExitCode;

use benches::{
    created_body, generated_client, new_ticket, openapi_client_runtime, page_body, Bodies,
    BoxError, Handwritten, Server,
};

fn main() -> ExitCode {
    let mut args = std::env::args().skip(1);
    let (Some(client), Some(call), Some(count)) = (args.next(), args.next(), args.next()) else {
        eprintln!("usage: calls generated|handwritten get|post COUNT");
        return ExitCode::FAILURE;
    };
    match run(&client, &call, &count) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("calls: {error}");
            ExitCode::FAILURE
        }
    }
}

fn run(client: &str, call: &str, count: &str) -> Result<(), BoxError> {
    let get = match call {
        "get" => true,
        "post" => false,
        other => return Err(format!("unknown call {other:?}: use get or post").into()),
    };
    let count: u32 = count
        .parse()
        .map_err(|_| format!("COUNT must be a whole number, not {count:?}"))?;
    let server = Server::start(Bodies {
        page: page_body(100),
        last_page: 1,
        created: created_body(),
    })?;
    let runtime = openapi_client_runtime()?;
    match client {
        "generated" => {
            let client = generated_client(&server.base_url())?;
            runtime.block_on(async {
                for _ in 0..count {
                    if get {
                        client.tickets().list().per_page(100).send().await?;
                    } else {
                        client.tickets().create(new_ticket()).send().await?;
                    }
                }
                Ok(())
            })
        }
        "handwritten" => {
            let client = Handwritten::new(&server.base_url())?;
            runtime.block_on(async {
                for _ in 0..count {
                    if get {
                        client.list_tickets(100).await?;
                    } else {
                        client.create_ticket(&new_ticket()).await?;
                    }
                }
                Ok(())
            })
        }
        other => Err(format!("unknown client {other:?}: use generated or handwritten").into()),
    }
}
