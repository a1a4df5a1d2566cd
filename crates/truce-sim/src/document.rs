//! A TOML file checked against a JSON Schema in one walk.
//!
//! [`Document::parse`] reads the text once, keeping the span of every key and value, and reports
//! every syntax error it can recover from. [`Document::check`] then walks the document beside a
//! schema of [`crate::schema`] and reports every unknown key (with the nearest valid one), every
//! value of the wrong type and every missing key, each at its line and column; it also gives back
//! the document without those entries, so that the range checks that follow see the rest.
//! [`Document::locate`] finds where a dotted key path is written, to place the range problems.
//!
//! The walk understands the part of JSON Schema that `schemars` writes for the config types:
//! `$ref`, `type`, `properties`, `additionalProperties`, `required`, `items`, `enum`, `const`,
//! `anyOf`, `oneOf`, `minimum` and `maximum` of integers.

use crate::validate::Problem;
use serde_json::Value as Json;
use std::fmt;
use toml::Spanned;
use toml::de::{DeTable, DeValue};

/// A place in a file: 1-based line and column (in characters).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Position {
    pub line: usize,
    pub column: usize,
}

impl fmt::Display for Position {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.line, self.column)
    }
}

/// A problem and where in the file it is, when that is known.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Located {
    pub problem: Problem,
    pub at: Option<Position>,
}

impl Located {
    /// `<origin>:<line>:<column>: <key>: <message>`, or `<origin>: <key>: <message>` without a place.
    pub fn report(&self, origin: &str) -> String {
        match self.at {
            Some(at) => format!("{origin}:{at}: {}", self.problem),
            None => format!("{origin}: {}", self.problem),
        }
    }
}

/// Sorts problems into file order; those without a place keep their order, after the others.
pub fn file_order(problems: &mut [Located]) {
    problems.sort_by_key(|p| {
        p.at.map_or((1, Position { line: 0, column: 0 }), |at| (0, at))
    });
}

/// The parsed text of a TOML file, with the span of every key and value.
#[derive(Debug)]
pub struct Document<'a> {
    text: &'a str,
    root: Spanned<DeTable<'a>>,
}

impl<'a> Document<'a> {
    /// Parses `text`; every syntax error the reader recovers from is reported, in file order.
    pub fn parse(text: &'a str) -> Result<Self, Vec<Located>> {
        let (root, errors) = DeTable::parse_recoverable(text);
        if errors.is_empty() {
            return Ok(Document { text, root });
        }
        let mut problems: Vec<Located> = Vec::new();
        for e in &errors {
            let problem = crate::validate::syntax_problem(text, e);
            let at = match e.span() {
                Some(span) => Some(position(text, span.start)),
                None => {
                    crate::validate::deepest_line(text).map(|line| Position { line, column: 1 })
                }
            };
            // One error per line: what follows the first on a line is usually its echo.
            if problems
                .iter()
                .any(|p| p.at.map(|a| a.line) == at.map(|a| a.line))
            {
                continue;
            }
            problems.push(Located { problem, at });
        }
        file_order(&mut problems);
        Err(problems)
    }

    /// The position of byte `offset` of the text.
    fn position(&self, offset: usize) -> Position {
        position(self.text, offset)
    }

    /// Walks the document beside `schema` (a root schema, with its definitions): every problem,
    /// in file order, and the document without the entries that do not fit.
    pub fn check(&self, schema: &Json) -> (toml::Table, Vec<Located>) {
        let mut walk = Walk {
            doc: self,
            root: schema,
            problems: Vec::new(),
        };
        let table = walk
            .table(schema, self.root.get_ref(), self.root.span(), "")
            .unwrap_or_default();
        let mut problems = walk.problems;
        file_order(&mut problems);
        (table, problems)
    }

    /// Where the dotted key path `key` (`ladder[2].p_detect`, `defender.theta.strike`) is written;
    /// for a key the file leaves out, where its nearest written table is.
    pub fn locate(&self, key: &str) -> Option<Position> {
        let mut span: Option<std::ops::Range<usize>> = None;
        let mut table = Some(self.root.get_ref());
        for part in key.split('.') {
            let (name, indices) = part.split_once('[').unwrap_or((part, ""));
            let Some((k, v)) =
                table.and_then(|t| t.iter().find(|(k, _)| k.get_ref().as_ref() == name))
            else {
                break;
            };
            span = Some(k.span());
            let mut value = v.get_ref();
            for index in indices.split('[') {
                let Ok(i) = index.trim_end_matches(']').parse::<usize>() else {
                    continue;
                };
                match value {
                    DeValue::Array(items) if i < items.len() => {
                        span = Some(items[i].span());
                        value = items[i].get_ref();
                    }
                    _ => break,
                }
            }
            table = match value {
                DeValue::Table(t) => Some(t),
                _ => None,
            };
        }
        span.map(|s| self.position(s.start))
    }
}

