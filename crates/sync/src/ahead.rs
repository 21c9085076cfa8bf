//! Pull pages asked for ahead of the writer. Each `sync_pull` response names the next page's
//! request in a header (`X-Sync-Next: <xid> <id> <horizon>`), so the next request goes out as soon
//! as a response starts: the server builds page N+1 while page N crosses the network, is read and
//! is written. Asking for a page one response after another cost a first sync a third of its time.
//!
//! The header is only a hint: the pull loop takes a page from here only if it was asked for with
//! exactly the request the loop computes from the previous page; otherwise (no header, an error,
//! a token that expired) the loop asks itself and starts over from there.

use serde_json::Value;
use tokio::sync::mpsc;
use tokio::task::JoinHandle;

use crate::client::Client;
use crate::error::Result;

/// The header naming the next page's request.
const NEXT: &str = "x-sync-next";

struct Fetched {
    args: Value,
    page: Page,
}

/// A page being read; reading stops when it is dropped unread (a pull that ended or started over).
struct Page(JoinHandle<Result<Value>>);

impl Drop for Page {
    fn drop(&mut self) {
        self.0.abort();
    }
}

pub(crate) struct Ahead {
    pages: mpsc::Receiver<Fetched>,
    asker: JoinHandle<()>,
}

impl Ahead {
    /// Starts asking for pages from `args` on, each as soon as the previous response starts. At
    /// most two pages wait besides the one being written.
    pub(crate) fn start(client: Client, token: String, args: Value) -> Ahead {
        let (tx, pages) = mpsc::channel(1);
        let asker = tokio::spawn(async move {
            let mut args = args;
            loop {
                let started = client.rpc_started("sync_pull", &token, &args).await;
                let next = started.as_ref().ok().and_then(|s| s.header(NEXT)).and_then(|h| next_args(&args, &h));
                let page = Page(tokio::spawn(async move { started?.json().await }));
                if tx.send(Fetched { args: args.clone(), page }).await.is_err() {
                    return;
                }
                match next {
                    Some(next) => args = next,
                    None => return,
                }
            }
        });
        Ahead { pages, asker }
    }

    /// The page asked for with `args`, if it is the next one here; None if it is not (the caller
    /// asks itself), Some(Err) if asking failed.
    pub(crate) async fn take(&mut self, args: &Value) -> Option<Result<Value>> {
        let mut fetched = self.pages.recv().await?;
        if fetched.args != *args {
            return None;
        }
        (&mut fetched.page.0).await.ok()
    }
}

impl Drop for Ahead {
    fn drop(&mut self) {
        self.asker.abort();
        // Queued pages stop being read as they are dropped with the receiver.
    }
}

/// The request for the page after the one asked for with `args`, from the header's value.
fn next_args(args: &Value, header: &str) -> Option<Value> {
    let mut parts = header.split(' ');
    let (xid, id, horizon) = (parts.next()?, parts.next()?, parts.next()?);
    let mut next = args.clone();
    next["after_xid"] = xid.into();
    next["after_id"] = id.into();
    next["horizon"] = horizon.into();
    Some(next)
}

#[cfg(test)]
mod tests {
    use super::next_args;
    use serde_json::json;

    #[test]
    fn the_header_gives_the_next_request_and_a_malformed_one_none() {
        let args = json!({"after_xid": null, "after_id": null, "page_size": 5000, "horizon": null});
        let next = next_args(&args, "812 0192f3a4-0000-7000-8000-000000000001 900");
        assert_eq!(
            next,
            Some(
                json!({"after_xid": "812", "after_id": "0192f3a4-0000-7000-8000-000000000001", "page_size": 5000, "horizon": "900"})
            )
        );
        assert_eq!(next_args(&args, "812 only-two"), None);
        assert_eq!(next_args(&args, ""), None);
    }
}
