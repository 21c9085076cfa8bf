//! The push half of a sync cycle: the outbox goes to `sync_push` in batches, parents' tables first.
//! While the server works on one batch, the next is read from the outbox, so reading it and the
//! server's work run side by side; it is sent once the answer before it is recorded. Each batch is
//! recorded before it is sent (`Store::record_push`) until its answer is: one whose answer was lost
//! (a dropped connection, a crash) goes again first, exactly as it was — read afresh, it would get
//! new numbers and stale bases, and an edit made meanwhile would come back as a conflict with the
//! rep's own earlier value.

use std::collections::HashSet;
use std::sync::Arc;

use outpost_core::sync_local::{Outcome, Pending};
use outpost_core::Store;
use serde_json::{json, Map, Value};
use tokio::task::JoinHandle;

use crate::engine::{Engine, Progress, Report};
use crate::error::{Error, Result};

/// Changes per push request. Halved (down to [`MIN_PUSH_BATCH`]) when the server's statement timeout
/// cuts a batch short: changes that take the server's slow path (e.g. inserts re-sent after a lost
/// answer) cost several milliseconds each, and Supabase stops an API statement after 8 s.
pub const PUSH_BATCH: usize = 1000;
const MIN_PUSH_BATCH: usize = 25;
/// Syncs in a row the server may give up on a change sent alone before it is rejected here.
const TIMEOUT_STRIKES: u32 = 3;
/// Bytes of changes per push request: a batch of large rows (long notes, email bodies) is cut
/// short rather than sent as one huge request. Halved when a proxy refuses a request as too large
/// (413).
pub const PUSH_MAX_BYTES: usize = 4 << 20;

/// A batch sent, its answer not read yet.
struct Flight {
    args: Arc<Value>,
    rows: HashSet<(String, String)>,
    /// A recorded batch sent again (it may have been applied the first time).
    resent: bool,
    task: JoinHandle<Result<Value>>,
}

impl Flight {
    fn changes(&self) -> &[Value] {
        self.args["changes"].as_array().map_or(&[][..], Vec::as_slice)
    }
}

