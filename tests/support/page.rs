//! Reading the workspace's HTML as a browser reads it: hidden fields, the fields a form would
//! submit.

/// The value of the hidden input named `name`.
pub fn hidden(html: &str, name: &str) -> String {
    let marker = format!("name=\"{name}\" value=\"");
    let start = html
        .find(&marker)
        .unwrap_or_else(|| panic!("no hidden {name}"))
        + marker.len();
    html[start..start + html[start..].find('"').unwrap()].to_string()
}

/// What a browser would submit for the form posting to `action` on a page, untouched: its
/// inputs (checked boxes only), selected options and textareas, in document order.
pub fn form_fields(html: &str, action: &str) -> Vec<(String, String)> {
    use scraper::{Html, Selector};
    let page = Html::parse_document(html);
    let form_selector = Selector::parse(&format!("form[action=\"{action}\"]")).unwrap();
    let form = page
        .select(&form_selector)
        .next()
        .unwrap_or_else(|| panic!("no form posting to {action}"));
    let controls = Selector::parse("input, select, textarea").unwrap();
    let selected = Selector::parse("option[selected]").unwrap();
    let first = Selector::parse("option").unwrap();
    let mut fields = Vec::new();
    for control in form.select(&controls) {
        let el = control.value();
        let Some(name) = el.attr("name") else {
            continue;
        };
        let value = match el.name() {
            "select" => control
                .select(&selected)
                .next()
                .or_else(|| control.select(&first).next())
                .and_then(|o| o.value().attr("value"))
                .unwrap_or("")
                .to_string(),
            "textarea" => control.text().collect(),
            _ => match el.attr("type") {
                Some("checkbox" | "radio") if el.attr("checked").is_none() => continue,
                Some("submit" | "button") => continue,
                _ => el.attr("value").unwrap_or("").to_string(),
            },
        };
        fields.push((name.to_string(), value));
    }
    fields
}

/// The text of the element with this id (no nested tags).
pub fn text_by_id(html: &str, id: &str) -> Option<String> {
    let marker = format!("id=\"{id}\">");
    let start = html.find(&marker)? + marker.len();
    Some(html[start..start + html[start..].find('<')?].to_string())
}

/// The text of the error shown next to a field.
pub fn field_error(html: &str, field: &str) -> Option<String> {
    text_by_id(html, &format!("{field}-error"))
}
