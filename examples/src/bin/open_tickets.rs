//! Lists the open tickets of a Freshservice account.
//!
//! `FRESHSERVICE_DOMAIN=acme FRESHSERVICE_API_KEY=... cargo run -p freshservice-examples --bin open_tickets`

use std::process::ExitCode;

use freshservice_examples::{client_from_env, open_tickets, MAX_PER_PAGE};

#[tokio::main]
async fn main() -> ExitCode {
    let client = match client_from_env() {
        Ok(client) => client,
        Err(message) => {
            eprintln!("open_tickets: {message}");
            return ExitCode::from(2);
        }
    };
    match open_tickets(&client, MAX_PER_PAGE).await {
        Ok(tickets) => {
            for ticket in &tickets {
                println!(
                    "#{} [{}] {}",
                    ticket.id,
                    ticket
                        .priority
                        .as_ref()
                        .map_or_else(|| "-".to_owned(), ToString::to_string),
                    ticket.subject.as_deref().unwrap_or("(no subject)")
                );
            }
            println!("{} open tickets", tickets.len());
            ExitCode::SUCCESS
        }
        Err(err) => {
            eprintln!("open_tickets: {err}");
            ExitCode::FAILURE
        }
    }
}