impl Engine {
    /// Pushes the whole outbox; returns the server transaction of the last batch (the pull that
    /// follows must pass it to read the rep's own writes).
    pub(crate) async fn push(
        &self,
        store: &mut Store,
        report: &mut Report,
        progress: &mut impl FnMut(Progress),
    ) -> Result<Option<u64>> {
        let mut client_id = store.client_id()?;
        let mut renewed = false;
        let mut last_xid: Option<u64> = None;
        let (mut batch_size, mut max_bytes) = (PUSH_BATCH, PUSH_MAX_BYTES);
        let (mut sent, mut stop, mut stalled) = (None, false, 0);
        loop {
            let mut flight = match sent.take() {
                Some(f) => f,
                // The rep is still typing (see `stalled`): the rest goes in a cycle moments from now,
                // which a stamp no database has asks for.
                None if stop => {
                    report.edit_stamp = Some(i64::MIN);
                    break;
                }
                // A batch whose answer was lost (or what is left of it) goes first, exactly as it
                // was sent: it may have been applied.
                None => match store.push_in_flight()? {
                    Some(args) => self.launch(struck_first(store, &client_id, args)?, true).await?,
                    None => match read_batch(store, &client_id, batch_size, &HashSet::new(), max_bytes)? {
                        (None, stamp) => {
                            report.edit_stamp = Some(stamp);
                            break;
                        }
                        (Some(args), _) => {
                            store.record_push(&args)?;
                            self.launch(args, false).await?
                        }
                    },
                },
            };
            // The next batch, read while the server works on this one. If that fails (e.g. the
            // database is busy), the answer is still awaited and recorded; the loop reads again.
            // Not while a recorded batch goes again: its rows must not be read afresh meanwhile.
            // Its request body is built now too (it does not depend on this batch's answer).
            let ahead = if stop || flight.resent {
                Ok(None)
            } else {
                read_batch(store, &client_id, batch_size, &flight.rows, max_bytes).map(|(args, _)| args)
            };
            let mut resp = match self.answer(&mut flight).await {
                // A batch sent again timed out (on the server or here) or was too large: its first
                // half goes alone, with its numbers (the rest stays recorded). Whether the first
                // sending was applied is unknown, so it is never read afresh.
                Err(e)
                    if flight.resent
                        && flight.changes().len() > 1
                        && (statement_timeout(&e) || proxy_too_large(&e) || matches!(e, Error::TimedOut)) =>
                {
                    let changes = flight.changes();
                    let half = json!({"client_id": client_id, "changes": changes[..changes.len() / 2]});
                    sent = Some(self.launch(half, true).await?);
                    continue;
                }
                // The whole batch was rolled back; the same changes go again in smaller batches (the
                // batch read ahead was only renumbered: it is read again).
                Err(e) if statement_timeout(&e) && flight.changes().len() > MIN_PUSH_BATCH => {
                    store.forget_push()?;
                    batch_size = (flight.changes().len() / 2).max(MIN_PUSH_BATCH);
                    tracing::warn!(batch_size, "push batch hit the server's statement timeout; smaller batches");
                    continue;
                }
                // Too large for a proxy on the way: nothing reached the server. Fewer bytes per
                // batch; a single change still too large is rejected (kept in the rejected list,
                // where the rep can shorten it and retry) instead of stopping every later sync —
                // also one sent again (if its first sending was applied, the rejection's refetch
                // brings the server's copy back).
                Err(e) if proxy_too_large(&e) => {
                    let changes = flight.changes();
                    // (A resent batch of several changes was split above.)
                    if changes.len() > 1 {
                        store.forget_push()?;
                        max_bytes = (json_len(&flight.args) / 2).max(1);
                        tracing::warn!(max_bytes, "push batch too large for the server; smaller batches");
                        continue;
                    }
                    give_up(store, report, changes.iter().map(too_large).collect(), changes)?;
                    continue;
                }
                // A change the server gives up on even alone cannot be split further, and would
                // hold every later change back for good: after TIMEOUT_STRIKES syncs in a row it
                // goes to the rejected list (as a change too large does), where the rep can retry it.
                // Only the server's own timeout counts: it rolled the change back, and a timeout here
                // may be the network's.
                Err(e) if flight.changes().len() == 1 && statement_timeout(&e) => {
                    let change = &flight.changes()[0];
                    let strikes = store.push_timed_out(&change_key(change))?;
                    if strikes < TIMEOUT_STRIKES {
                        return Err(e);
                    }
                    let reason = format!(
                        "the server gave up on this change {strikes} times in a row (it took longer than the server \
                         allows one request); other changes went on without it"
                    );
                    give_up(store, report, vec![local_rejection(change, "57014", reason)], flight.changes())?;
                    continue;
                }
                // Another copy of this database syncs under the same identity, and the server
                // has its changes under these numbers: this copy takes a new identity and sends its
                // changes afresh (the batch read ahead carried the old one, so it is read again).
                Err(Error::Api { status: 409, code, .. }) if code == "PT409" && !renewed => {
                    client_id = store.renew_client_id()?;
                    renewed = true;
                    tracing::warn!(
                        "this database is a copy of another that syncs; it now syncs as a device of its own"
                    );
                    continue;
                }
                Err(e) => {
                    if refused(&e, flight.resent) {
                        store.forget_push()?;
                    }
                    return Err(e);
                }
                Ok(resp) => resp,
            };
            let outcomes: Vec<Outcome> = serde_json::from_value(resp["results"].take()).map_err(|e| Error::Api {
                status: 200,
                code: "bad_response".into(),
                message: e.to_string(),
            })?;
            last_xid = resp["xid"].as_str().and_then(|x| x.parse().ok()).or(last_xid);
            let acked = store.acknowledge(&outcomes, flight.changes())?;
            // A change put off to the end of the outbox is progress too, not an edit made meanwhile.
            let gone = acked.left + acked.retried;
            tracing::debug!(changes = outcomes.len(), xid = ?last_xid, resent = flight.resent, "push batch answered");
            // A change that goes again at the end of the outbox is counted by its last answer.
            report.pushed += outcomes.len() - acked.retried;
            for o in &outcomes {
                match o.status.as_str() {
                    "applied" => report.applied += 1,
                    "conflict" => report.conflicts += 1,
                    _ => report.rejected += 1,
                }
            }
            report.rejected -= acked.retried;
            // None of the batch left the outbox: every entry was edited again while in flight (and
            // rebased on what was sent). Once is normal — the newer edits go next; twice running,
            // the rep is still typing, and the next cycle takes the rest.
            stalled = if gone == 0 { stalled + 1 } else { 0 };
            stop = stalled >= 2;
            match ahead {
                Ok(Some(args)) if !stop => {
                    store.record_push(&args)?;
                    sent = Some(self.launch(args, false).await?);
                }
                Ok(_) => {}
                Err(e) => tracing::warn!(error = %e, "could not read the next push batch ahead; reading it again"),
            }
            // Counted once the next batch is on its way (counting a million entries takes ~7 ms).
            let left = store.pending_count()? as usize;
            progress(Progress::Pushing { sent: report.pushed, pending: left });
        }
        Ok(last_xid)
    }

