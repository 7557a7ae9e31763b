//! What a user does in the browser, as a user does it: fields found by their label's text,
//! buttons and links by their words, keys pressed, dates typed; and what the user sees (the
//! heading, the focused element, no horizontal scrolling).

use std::time::{Duration, Instant};

use crate::chromium::page_widths;
use fantoccini::actions::{InputSource, KeyAction, KeyActions};
use fantoccini::elements::Element;
use fantoccini::{Client, Locator};

/// `text` as an XPath string literal (XPath 1.0 has no escapes: quote with what it lacks).
pub fn literal(text: &str) -> String {
    if !text.contains('\'') {
        format!("'{text}'")
    } else if !text.contains('"') {
        format!("\"{text}\"")
    } else {
        let parts: Vec<String> = text.split('\'').map(|p| format!("'{p}'")).collect();
        format!("concat({})", parts.join(", \"'\", "))
    }
}

/// The element at `xpath`, waited for (up to 10 s): after a click the next page may not have
/// loaded yet.
pub async fn find(client: &Client, xpath: &str, what: &str) -> Element {
    client
        .wait()
        .at_most(std::time::Duration::from_secs(10))
        .for_element(Locator::XPath(xpath))
        .await
        .unwrap_or_else(|e| panic!("{what} is on the page ({xpath}): {e}"))
}

pub async fn text_of(element: &Element) -> String {
    element.text().await.expect("an element's text")
}

/// The form control labelled `label` (the label's whole text), through the label's `for`.
pub async fn field(client: &Client, label: &str) -> Element {
    let xpath = format!("//label[normalize-space()={}]", literal(label));
    let id = find(client, &xpath, &format!("the label {label:?}"))
        .await
        .attr("for")
        .await
        .expect("the label's for attribute")
        .unwrap_or_else(|| panic!("the label {label:?} names its control"));
    client
        .find(Locator::Id(&id))
        .await
        .unwrap_or_else(|e| panic!("the control of {label:?} (#{id}): {e}"))
}

/// Types into the field labelled `label`, as a user does.
pub async fn type_into(client: &Client, label: &str, text: &str) {
    let input = field(client, label).await;
    input.clear().await.expect("the field clears");
    input.send_keys(text).await.expect("typing into the field");
    assert_eq!(value(&input).await, text, "{label} holds what was typed");
}

/// Chooses the option with this visible text in the select labelled `label`.
pub async fn choose(client: &Client, label: &str, option: &str) {
    let select = field(client, label).await;
    select
        .select_by(Locator::XPath(&format!(
            ".//option[normalize-space()={}]",
            literal(option)
        )))
        .await
        .unwrap_or_else(|e| panic!("{label} offers {option:?}: {e}"));
    let chosen = client
        .execute(
            "const s = arguments[0]; return s.options[s.selectedIndex].text;",
            vec![serde_json::to_value(&select).expect("an element reference")],
        )
        .await
        .expect("the selected option");
    assert_eq!(chosen.as_str(), Some(option), "{label} shows the choice");
}

/// Sets the date input labelled `label` to an ISO date. A date input is typed in the browser's
/// locale format (month/day/year segments in en-US, day/month/year elsewhere), so typing
/// "2024-05-31" is unreliable; the value is set through the DOM instead, as fantoccini's
/// `Form::set` does, with the events a user's edit fires. The form then submits it as
/// `YYYY-MM-DD`, exactly as a picked date.
pub async fn set_date(client: &Client, label: &str, date: &str) {
    let input = field(client, label).await;
    assert_eq!(input.attr("type").await.unwrap().as_deref(), Some("date"));
    client
        .execute(
            "const i = arguments[0]; i.value = arguments[1];
             i.dispatchEvent(new Event('input', {bubbles: true}));
             i.dispatchEvent(new Event('change', {bubbles: true}));",
            vec![
                serde_json::to_value(&input).expect("an element reference"),
                serde_json::json!(date),
            ],
        )
        .await
        .expect("the date is set");
    assert_eq!(value(&input).await, date, "{label} holds the date");
}

pub async fn value(element: &Element) -> String {
    element
        .prop("value")
        .await
        .expect("the control's value")
        .unwrap_or_default()
}

pub async fn click_button(client: &Client, words: &str) {
    find(
        client,
        &format!("//button[normalize-space()={}]", literal(words)),
        &format!("the {words:?} button"),
    )
    .await
    .click()
    .await
    .unwrap_or_else(|e| panic!("the {words:?} button clicks: {e}"));
}

pub async fn follow_link(client: &Client, words: &str) {
    client
        .find(Locator::LinkText(words))
        .await
        .unwrap_or_else(|e| panic!("a link {words:?}: {e}"))
        .click()
        .await
        .unwrap_or_else(|e| panic!("the link {words:?} clicks: {e}"));
}

/// Waits until the browser is on `path` (a form's redirect or a link's page has loaded).
pub async fn wait_for_path(client: &Client, path: &str) {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let url = client.current_url().await.expect("the current URL");
        let ready = client
            .execute("return document.readyState;", vec![])
            .await
            .expect("the document's state");
        if url.path() == path && ready == "complete" {
            return;
        }
        if Instant::now() >= deadline {
            // A refused form stays on its page and says why.
            let mut errors = Vec::new();
            for e in client.find_all(Locator::Css(".form-error")).await.unwrap() {
                errors.push(text_of(&e).await);
            }
            panic!("expected {path}, still on {url}; errors shown: {errors:?}");
        }
        actix_web::rt::time::sleep(Duration::from_millis(50)).await;
    }
}

pub async fn heading(client: &Client) -> String {
    text_of(&find(client, "//h1", "a heading").await).await
}

/// Presses keys on the keyboard: they go to whatever has the focus, as a user's would.
pub async fn press(client: &Client, keys: &str) {
    let mut actions = KeyActions::new("keyboard".into());
    for key in keys.chars() {
        actions = actions
            .then(KeyAction::Down { value: key })
            .then(KeyAction::Up { value: key });
    }
    client
        .perform_actions(actions)
        .await
        .expect("the keys are pressed");
}

pub async fn focused_id(client: &Client) -> String {
    client
        .active_element()
        .await
        .expect("the focused element")
        .attr("id")
        .await
        .expect("its id")
        .unwrap_or_default()
}

pub async fn no_horizontal_scrolling(client: &Client, what: &str) {
    let (scroll_width, client_width) = page_widths(client).await;
    assert!(
        scroll_width <= client_width,
        "{what}: the page is {scroll_width}px wide in {client_width}px (horizontal scrolling)"
    );
}
