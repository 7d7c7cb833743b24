//! Which templates read a variable of the context. The site-wide `references` (every
//! reference with every place that cites it) grows with the site; copied into every
//! page's context it made a build quadratic in pages (10,000 pages citing references:
//! over two minutes). It is given only to pages whose templates can read it.

use std::collections::{HashMap, HashSet};

use tera::ast::{Expr, ExprVal, Node};

use super::endless_templates::walk_nodes;

/// The names of the templates that read `variable`: themselves, through the templates
/// they extend, or through those they include. Conservative: a mention anywhere (a
/// branch never taken, a macro's default) counts, and so does `__tera_context`.
pub fn templates_reading(tera: &tera::Tera, variable: &str) -> HashSet<String> {
    let mut direct: HashMap<&str, (bool, Vec<String>)> = HashMap::new();
    for (name, template) in &tera.templates {
        let mut reads = false;
        let mut uses: Vec<String> = template.parents.clone();
        walk_nodes(&template.ast, &mut |node| {
            if let Node::Include(_, names, _) = node {
                uses.extend(names.iter().cloned());
            }
            for expr in node_exprs(node) {
                reads |= expr_reads(expr, variable);
            }
        });
        direct.insert(name.as_str(), (reads, uses));
    }
    // A template reads the variable if it or anything it extends or includes does
    // (cycles were rejected when the templates were loaded; `seen` guards anyway).
    fn reads(
        name: &str,
        direct: &HashMap<&str, (bool, Vec<String>)>,
        seen: &mut HashSet<String>,
    ) -> bool {
        if !seen.insert(name.to_string()) {
            return false;
        }
        direct
            .get(name)
            .is_some_and(|(own, uses)| *own || uses.iter().any(|used| reads(used, direct, seen)))
    }
    direct
        .keys()
        .filter(|name| reads(name, &direct, &mut HashSet::new()))
        .map(|name| name.to_string())
        .collect()
}

/// The expressions written directly in `node` (not in the nodes inside it).
fn node_exprs(node: &Node) -> Vec<&Expr> {
    match node {
        Node::VariableBlock(_, expr) => vec![expr],
        Node::Set(_, set) => vec![&set.value],
        Node::FilterSection(_, section, _) => section.filter.args.values().collect(),
        Node::Forloop(_, forloop, _) => vec![&forloop.container],
        Node::If(branches, _) => branches.conditions.iter().map(|(_, e, _)| e).collect(),
        Node::MacroDefinition(_, definition, _) => definition.args.values().flatten().collect(),
        _ => Vec::new(),
    }
}

/// Whether `name` (a variable, or a path into one: `references.0.title`) reads `variable`.
fn names(name: &str, variable: &str) -> bool {
    name == "__tera_context"
        || name
            .strip_prefix(variable)
            .is_some_and(|rest| rest.is_empty() || rest.starts_with(['.', '[']))
}

fn expr_reads(expr: &Expr, variable: &str) -> bool {
    val_reads(&expr.val, variable)
        || expr
            .filters
            .iter()
            .any(|f| f.args.values().any(|a| expr_reads(a, variable)))
}

fn val_reads(val: &ExprVal, variable: &str) -> bool {
    fn any<'a>(exprs: impl IntoIterator<Item = &'a Expr>, variable: &str) -> bool {
        exprs.into_iter().any(|e| expr_reads(e, variable))
    }
    match val {
        ExprVal::Ident(name) => names(name, variable),
        ExprVal::Test(test) => names(&test.ident, variable) || any(&test.args, variable),
        ExprVal::MacroCall(call) => any(call.args.values(), variable),
        ExprVal::FunctionCall(call) => any(call.args.values(), variable),
        ExprVal::Math(math) => any([&*math.lhs, &*math.rhs], variable),
        ExprVal::Logic(logic) => any([&*logic.lhs, &*logic.rhs], variable),
        ExprVal::In(within) => any([&*within.lhs, &*within.rhs], variable),
        ExprVal::Array(items) => any(items, variable),
        ExprVal::StringConcat(concat) => concat.values.iter().any(|v| val_reads(v, variable)),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reading(templates: &[(&str, &str)]) -> Vec<String> {
        let mut tera = tera::Tera::default();
        tera.add_raw_templates(templates.iter().copied()).unwrap();
        let mut names: Vec<String> = templates_reading(&tera, "references").into_iter().collect();
        names.sort();
        names
    }

    #[test]
    fn finds_every_way_a_template_can_read_a_variable() {
        let names = reading(&[
            ("base.html", "<p class=\"references\">{{ page.references | length }}{{ strings.references }}</p>{% block main %}{% endblock %}"),
            ("page.html", "{% extends \"base.html\" %}{% block main %}{{ page.title }}{% endblock %}"),
            ("list.html", "{% for r in references %}{{ r.title }}{% endfor %}"),
            ("count.html", "{{ references | length }}"),
            ("deep.html", "{{ references.0.title | upper }}"),
            ("test.html", "{% if references is defined %}x{% endif %}"),
            ("filter.html", "{{ \"a\" | default(value=references) }}"),
            ("logic.html", "{% if page.x and references %}y{% endif %}"),
            ("includes.html", "{% include \"count.html\" %}"),
            ("extends.html", "{% extends \"list.html\" %}"),
            ("everything.html", "{{ __tera_context }}"),
            ("other.html", "{{ referencesx }}{{ my_references }}"),
        ]);
        assert_eq!(
            names,
            [
                "count.html",
                "deep.html",
                "everything.html",
                "extends.html",
                "filter.html",
                "includes.html",
                "list.html",
                "logic.html",
                "test.html"
            ]
        );
    }
}