    /// Sends a batch (recorded first with `Store::record_push`). Takes no store: it cannot be held
    /// across the request (the cycle's future must stay `Send` for the app).
    async fn launch(&self, args: Value, resent: bool) -> Result<Flight> {
        let rows = args["changes"]
            .as_array()
            .map(|changes| {
                changes
                    .iter()
                    .filter_map(|c| Some((c["table"].as_str()?.to_string(), c["id"].as_str()?.to_string())))
                    .collect()
            })
            .unwrap_or_default();
        let args = Arc::new(args);
        let (client, token, body) = (self.client().clone(), self.session().await?.access_token, args.clone());
        Ok(Flight {
            rows,
            resent,
            task: tokio::spawn(async move { client.rpc("sync_push", &token, &body).await }),
            args,
        })
    }

    /// The server's answer to a batch. Sent again (same sequence numbers: the server answers a
    /// replay from what it recorded) when the token had expired meanwhile or the task died.
    async fn answer(&self, flight: &mut Flight) -> Result<Value> {
        match (&mut flight.task).await {
            Ok(Err(e)) if !e.is_unauthorized() => Err(e),
            Ok(Ok(v)) => Ok(v),
            _ => self.call("sync_push", &flight.args).await,
        }
    }
}

/// The next batch's request body: pending changes (but those of rows in `skip`), up to `limit` and
/// about `max_bytes` of JSON (at least one change); None when nothing is pending. With it, the
/// local edit stamp as the read left it.
fn read_batch(
    store: &mut Store,
    client_id: &str,
    limit: usize,
    skip: &HashSet<(String, String)>,
    max_bytes: usize,
) -> outpost_core::Result<(Option<Value>, i64)> {
    let mut budget = Budget { max_bytes, bytes: 0, changes: Vec::new() };
    let (_, stamp) = store.pending_within(limit, skip, &mut |p| budget.take(change_json(p)))?;
    let changes = budget.changes;
    Ok(((!changes.is_empty()).then(|| json!({"client_id": client_id, "changes": changes})), stamp))
}

/// Changes taken into a batch while they fit in its bytes (the first always does).
struct Budget {
    max_bytes: usize,
    bytes: usize,
    changes: Vec<Value>,
}

impl Budget {
    fn take(&mut self, change: Value) -> bool {
        let n = json_len(&change) + 1;
        let fits = self.changes.is_empty() || self.bytes + n <= self.max_bytes;
        if fits {
            self.bytes += n;
            self.changes.push(change);
        }
        fits
    }
}

