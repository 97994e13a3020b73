//! The logic of the example programs in `src/bin/`, written as functions that take a
//! [`Client`] so that the tests in `tests/` can run them against a local server.
//!
//! | program | what it does |
//! | --- | --- |
//! | `open_tickets` | lists the open tickets, page by page until a short page |
//! | `create_ticket` | creates a ticket with a file attached (multipart upload) |
//! | `filtered_assets` | pages through the assets matching a [`Filter`] |
//!
//! Each reads `FRESHSERVICE_DOMAIN` and `FRESHSERVICE_API_KEY` from the environment.

/// The code blocks of the project's README, compiled as doctests so that they stay true.
#[doc = include_str!("../../README.md")]
#[cfg(doctest)]
pub struct ReadmeDoctests;

use chrono::NaiveDate;
use freshservice::types::{Asset, Ticket, TicketCreateForm, TicketPriority, TicketStatus};
use freshservice::{Client, Error, FilePart};
use openapi_client_runtime::filter::Filter;

/// The environment variable holding the account's subdomain (`acme` for
/// `https://acme.freshservice.com`).
pub const DOMAIN_VAR: &str = "FRESHSERVICE_DOMAIN";

/// The environment variable holding the API key.
pub const API_KEY_VAR: &str = "FRESHSERVICE_API_KEY";

/// The most records a page of a plain list can hold.
pub const MAX_PER_PAGE: u32 = 100;

/// Records per page of a filtered list: fixed by the API, `per_page` is not offered.
pub const FILTER_PAGE_SIZE: usize = 30;

/// The last page the API serves for a filtered list.
pub const FILTER_MAX_PAGES: u32 = 40;

/// Builds a client from [`DOMAIN_VAR`] and [`API_KEY_VAR`] in the environment.
pub fn client_from_env() -> Result<Client, String> {
    client_from(|name| std::env::var(name).ok())
}

/// Builds a client from the domain and API key that `lookup` returns for [`DOMAIN_VAR`]
/// and [`API_KEY_VAR`]. `Err` names every setting that is missing or empty, or says why
/// the client cannot be configured (an invalid domain, say).
pub fn client_from(lookup: impl Fn(&str) -> Option<String>) -> Result<Client, String> {
    let value = |name: &str| lookup(name).filter(|value| !value.trim().is_empty());
    let (domain, api_key) = match (value(DOMAIN_VAR), value(API_KEY_VAR)) {
        (Some(domain), Some(api_key)) => (domain, api_key),
        (domain, api_key) => {
            let mut missing = Vec::new();
            if domain.is_none() {
                missing.push(format!(
                    "{DOMAIN_VAR} (your account's subdomain: `acme` for https://acme.freshservice.com)"
                ));
            }
            if api_key.is_none() {
                missing.push(format!(
                    "{API_KEY_VAR} (your API key, from your profile settings)"
                ));
            }
            return Err(format!("set {}", missing.join(" and ")));
        }
    };
    Client::builder()
        .domain(domain.trim())
        .api_key(api_key.trim())
        .build()
        .map_err(|err| err.to_string())
}

/// Lists the tickets whose status is Open, asking for `per_page` tickets a page (at most
/// [`MAX_PER_PAGE`]) and stopping after the first short page.
///
/// The list endpoint has no status parameter, so the status is checked here; without
/// `updated_since` the API lists only tickets created in the last 30 days.
pub async fn open_tickets(client: &Client, per_page: u32) -> Result<Vec<Ticket>, Error> {
    let full_page = usize::try_from(per_page).unwrap_or(usize::MAX);
    let mut open = Vec::new();
    for page in 1..=u32::MAX {
        let tickets = client
            .tickets()
            .list()
            .page(page)
            .per_page(per_page)
            .send()
            .await?;
        let last = tickets.is_empty() || tickets.len() < full_page;
        open.extend(
            tickets
                .into_iter()
                .filter(|ticket| ticket.status == Some(TicketStatus::Open)),
        );
        if last {
            break;
        }
    }
    Ok(open)
}

/// What [`create_ticket_with_attachment`] needs besides the client.
#[derive(Clone, Debug)]
pub struct NewTicket {
    /// The requester's email address (an unknown address creates a requester).
    pub email: String,
    /// The subject line.
    pub subject: String,
    /// The description (HTML is allowed).
    pub description: String,
    /// The file to attach.
    pub attachment: FilePart,
}

