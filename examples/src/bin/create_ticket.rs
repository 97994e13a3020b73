//! Creates a ticket with a file attached.
//!
//! `FRESHSERVICE_DOMAIN=acme FRESHSERVICE_API_KEY=... cargo run -p freshservice-examples --bin create_ticket -- tom@example.com ./screenshot.png "Printer on fire"`
//!
//! This creates a real ticket in the account.

use std::process::ExitCode;

use freshservice::FilePart;
use freshservice_examples::{
    client_from_env, create_ticket_with_attachment, parse_create_ticket_args, NewTicket,
};

#[tokio::main]
async fn main() -> ExitCode {
    let args = match parse_create_ticket_args(std::env::args().skip(1)) {
        Ok(args) => args,
        Err(message) => {
            eprintln!("create_ticket: {message}");
            return ExitCode::from(2);
        }
    };
    let client = match client_from_env() {
        Ok(client) => client,
        Err(message) => {
            eprintln!("create_ticket: {message}");
            return ExitCode::from(2);
        }
    };
    let attachment = match FilePart::from_path(&args.file).await {
        Ok(file) => file,
        Err(err) => {
            eprintln!("create_ticket: {err}");
            return ExitCode::from(2);
        }
    };
    let ticket = NewTicket {
        email: args.email,
        subject: args.subject,
        description: format!(
            "Created by the create_ticket example with {} attached.",
            args.file
        ),
        attachment,
    };
    match create_ticket_with_attachment(&client, ticket).await {
        Ok(ticket) => {
            let files = ticket.attachments.as_ref().map_or(0, Vec::len);
            println!("created ticket #{} with {files} attachment(s)", ticket.id);
            ExitCode::SUCCESS
        }
        Err(err) => {
            eprintln!("create_ticket: {err}");
            ExitCode::FAILURE
        }
    }
}