/// The server's statement timeout cut the batch short (it was rolled back).
fn statement_timeout(e: &Error) -> bool {
    matches!(e, Error::Api { code, .. } if code == "57014")
}

/// A 413 from a proxy on the way (no SQLSTATE): the server never saw the batch. PostgREST 12.0
/// also answers 413 for the server's own 54xxx errors; those carry their code and are errors.
fn proxy_too_large(e: &Error) -> bool {
    matches!(e, Error::Api { status: 413, code, .. } if code.is_empty())
}

/// The length of `v` as JSON text, without building the text.
fn json_len(v: &Value) -> usize {
    struct Count(usize);
    impl std::io::Write for Count {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            self.0 += buf.len();
            Ok(buf.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }
    let mut n = Count(0);
    // Writing a Value to a sink that cannot fail cannot fail.
    let _ = serde_json::to_writer(&mut n, v);
    n.0
}

/// The answer the server would give a change refused as too large, had it seen it.
fn too_large(change: &Value) -> Outcome {
    let reason = format!(
        "too large for the server: this change alone is {} KB, more than the server accepts in one request",
        json_len(change).div_ceil(1024)
    );
    local_rejection(change, "413", reason)
}

/// Records changes given up here (`outcomes`, one per change of `sent`) as rejected, as if the
/// server had answered so: they go to the rejected list, where the rep can retry them.
fn give_up(store: &mut Store, report: &mut Report, outcomes: Vec<Outcome>, sent: &[Value]) -> Result<()> {
    store.acknowledge(&outcomes, sent)?;
    report.pushed += outcomes.len();
    report.rejected += outcomes.len();
    Ok(())
}

/// A change given up here, answered as the server answers one it rejects.
fn local_rejection(change: &Value, code: &str, reason: String) -> Outcome {
    Outcome {
        seq: change["seq"].as_i64().unwrap_or_default(),
        table: change["table"].as_str().unwrap_or_default().to_string(),
        id: change["id"].as_str().unwrap_or_default().to_string(),
        status: "rejected".into(),
        version: None,
        at_base: false,
        conflicts: Vec::new(),
        code: Some(code.into()),
        reason: Some(reason),
    }
}

/// A recorded batch whose first change the server last gave up on alone: that change goes alone
/// first again (with its number, as a half does), instead of the batch being halved down to it.
fn struck_first(store: &Store, client_id: &str, args: Value) -> Result<Value> {
    let changes = args["changes"].as_array().map_or(&[][..], Vec::as_slice);
    match changes.first() {
        Some(first) if changes.len() > 1 && store.push_timeouts(&change_key(first))? > 0 => {
            Ok(json!({"client_id": client_id, "changes": [first]}))
        }
        _ => Ok(args),
    }
}

/// One change as sent: its table, row and number.
fn change_key(change: &Value) -> String {
    let text = |k: &str| change[k].as_str().unwrap_or_default().to_string();
    format!("{}/{}/{}", text("table"), text("id"), change["seq"].as_i64().unwrap_or_default())
}

/// The server answered and refused the batch: its transaction was rolled back, nothing applied.
/// (5xx may come from a proxy that lost the answer of a batch that was applied; 401 is retried.)
/// A batch sent again may have been applied the first time: it is forgotten only when refused for
/// what it holds (400, 413), which refused the first sending too.
fn refused(e: &Error, resent: bool) -> bool {
    match e {
        Error::Api { status, .. } if resent => [400, 413].contains(status),
        Error::Api { status, .. } => (400..500).contains(status) && ![401, 408, 429].contains(status),
        _ => false,
    }
}

/// A pending change in the push function's wire format.
pub fn change_json(p: &Pending) -> Value {
    let mut c = json!({"seq": p.seq, "table": p.table, "id": p.row_id, "op": p.op, "base_version": p.base_version});
    match (p.op.as_str(), &p.row) {
        ("insert", Some(row)) => {
            let mut row = row.clone();
            row.remove("version");
            c["row"] = Value::Object(row);
        }
        // Gone from this laptop altogether (not a soft delete): nothing of it to send but the delete.
        (_, None) => c["fields"] = json!({}),
        (_, Some(row)) => {
            let mut fields = Map::new();
            for (col, base) in &p.bases {
                let new = row.get(col).cloned().unwrap_or(Value::Null);
                if &new != base {
                    fields.insert(col.clone(), json!({"base": base, "new": new}));
                }
            }
            // The rep deleted the row: sent as a delete, so the server can tell if someone edited it
            // meanwhile (a conflict) instead of merging deleted_at like any other field. Edits made
            // before the delete go with it (the server writes them first), or a restore would bring
            // the old values back.
            let deleted = fields.get("deleted_at").is_some_and(|f| f["base"].is_null() && !f["new"].is_null());
            if p.op == "update" && deleted {
                fields.remove("deleted_at");
                c["op"] = json!("delete");
            }
            c["fields"] = Value::Object(fields);
        }
    }
    // The change's fingerprint, kept by the server with its result: a change sent again carries the
    // one it was first sent with (batches are recorded whole), while another copy of this database
    // sending other changes under the same numbers is told apart. Any hash serves: it is compared,
    // never recomputed.
    let mut hasher = std::hash::DefaultHasher::new();
    std::hash::Hash::hash(&c.to_string(), &mut hasher);
    c["fp"] = json!(format!("{:016x}", std::hash::Hasher::finish(&hasher)));
    c
}

#[cfg(test)]
mod tests {
    use super::{change_json, json_len, Budget};
    use outpost_core::sync_local::Pending;
    use serde_json::json;

    /// A row deleted from this laptop altogether sends only the delete (its edited columns are not
    /// there to send: sending them as null would blank them on the server); a soft-deleted row's
    /// earlier edits go with its delete, a fingerprint with every change.
    #[test]
    fn a_delete_carries_the_edits_it_has() {
        let bases = |v: serde_json::Value| v.as_object().cloned().unwrap_or_default();
        let pending = |row: Option<serde_json::Value>| Pending {
            seq: 7,
            table: "leads".into(),
            row_id: "l1".into(),
            op: if row.is_some() { "update".into() } else { "delete".into() },
            base_version: Some(2),
            row: row.and_then(|r| r.as_object().cloned()),
            bases: bases(json!({"first_name": "Ana", "deleted_at": null})),
        };
        let gone = change_json(&pending(None));
        assert_eq!((gone["op"].clone(), gone["fields"].clone()), (json!("delete"), json!({})));
        let soft =
            change_json(&pending(Some(json!({"first_name": "Anna", "deleted_at": "2026-11-27T09:00:00.000000Z"}))));
        assert_eq!(soft["op"], "delete");
        assert_eq!(soft["fields"], json!({"first_name": {"base": "Ana", "new": "Anna"}}));
        assert!(soft["fp"].as_str().is_some_and(|fp| fp.len() == 16), "{soft}");
    }

    #[test]
    fn a_batch_takes_changes_while_they_fit_in_its_bytes_and_never_none() {
        let change = |i: usize| json!({"seq": i, "row": {"notes": "n".repeat(1000)}});
        let mut budget = Budget { max_bytes: 3500, bytes: 0, changes: Vec::new() };
        let taken: Vec<bool> = (0..5).map(|i| budget.take(change(i))).collect();
        assert_eq!(taken, [true, true, true, false, false]);
        assert!(budget.bytes <= 3500 && budget.bytes == 3 * (json_len(&change(1)) + 1));
        let mut tiny = Budget { max_bytes: 10, bytes: 0, changes: Vec::new() };
        assert!(tiny.take(change(0)), "one change always goes, however large");
        assert!(!tiny.take(change(1)));
    }
}
