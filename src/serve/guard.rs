//! The page's door: which requests are let in. A request must come to the page's own address
//! (`Host` is `127.0.0.1:<port>` or `localhost:<port>`), from the page itself when a browser
//! says where from (`Origin`), and carry the token as the first part of its path. A page
//! elsewhere in the same browser can neither read this one nor drive it: it cannot know the
//! token, and a DNS name rebound to 127.0.0.1 still arrives with its own `Host`.

use tiny_http::{Request, Response};

use super::{Reply, header};

/// Why a request was not let in (or could not be answered), as the status and a plain text.
#[derive(Debug)]
pub(super) enum Refusal {
    /// `Host` or `Origin` names another site.
    ForeignSite,
    /// The path does not start with the token.
    NoToken,
    NotFound,
    /// The body is larger than the limit (bytes).
    TooLarge(u64),
    BadRequest,
}

impl Refusal {
    pub(super) fn reply(&self) -> Reply {
        let (status, text) = match self {
            Refusal::ForeignSite => (403, crate::msg!("serve.foreign_site")),
            Refusal::NoToken => (403, crate::msg!("serve.no_token")),
            Refusal::NotFound => (404, crate::msg!("serve.not_found")),
            Refusal::TooLarge(limit) => {
                let mb = limit / (1024 * 1024);
                (413, crate::msg!("serve.too_large", mb))
            }
            Refusal::BadRequest => (400, crate::msg!("serve.bad_request")),
        };
        Response::from_data(format!("{text}\n").into_bytes())
            .with_status_code(status)
            .with_header(header("Content-Type", "text/plain; charset=utf-8"))
            // A refused request's body may be unread: the connection ends with the answer.
            .with_header(header("Connection", "close"))
    }
}

/// A new token: 32 bytes from the operating system's random source, as hex.
pub(super) fn new_token() -> Result<String, String> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).map_err(|e| crate::msg!("serve.no_random", e))?;
    Ok(crate::builtin::hex(&bytes))
}

/// Lets a request in, returning its route (the path after the token, without the query), or
/// says why not.
pub(super) fn admit<'r>(request: &'r Request, token: &str, port: u16) -> Result<&'r str, Refusal> {
    let value = |name: &'static str| {
        request
            .headers()
            .iter()
            .find(|h| h.field.equiv(name))
            .map(|h| h.value.as_str())
    };
    let own_hosts = [format!("127.0.0.1:{port}"), format!("localhost:{port}")];
    if !value("Host").is_some_and(|host| own_hosts.iter().any(|own| own == host)) {
        return Err(Refusal::ForeignSite);
    }
    if let Some(origin) = value("Origin")
        && !own_hosts
            .iter()
            .any(|own| origin == format!("http://{own}"))
    {
        return Err(Refusal::ForeignSite);
    }
    route(request.url(), token).ok_or(Refusal::NoToken)
}

/// The route of a request's path `/<token>/<route>?<query>`, when it starts with the token.
pub(super) fn route<'u>(url: &'u str, token: &str) -> Option<&'u str> {
    let path = url.split(['?', '#']).next().unwrap_or("");
    let rest = path.strip_prefix('/')?;
    let (given, route) = rest.split_once('/')?;
    same(given.as_bytes(), token.as_bytes()).then_some(route)
}

/// Whether two byte strings are equal, in a time that does not tell how much of them agrees.
fn same(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_route_is_what_follows_the_token() {
        let token = "abc123";
        assert_eq!(route("/abc123/", token), Some(""));
        assert_eq!(route("/abc123/report.pdf?x=1", token), Some("report.pdf"));
        assert_eq!(route("/abc124/", token), None);
        assert_eq!(route("/abc123", token), None);
        assert_eq!(route("/", token), None);
        assert_eq!(route("/abc12/3/", token), None);
    }

    #[test]
    fn tokens_are_long_and_differ() {
        let (a, b) = (new_token().unwrap(), new_token().unwrap());
        assert_eq!(a.len(), 64);
        assert_ne!(a, b);
    }
}