fn position(text: &str, offset: usize) -> Position {
    let before = &text[..floor_char_boundary(text, offset.min(text.len()))];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().unwrap_or("").chars().count() + 1;
    Position { line, column }
}

fn floor_char_boundary(text: &str, mut i: usize) -> usize {
    while !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// Whole-number keys that must be at least 1 (the range check says so for 0).
const AT_LEAST_ONE: [&str; 4] = [
    "replications",
    "geography.sectors",
    "negotiation.rounds_to_settle",
    "collapse.spiral_threshold",
];

/// One walk of a document beside a schema.
struct Walk<'d, 'a> {
    doc: &'d Document<'a>,
    root: &'d Json,
    problems: Vec<Located>,
}

impl<'d> Walk<'d, '_> {
    fn push(&mut self, key: &str, message: String, offset: usize) {
        self.problems.push(Located {
            problem: Problem {
                key: key.to_string(),
                message,
            },
            at: Some(self.doc.position(offset)),
        });
    }

    /// The schema a `$ref` points to, followed to the end.
    fn resolve(&self, mut schema: &'d Json) -> &'d Json {
        for _ in 0..32 {
            // draft 7 ignores the siblings of a `$ref`, so schemars wraps one with a default in `allOf`.
            if let Some([only]) = schema
                .get("allOf")
                .and_then(Json::as_array)
                .map(Vec::as_slice)
            {
                schema = only;
                continue;
            }
            let Some(target) = schema.get("$ref").and_then(Json::as_str) else {
                break;
            };
            match target.strip_prefix('#').and_then(|p| self.root.pointer(p)) {
                Some(next) => schema = next,
                None => break,
            }
        }
        schema
    }

    /// The value if it fits `schema`, without its entries that do not; `None` (and problems) when it does not fit.
    fn value(
        &mut self,
        schema: &'d Json,
        value: &Spanned<DeValue>,
        key: &str,
    ) -> Option<toml::Value> {
        let schema = self.resolve(schema);
        let span = value.span();
        if let Some(words) = self.strings(schema) {
            return match value.get_ref() {
                DeValue::String(s) if words.contains(&s.as_ref()) => {
                    Some(toml::Value::String(s.to_string()))
                }
                DeValue::String(s) => {
                    let valid = quote_all(&words);
                    self.push(
                        key,
                        format!("unknown value \"{s}\"; valid values are {valid}"),
                        span.start,
                    );
                    None
                }
                _ => {
                    let got = self.found(value);
                    self.push(
                        key,
                        format!("must be one of {} (got {got})", quote_all(&words)),
                        span.start,
                    );
                    None
                }
            };
        }
        if let Some(branches) = schema
            .get("anyOf")
            .or_else(|| schema.get("oneOf"))
            .and_then(Json::as_array)
        {
            return match branches.iter().find(|b| self.fits(b, value.get_ref())) {
                Some(branch) => self.value(branch, value, key),
                None => self.wrong_type(schema, value, key),
            };
        }
        if !self.fits(schema, value.get_ref()) {
            return self.wrong_type(schema, value, key);
        }
        match value.get_ref() {
            DeValue::Table(table) => self.table(schema, table, span, key).map(toml::Value::Table),
            DeValue::Array(items) => {
                let item_schema = schema.get("items").unwrap_or(&Json::Bool(true));
                let mut out = Vec::new();
                let mut all = true;
                for (i, item) in items.iter().enumerate() {
                    match self.value(item_schema, item, &format!("{key}[{i}]")) {
                        Some(v) => out.push(v),
                        None => all = false,
                    }
                }
                // A list with a bad entry is left out whole, so that the indices of the rest keep their meaning.
                all.then_some(toml::Value::Array(out))
            }
            DeValue::Integer(i) => {
                let Ok(n) = i64::from_str_radix(i.as_str(), i.radix()) else {
                    if is_integer(schema) && u64::from_str_radix(i.as_str(), i.radix()).is_ok() {
                        // Beyond a TOML value's 64-bit signed integer: serde reads it from the text.
                        return None;
                    }
                    self.push(
                        key,
                        format!("is too large a whole number (got {})", self.found(value)),
                        span.start,
                    );
                    return None;
                };
                if is_integer(schema) {
                    let min = schema.get("minimum").and_then(Json::as_f64);
                    let max = schema.get("maximum").and_then(Json::as_f64);
                    if min.is_some_and(|m| (n as f64) < m) || max.is_some_and(|m| (n as f64) > m) {
                        return self.wrong_type(schema, value, key);
                    }
                }
                Some(toml::Value::Integer(n))
            }
            DeValue::Float(x) => match x.as_str().parse::<f64>() {
                Ok(x) => Some(toml::Value::Float(x)),
                Err(_) => {
                    self.push(
                        key,
                        format!("is not a number (got {})", self.found(value)),
                        span.start,
                    );
                    None
                }
            },
            DeValue::String(s) => Some(toml::Value::String(s.to_string())),
            DeValue::Boolean(b) => Some(toml::Value::Boolean(*b)),
            DeValue::Datetime(d) => Some(toml::Value::Datetime(*d)),
        }
    }

    /// A table's entries against an object schema.
    fn table(
        &mut self,
        schema: &'d Json,
        table: &DeTable,
        span: std::ops::Range<usize>,
        key: &str,
    ) -> Option<toml::Table> {
        let schema = self.resolve(schema);
        let properties = schema.get("properties").and_then(Json::as_object);
        let extra = schema.get("additionalProperties");
        let mut entries: Vec<_> = table.iter().collect();
        entries.sort_by_key(|(k, _)| k.span().start);
        let mut out = toml::Table::new();
        // Keys that an unknown key is a misspelling of: not reported missing too.
        let mut meant: Vec<&str> = Vec::new();
        for (name, value) in entries {
            let path = join(key, name.get_ref());
            let sub = match properties.and_then(|p| p.get(name.get_ref().as_ref())) {
                Some(sub) => sub,
                None => match extra {
                    Some(Json::Bool(false)) => {
                        let names: Vec<&str> = properties
                            .map_or(Vec::new(), |p| p.keys().map(String::as_str).collect());
                        let message = unknown_key(key, name.get_ref(), &names);
                        meant.extend(nearest(name.get_ref(), &names));
                        self.push(&path, message, name.span().start);
                        continue;
                    }
                    Some(sub) if sub.is_object() => sub,
                    _ => &Json::Bool(true),
                },
            };
            if let Some(v) = self.value(sub, value, &path) {
                out.insert(name.get_ref().to_string(), v);
            }
        }
        let required: Vec<&str> = schema
            .get("required")
            .and_then(Json::as_array)
            .map_or(Vec::new(), |r| r.iter().filter_map(Json::as_str).collect());
        let mut complete = true;
        for name in &required {
            if out.contains_key(*name) {
                continue;
            }
            complete = false;
            if !table.iter().any(|(k, _)| k.get_ref().as_ref() == *name) && !meant.contains(name) {
                let message = match key.strip_suffix(']').and_then(|k| k.rsplit_once('[')) {
                    Some((list, _)) => format!(
                        "is missing; every [[{list}]] entry needs {}",
                        required.join(", ")
                    ),
                    None => "is missing".to_string(),
                };
                self.push(&join(key, name), message, span.start);
            }
        }
        complete.then_some(out)
    }

    /// The string values an enum-like schema takes (`enum`, `const`, or `oneOf` of those).
    fn strings(&self, schema: &'d Json) -> Option<Vec<&'d str>> {
        let schema = self.resolve(schema);
        if let Some(values) = schema.get("enum").and_then(Json::as_array) {
            return values.iter().map(Json::as_str).collect();
        }
        if let Some(value) = schema.get("const").and_then(Json::as_str) {
            return Some(vec![value]);
        }
        let branches = schema
            .get("oneOf")
            .or_else(|| schema.get("anyOf"))?
            .as_array()?;
        let mut all = Vec::new();
        for branch in branches {
            all.extend(self.strings(branch)?);
        }
        Some(all)
    }

    /// Whether the TOML type of `value` is one the schema takes (not looking inside it).
    fn fits(&self, schema: &'d Json, value: &DeValue) -> bool {
        let schema = self.resolve(schema);
        if self.strings(schema).is_some() {
            return matches!(value, DeValue::String(_));
        }
        if let Some(branches) = schema
            .get("anyOf")
            .or_else(|| schema.get("oneOf"))
            .and_then(Json::as_array)
        {
            return branches.iter().any(|b| self.fits(b, value));
        }
        let Some(types) = schema.get("type") else {
            return true;
        };
        let types: Vec<&str> = match types {
            Json::String(t) => vec![t.as_str()],
            Json::Array(ts) => ts.iter().filter_map(Json::as_str).collect(),
            _ => return true,
        };
        types.iter().any(|t| {
            matches!(
                (*t, value),
                ("number", DeValue::Integer(_) | DeValue::Float(_))
                    | ("integer", DeValue::Integer(_))
                    | ("string", DeValue::String(_))
                    | ("boolean", DeValue::Boolean(_))
                    | ("array", DeValue::Array(_))
                    | ("object", DeValue::Table(_))
            )
        })
    }

    fn wrong_type(
        &mut self,
        schema: &'d Json,
        value: &Spanned<DeValue>,
        key: &str,
    ) -> Option<toml::Value> {
        let expected = self.describe(schema, key);
        let got = self.found(value);
        self.push(
            key,
            format!("must be {expected} (got {got})"),
            value.span().start,
        );
        None
    }

    /// What a schema takes, in the words of a config file.
    fn describe(&self, schema: &'d Json, key: &str) -> String {
        let schema = self.resolve(schema);
        if let Some(words) = self.strings(schema) {
            return format!("one of {}", quote_all(&words));
        }
        if let Some(branches) = schema
            .get("anyOf")
            .or_else(|| schema.get("oneOf"))
            .and_then(Json::as_array)
        {
            if let Some(text) = schema.get("description").and_then(Json::as_str) {
                let text = text.trim().trim_end_matches('.');
                let mut chars = text.chars();
                if let Some(first) = chars.next() {
                    return first.to_lowercase().chain(chars).collect();
                }
            }
            let words: Vec<String> = branches
                .iter()
                .filter(|b| b.get("type").and_then(Json::as_str) != Some("null"))
                .map(|b| self.describe(b, key))
                .collect();
            return words.join(" or ");
        }
        let types: Vec<&str> = match schema.get("type") {
            Some(Json::String(t)) => vec![t.as_str()],
            Some(Json::Array(ts)) => ts
                .iter()
                .filter_map(Json::as_str)
                .filter(|t| *t != "null")
                .collect(),
            _ => vec![],
        };
        let words: Vec<String> = types
            .iter()
            .map(|t| match *t {
                "number" => "a number".to_string(),
                "integer" => {
                    let min = schema.get("minimum").and_then(Json::as_f64);
                    let max = schema.get("maximum").and_then(Json::as_f64);
                    let min = if AT_LEAST_ONE.contains(&key) {
                        Some(1.0)
                    } else {
                        min
                    };
                    match (min, max) {
                        (Some(a), Some(b)) => format!("a whole number from {a} to {b}"),
                        (Some(a), None) => format!("a whole number >= {a}"),
                        (None, Some(b)) => format!("a whole number <= {b}"),
                        (None, None) => "a whole number".to_string(),
                    }
                }
                "string" => "a string in quotes".to_string(),
                "boolean" => "true or false".to_string(),
                "array" => "a list".to_string(),
                "object" => "a table".to_string(),
                other => other.to_string(),
            })
            .collect();
        if words.is_empty() {
            "something else".to_string()
        } else {
            words.join(" or ")
        }
    }

    /// The value as the file spells it, when short enough to quote; else what it is.
    fn found(&self, value: &Spanned<DeValue>) -> String {
        let text = self.doc.text.get(value.span()).map(str::trim).unwrap_or("");
        if !text.is_empty()
            && text.chars().count() <= 40
            && !text.contains('\n')
            && !text.starts_with('[')
        {
            return text.to_string();
        }
        match value.get_ref() {
            DeValue::Table(_) => "a table".into(),
            DeValue::Array(_) => "a list".into(),
            DeValue::String(_) => "a long string".into(),
            _ => "a long value".into(),
        }
    }
}

fn is_integer(schema: &Json) -> bool {
    match schema.get("type") {
        Some(Json::String(t)) => t == "integer",
        Some(Json::Array(ts)) => ts.iter().any(|t| t == "integer"),
        _ => false,
    }
}

fn join(key: &str, name: &str) -> String {
    if key.is_empty() {
        name.to_string()
    } else {
        format!("{key}.{name}")
    }
}

fn quote_all(words: &[&str]) -> String {
    words
        .iter()
        .map(|w| format!("\"{w}\""))
        .collect::<Vec<_>>()
        .join(", ")
}

/// "unknown key; valid keys in [table] are …; did you mean `x`?"
fn unknown_key(table: &str, name: &str, valid: &[&str]) -> String {
    if valid.is_empty() {
        return "unknown key; this table has no keys".to_string();
    }
    let place = if table.is_empty() {
        "valid top-level keys are".to_string()
    } else if let Some((list, _)) = table.strip_suffix(']').and_then(|k| k.rsplit_once('[')) {
        format!("valid keys in [[{list}]] are")
    } else {
        format!("valid keys in [{table}] are")
    };
    let mut message = format!("unknown key; {place} {}", valid.join(", "));
    if let Some(near) = nearest(name, valid) {
        message.push_str(&format!("; did you mean `{near}`?"));
    }
    message
}

/// The valid name nearest to `name`, when it is near enough to be a misspelling: one that has
/// every word of it (`auth_hours`: `auth_median_hours`), else the nearest by edit distance.
fn nearest<'v>(name: &str, valid: &[&'v str]) -> Option<&'v str> {
    let words: Vec<&str> = name.split('_').filter(|w| !w.is_empty()).collect();
    if words.len() > 1
        && let Some(found) = valid
            .iter()
            .filter(|v| words.iter().all(|w| v.split('_').any(|x| x == *w)))
            .min_by_key(|v| v.len())
    {
        return Some(found);
    }
    let (d, best) = valid
        .iter()
        .map(|v| (crate::suggest::distance(name, v), *v))
        .min()?;
    let len = name.chars().count().max(best.chars().count());
    (d <= 2 || 3 * d <= len).then_some(best)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn problems(text: &str) -> Vec<String> {
        let doc = Document::parse(text).map_err(|p| format!("{p:?}")).unwrap();
        let (_, problems) = doc.check(crate::schema::of(crate::schema::FileKind::Scenario));
        problems.iter().map(|p| p.report("x")).collect()
    }

    #[test]
    fn every_unknown_key_and_wrong_type_is_reported_in_file_order() {
        let text = "horizon_dayz = 30\n[aggressor]\npower = \"big\"\n[guarantors.air_cover]\nlevel = \"full\"\nauth_hours = 2\n[geography]\nsectors = -2\nvalue = [1, \"a\"]\n";
        assert_eq!(
            problems(text),
            vec![
                "x:1:1: horizon_dayz: unknown key; valid top-level keys are aggressor, background, beliefs, collapse, contest, defender, description, geography, guarantors, horizon_days, ladder, name, negotiation, offensive, punishment, replications, seed, strike, uncertain; did you mean `horizon_days`?",
                "x:3:9: aggressor.power: must be a number (got \"big\")",
                "x:5:9: guarantors.air_cover.level: unknown value \"full\"; valid values are \"none\", \"isr\", \"air_defence\", \"on_call\", \"no_fly_zone\"",
                "x:6:1: guarantors.air_cover.auth_hours: unknown key; valid keys in [guarantors.air_cover] are air_power, air_power_local, auth_median_hours, auth_sigma, credibility_shock_rate_per_year, declared, declared_hit, exec_median_hours, exec_sigma, isr_ambiguity_factor, isr_detect_boost, level, logistics_boost, nfz_incident_rate_per_month, on_station, p_incident_clash, p_u, shock_duration_days, shock_factor, theta, theta_hit; did you mean `auth_median_hours`?",
                "x:8:11: geography.sectors: must be a whole number >= 1 (got -2)",
                "x:9:13: geography.value[1]: must be a number (got \"a\")",
            ]
        );
    }

    #[test]
    fn missing_keys_of_a_list_entry_are_named() {
        let text = "[[ladder]]\nname = \"a\"\nkind = \"strike\"\n";
        let found = problems(text);
        assert_eq!(found.len(), 5, "{found:?}");
        assert_eq!(
            found[0],
            "x:1:1: ladder[0].gain: is missing; every [[ladder]] entry needs name, kind, gain, cost, p_detect, ambiguity, casualty_rate"
        );
    }

    #[test]
    fn keys_are_located_down_to_list_entries() {
        let text = "name = \"x\"\n[[ladder]]\nname = \"a\"\n[[ladder]]\np_detect = 2\n[strike]\nsalvo_median = 4\n";
        let doc = Document::parse(text).unwrap();
        assert_eq!(
            doc.locate("ladder[1].p_detect"),
            Some(Position { line: 5, column: 1 })
        );
        assert_eq!(doc.locate("strike.salvo_p90").map(|p| p.line), Some(6));
        assert_eq!(doc.locate("collapse.hr_air"), None);
    }

    #[test]
    fn syntax_errors_are_all_reported() {
        let err = Document::parse("a = \nb = 1\nc = ]\n").unwrap_err();
        let lines: Vec<usize> = err.iter().filter_map(|p| p.at.map(|a| a.line)).collect();
        assert_eq!(lines, vec![1, 3], "{err:?}");
    }
}