/// Creates an open, low-priority ticket with one attachment, sent as
/// `multipart/form-data` (the file goes in the `attachments[]` field).
pub async fn create_ticket_with_attachment(
    client: &Client,
    ticket: NewTicket,
) -> Result<Ticket, Error> {
    let form = TicketCreateForm {
        email: Some(ticket.email),
        subject: Some(ticket.subject),
        description: Some(ticket.description),
        status: Some(TicketStatus::Open.as_i64()),
        priority: Some(TicketPriority::Low.as_i64()),
        attachments: Some(vec![ticket.attachment]),
        ..Default::default()
    };
    client.tickets().create_multipart(form).send().await
}

/// The arguments of `create_ticket`: `<requester-email> <file> [subject]`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CreateTicketArgs {
    /// The requester's email address.
    pub email: String,
    /// The path of the file to attach.
    pub file: String,
    /// The subject line.
    pub subject: String,
}

/// Reads the arguments of `create_ticket` (without the program name).
pub fn parse_create_ticket_args(
    args: impl IntoIterator<Item = String>,
) -> Result<CreateTicketArgs, String> {
    const USAGE: &str = "usage: create_ticket <requester-email> <file> [subject]";
    let mut args = args.into_iter();
    let email = args
        .next()
        .ok_or_else(|| format!("missing the requester's email address; {USAGE}"))?;
    if !email.contains('@') {
        return Err(format!(
            "the first argument {email:?} is not an email address; {USAGE}"
        ));
    }
    let file = args
        .next()
        .ok_or_else(|| format!("missing the file to attach; {USAGE}"))?;
    let subject = args
        .next()
        .unwrap_or_else(|| "Ticket with an attachment".to_owned());
    if let Some(extra) = args.next() {
        return Err(format!("unexpected argument {extra:?}; {USAGE}"));
    }
    Ok(CreateTicketArgs {
        email,
        file,
        subject,
    })
}

/// The assets that [`filtered_assets`] found.
#[derive(Clone, Debug)]
pub struct FilteredAssets {
    /// The matching assets, in the order the API returned them.
    pub assets: Vec<Asset>,
    /// True when the API's last page ([`FILTER_MAX_PAGES`]) was full, so more assets may
    /// match than it serves: narrow the filter to see them.
    pub truncated: bool,
}

/// Pages through the assets matching `filter`: [`FILTER_PAGE_SIZE`] a page, until a short
/// page or page [`FILTER_MAX_PAGES`]. An invalid filter fails before anything is sent.
pub async fn filtered_assets(client: &Client, filter: &Filter) -> Result<FilteredAssets, Error> {
    let query = filter.build()?;
    let mut assets = Vec::new();
    for page in 1..=FILTER_MAX_PAGES {
        let batch = client
            .assets()
            .list()
            .filter(query.clone())
            .page(page)
            .send()
            .await?;
        let full = batch.len() >= FILTER_PAGE_SIZE;
        assets.extend(batch);
        if !full {
            return Ok(FilteredAssets {
                assets,
                truncated: false,
            });
        }
    }
    Ok(FilteredAssets {
        assets,
        truncated: true,
    })
}

/// Reads the arguments of `filtered_assets`, `[state] [created-since]`, into the filter
/// `asset_state:'<state>' AND created_at:>'<created-since>'` (state `IN USE` by default,
/// no date condition without a date).
pub fn parse_asset_args(args: impl IntoIterator<Item = String>) -> Result<Filter, String> {
    const USAGE: &str = "usage: filtered_assets [state] [created-since YYYY-MM-DD]";
    let mut args = args.into_iter();
    let state = args.next().unwrap_or_else(|| "IN USE".to_owned());
    let mut filter = Filter::eq("asset_state", state);
    if let Some(since) = args.next() {
        let date = NaiveDate::parse_from_str(&since, "%Y-%m-%d").map_err(|err| {
            format!("the second argument {since:?} is not a date like 2024-01-31 ({err}); {USAGE}")
        })?;
        filter = filter.and(Filter::gte("created_at", date));
    }
    if let Some(extra) = args.next() {
        return Err(format!("unexpected argument {extra:?}; {USAGE}"));
    }
    Ok(filter)
}
