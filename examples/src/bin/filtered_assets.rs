//! Pages through the assets matching a filter built with the typed filter builder.
//!
//! `FRESHSERVICE_DOMAIN=acme FRESHSERVICE_API_KEY=... cargo run -p freshservice-examples --bin filtered_assets -- "IN STOCK" 2024-01-01`

use std::process::ExitCode;

use freshservice_examples::{client_from_env, filtered_assets, parse_asset_args};

#[tokio::main]
async fn main() -> ExitCode {
    let filter = match parse_asset_args(std::env::args().skip(1)) {
        Ok(filter) => filter,
        Err(message) => {
            eprintln!("filtered_assets: {message}");
            return ExitCode::from(2);
        }
    };
    let client = match client_from_env() {
        Ok(client) => client,
        Err(message) => {
            eprintln!("filtered_assets: {message}");
            return ExitCode::from(2);
        }
    };
    match filtered_assets(&client, &filter).await {
        Ok(found) => {
            for asset in &found.assets {
                println!(
                    "{:>6} {}",
                    asset.display_id,
                    asset.name.as_deref().unwrap_or("(unnamed)")
                );
            }
            println!("{} assets", found.assets.len());
            if found.truncated {
                println!("the API serves no more pages: narrow the filter to see the rest");
            }
            ExitCode::SUCCESS
        }
        Err(err) => {
            eprintln!("filtered_assets: {err}");
            ExitCode::FAILURE
        }
    }
}
