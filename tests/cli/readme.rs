//! The README is the users' contract: the template variables it lists are there when a
//! page renders (every name of its table, and every field it lists for `page`).

use crate::util::TestSite;

/// The README's table of template variables: each name, and the fields listed for it.
fn documented_variables() -> Vec<(String, Vec<String>)> {
    let readme =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    let table: Vec<&str> = readme
        .lines()
        .skip_while(|l| !l.starts_with("| name | what |"))
        .skip(2)
        .take_while(|l| l.starts_with('|'))
        .collect();
    assert!(
        table.len() >= 10,
        "the README's table of template variables"
    );
    let identifiers = |cell: &str| -> Vec<String> {
        cell.split('`')
            .skip(1)
            .step_by(2)
            .filter(|w| {
                !w.is_empty()
                    && w.chars()
                        .all(|c| c.is_ascii_lowercase() || c == '_' || c.is_ascii_digit())
            })
            .map(str::to_string)
            .collect()
    };
    let mut variables = Vec::new();
    for row in table {
        let cells: Vec<&str> = row.split('|').map(str::trim).collect();
        for name in identifiers(cells[1]) {
            let fields = if name == "page" {
                identifiers(cells[2])
            } else {
                Vec::new()
            };
            variables.push((name, fields));
        }
    }
    variables
}

#[test]
fn every_template_variable_the_readme_lists_is_defined_on_a_page() {
    // `tribute`, `tributes` and `help` are there only on the pages the table says.
    let only_some_pages = ["tribute", "tributes", "help"];
    let mut template = String::from("<html><body><pre id=\"vars\">\n");
    let mut expected = 0;
    for (name, fields) in documented_variables() {
        if only_some_pages.contains(&name.as_str()) {
            continue;
        }
        template.push_str(&format!(
            "{name}: {{% if {name} is defined %}}ok{{% else %}}MISSING{{% endif %}}\n"
        ));
        expected += 1;
        for field in fields {
            template.push_str(&format!(
                "{name}.{field}: {{% if {name}.{field} is defined %}}ok{{% else %}}MISSING{{% endif %}}\n"
            ));
            expected += 1;
        }
    }
    template.push_str("</pre></body></html>\n");
    let site = TestSite::memorial(&[]);
    site.write("templates/page.html", &template);
    site.build().ok();
    let page = site.read("public/blog/money/index.html");
    let lines: Vec<&str> = page
        .lines()
        .filter(|l| l.contains(": ok") || l.contains(": MISSING"))
        .collect();
    assert_eq!(lines.len(), expected, "{page}");
    let missing: Vec<&str> = lines
        .iter()
        .copied()
        .filter(|l| l.ends_with("MISSING"))
        .collect();
    assert!(
        missing.is_empty(),
        "the README lists what page templates do not get: {missing:?}"
    );
}
