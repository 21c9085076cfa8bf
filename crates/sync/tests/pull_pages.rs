//! Pull pages sized to their rows.
#![allow(clippy::unwrap_used, clippy::expect_used)]
mod common;

use common::*;

/// Large rows (a call's transcript, a document's text): a page the server gives up on (its statement
/// timeout, here every page over 100 rows) is asked for again with fewer rows, and the pages after
/// it are sized to their rows — instead of the same timeout at every sync, for good.
#[tokio::test]
async fn a_page_too_large_for_the_server_is_asked_for_with_fewer_rows() {
    let (s, org) = team(1);
    s.sql(&format!(
        "INSERT INTO leads (id, organization_id, first_name, notes)
         SELECT gen_random_uuid(), '{org}', 'Lead ' || g, repeat(md5(g::text), 3000) FROM generate_series(1, 400) g"
    ))
    .unwrap();
    s.faults().time_out_pulls_over(100);
    let mut ana = rep(&s, 0).await;
    let mut pages = 0;
    let report = ana
        .engine
        .sync_once(&mut ana.store, |p| pages += usize::from(matches!(p, outpost_sync::Progress::Pulling { .. })))
        .await
        .unwrap();
    assert!(report.pulled >= 400, "{report:?}");
    // 5,000, 1,250 and 312 rows timed out; 78-row pages (~7.5 MB of notes each) brought the rest.
    assert!((6..=8).contains(&pages), "{pages} pages");
    assert_eq!(ana.leads(), server_leads(&s, org));
    assert_eq!(ana.sync().await.pulled, 0);
}

/// After a page size failed, the pull does not go back up to it: small rows after large ones (or a
/// server that is slow today) would otherwise cost a timeout for every page.
#[tokio::test]
async fn a_page_size_that_failed_is_not_asked_for_again_in_the_same_pull() {
    let (s, org) = team(1);
    s.sql(&format!(
        "INSERT INTO leads (id, organization_id, first_name) SELECT gen_random_uuid(), '{org}', 'Lead ' || g FROM generate_series(1, 2000) g"
    ))
    .unwrap();
    s.faults().time_out_pulls_over(100);
    let mut ana = rep(&s, 0).await;
    let report = ana.sync().await;
    assert!(report.pulled >= 2000, "{report:?}");
    // 5,000, 1,250, 312 and 156 rows (twice the 78 that worked, under the first ceiling) timed out;
    // then pages of at most 78 rows. Growing back to 5,000 after each page would time out ~3 times
    // for each of the ~25 pages.
    assert!(s.faults().pulls_timed_out() <= 5, "{} pulls timed out", s.faults().pulls_timed_out());
    assert_eq!(ana.leads(), server_leads(&s, org));
}
