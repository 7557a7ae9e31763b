//! Pages of a long workspace list: a fixed page size, previous and next links that keep the
//! list's query, no JavaScript. The list's own order must be stable for the pages to be.

use std::ops::Range;

use maud::{Markup, html};

/// Rows per page of the workspace's long lists (vendors, intake requests, the admin lists).
pub const PAGE_SIZE: usize = 50;

/// Where a reader is in a list of `total` rows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Pager {
    /// From 1, never past the last page.
    pub page: usize,
    pub per_page: usize,
    pub total: usize,
}

impl Pager {
    /// The page asked for as typed in the URL: a page past the end shows the last one, anything
    /// that is not a page number the first.
    pub fn new(asked: &str, per_page: usize, total: usize) -> Self {
        let per_page = per_page.max(1);
        let pages = total.div_ceil(per_page).max(1);
        let page = asked.trim().parse::<usize>().unwrap_or(1).clamp(1, pages);
        Pager {
            page,
            per_page,
            total,
        }
    }

    pub fn pages(&self) -> usize {
        self.total.div_ceil(self.per_page).max(1)
    }

    /// The rows of this page, as indexes into the whole list.
    pub fn rows(&self) -> Range<usize> {
        let start = (self.page - 1) * self.per_page;
        start.min(self.total)..(start + self.per_page).min(self.total)
    }

    /// The offset of this page's first row (for a query's OFFSET).
    pub fn offset(&self) -> i64 {
        ((self.page - 1) * self.per_page) as i64
    }

    /// This page's LIMIT and OFFSET.
    pub fn window(&self) -> (i64, i64) {
        (self.per_page as i64, self.offset())
    }

    /// The page (as typed in a URL) that holds the row at `index` (from 0) of a list.
    pub fn page_of(index: usize, per_page: usize) -> String {
        (index / per_page.max(1) + 1).to_string()
    }
}

/// Which page of a list to show: the one asked for, or the one that holds a row just changed
/// (so that its notice and its row are in view).
pub enum Shown<Id> {
    /// As typed in the URL.
    Asked(String),
    /// The page that holds this row (the first when there is no such row).
    Holding(Id),
}

impl<Id> Shown<Id> {
    /// The page asked for, as [`Pager::new`] takes it; `position` finds a row's index in the
    /// list's order.
    pub fn page<E>(
        self,
        per_page: usize,
        position: impl FnOnce(Id) -> Result<Option<i64>, E>,
    ) -> Result<String, E> {
        Ok(match self {
            Shown::Asked(page) => page,
            Shown::Holding(id) => position(id)?
                .map(|at| Pager::page_of(at as usize, per_page))
                .unwrap_or_default(),
        })
    }
}

/// The value of `name` in a query string, as typed; empty when absent (the first page).
pub fn asked(query: &str, name: &str) -> String {
    serde_urlencoded::from_str::<Vec<(String, String)>>(query)
        .unwrap_or_default()
        .into_iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v)
        .unwrap_or_default()
}

/// The query that keeps the other lists of a page where they are (`name=page` for each one not
/// on its first page), for the links of one list among several.
pub fn others(pagers: &[(&str, &Pager)]) -> String {
    pagers
        .iter()
        .filter(|(_, p)| p.page > 1)
        .map(|(name, p)| format!("{name}={}", p.page))
        .collect::<Vec<_>>()
        .join("&")
}

/// `base` with `query` (without a page) and `page`, the first page without it.
pub fn page_link(base: &str, query: &str, page: usize) -> String {
    page_link_as(base, query, "page", page)
}

/// `page_link` for a list whose page is in the parameter `name`: one of several lists on a page.
pub fn page_link_as(base: &str, query: &str, name: &str, page: usize) -> String {
    let mut q = query.to_string();
    if page > 1 {
        if !q.is_empty() {
            q.push('&');
        }
        q.push_str(&format!("{name}={page}"));
    }
    if q.is_empty() {
        base.to_string()
    } else {
        format!("{base}?{q}")
    }
}

/// The previous and next links of `pager`, labelled for the list (`what`: "vendors").
pub fn pager_nav(pager: &Pager, what: &str, link: impl Fn(usize) -> String) -> Markup {
    nav(pager, what, "", link)
}

/// [`pager_nav`] repeated after a long list: the same links, under a name of its own (two
/// navigation landmarks must not share one).
pub fn pager_nav_below(pager: &Pager, what: &str, link: impl Fn(usize) -> String) -> Markup {
    nav(pager, what, ", below the list", link)
}

fn nav(pager: &Pager, what: &str, place: &str, link: impl Fn(usize) -> String) -> Markup {
    let rows = pager.rows();
    html! {
        @if pager.pages() > 1 {
            nav.pagination aria-label={ "Pages of the " (what) (place) } {
                @if pager.page > 1 {
                    a href=(link(pager.page - 1)) rel="prev" { "← Previous page" }
                }
                span { "Page " (pager.page) " of " (pager.pages()) " (" (what) " " (rows.start + 1) "–" (rows.end) " of " (pager.total) ")" }
                @if pager.page < pager.pages() {
                    a href=(link(pager.page + 1)) rel="next" { "Next page →" }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_are_clamped_and_cover_every_row_once() {
        let p = Pager::new("2", 50, 120);
        assert_eq!((p.page, p.pages(), p.rows()), (2, 3, 50..100));
        assert_eq!(Pager::new("9", 50, 120).rows(), 100..120);
        assert_eq!(Pager::new("x", 50, 120).page, 1);
        assert_eq!(Pager::new("0", 50, 120).page, 1);
        let empty = Pager::new("3", 50, 0);
        assert_eq!((empty.page, empty.pages(), empty.rows()), (1, 1, 0..0));
        let covered: usize = (1..=3)
            .map(|n| Pager::new(&n.to_string(), 50, 120).rows().len())
            .sum();
        assert_eq!(covered, 120);
    }

    #[test]
    fn links_keep_the_query() {
        assert_eq!(page_link("/w", "", 1), "/w");
        assert_eq!(page_link("/w", "q=a", 1), "/w?q=a");
        assert_eq!(page_link("/w", "q=a", 3), "/w?q=a&page=3");
        assert_eq!(page_link("/w", "", 2), "/w?page=2");
        assert_eq!(
            page_link_as("/w", "page=2", "b_page", 3),
            "/w?page=2&b_page=3"
        );
        assert_eq!(page_link_as("/w", "page=2", "b_page", 1), "/w?page=2");
    }

    #[test]
    fn several_lists_keep_each_other_where_they_are() {
        let (a, b) = (Pager::new("2", 50, 120), Pager::new("1", 50, 120));
        assert_eq!(others(&[("a_page", &a), ("b_page", &b)]), "a_page=2");
        assert_eq!(asked("done=x&b_page=3", "b_page"), "3");
        assert_eq!(asked("done=x", "b_page"), "");
        assert_eq!(Pager::page_of(0, 50), "1");
        assert_eq!(Pager::page_of(49, 50), "1");
        assert_eq!(Pager::page_of(50, 50), "2");
    }
}
