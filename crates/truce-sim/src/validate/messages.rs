//! The TOML reader's and serde's errors, said in the words of a config file: the rule broken and
//! the value got, with the key path completed.

use super::ConfigError;
use super::Problem;

/// A TOML syntax error of `text`, with its line (for a nesting too deep for the reader, which
/// gives none, the line nested deepest).
pub fn syntax_error(text: &str, e: &toml::de::Error) -> ConfigError {
    ConfigError::Parse {
        problem: syntax_problem(text, e),
        line: line_of(text, e).or_else(|| deepest_line(text)),
    }
}

/// An error of the TOML reader or of serde reading `text`, at key path `key` (empty when it has
/// none), said in the words of a config file: a syntax error as such, any other with the rule
/// broken and the value got. Every reader of scenario, sweep, solve, calibrate and design files
/// says its errors through it.
pub fn toml_error(text: &str, key: &str, e: &toml::de::Error) -> ConfigError {
    if key.is_empty() && is_syntax(e.message()) {
        return syntax_error(text, e);
    }
    let found = e.span().and_then(|s| text.get(s)).map(str::trim);
    ConfigError::Parse {
        problem: schema_problem(key.to_string(), e.message().trim(), found),
        line: line_of(text, e),
    }
}

/// A TOML syntax error of `text` as a problem of the whole file.
pub(crate) fn syntax_problem(text: &str, e: &toml::de::Error) -> Problem {
    Problem {
        key: String::new(),
        message: syntax_message(text, e),
    }
}

pub(super) fn line_of(text: &str, e: &toml::de::Error) -> Option<usize> {
    let bytes = text.as_bytes();
    e.span().map(|s| {
        bytes[..s.start.min(bytes.len())]
            .iter()
            .filter(|&&b| b == b'\n')
            .count()
            + 1
    })
}

/// The 1-based line whose keys and brackets nest deepest, outside strings; `None` for empty text.
pub(crate) fn deepest_line(text: &str) -> Option<usize> {
    let mut depth = 0usize;
    let mut best = (0usize, None);
    for (i, line) in text.lines().enumerate() {
        let mut quote = None;
        let mut dots = 0;
        let mut deepest = depth;
        let mut in_key = true;
        for ch in line.chars() {
            match (quote, ch) {
                (Some(q), c) if c == q => quote = None,
                (Some(_), _) => {}
                (None, '"' | '\'') => quote = Some(ch),
                (None, '#') => break,
                (None, '=') => in_key = false,
                (None, '.') if in_key => dots += 1,
                (None, '[' | '{') => {
                    depth += 1;
                    deepest = deepest.max(depth);
                }
                (None, ']' | '}') => depth = depth.saturating_sub(1),
                _ => {}
            }
        }
        let score = deepest + dots;
        if best.1.is_none() || score > best.0 {
            best = (score, Some(i + 1));
        }
    }
    best.1
}

/// Whether a message with no key path comes from the TOML grammar rather than from the schema.
pub(super) fn is_syntax(message: &str) -> bool {
    const SCHEMA: [&str; 6] = [
        "unknown field",
        "unknown variant",
        "invalid type",
        "invalid value",
        "invalid length",
        "missing field",
    ];
    !SCHEMA.iter().any(|p| message.starts_with(p))
}

/// A TOML syntax error, said as such, with the offending key for duplicates.
fn syntax_message(text: &str, e: &toml::de::Error) -> String {
    let message = e.message().trim();
    let first = message.lines().next().unwrap_or(message);
    let found = e
        .span()
        .and_then(|s| text.get(s))
        .map(str::trim)
        .filter(|s| !s.is_empty() && s.len() <= 60 && !s.contains('\n'));
    match found {
        Some(found) if first.starts_with("duplicate key") => {
            format!("not valid TOML: {first} `{found}`")
        }
        _ if first.contains("recursion limit") => {
            format!("not valid TOML: keys or values nested too deeply ({first})")
        }
        _ => format!("not valid TOML: {first}"),
    }
}

/// The values a string-valued key accepts, by key path.
fn enum_values(key: &str) -> Option<&'static [&'static str]> {
    let last = key.rsplit('.').next().unwrap_or(key);
    match (key, last) {
        ("guarantors.air_cover.level", _) => {
            Some(&["none", "isr", "air_defence", "on_call", "no_fly_zone"])
        }
        ("guarantors.reassurance.roe", _) => Some(&["self_defence", "defend_sector", "combat"]),
        ("aggressor.probing", _) => Some(&["mean", "thompson"]),
        ("negotiation.settlement", _) => Some(&["absorbing", "recommitment"]),
        (k, "kind") if k.starts_with("ladder[") => {
            Some(&["harassment", "land_grab", "strike", "offensive"])
        }
        _ => None,
    }
}

/// Whole-number keys that [`check`] wants at least 1.
const AT_LEAST_ONE: [&str; 4] = [
    "replications",
    "geography.sectors",
    "negotiation.rounds_to_settle",
    "collapse.spiral_threshold",
];

/// Every name between backquotes in a serde message, in order.
fn quoted(s: &str) -> Vec<&str> {
    s.split('`').skip(1).step_by(2).collect()
}

/// A serde value description (`string "x"`, ``integer `3` ``, `map`) as the user wrote it.
fn found_value(s: &str) -> String {
    let s = s.trim();
    let s = s.strip_suffix(" as i128").unwrap_or(s);
    if let Some(rest) = s.strip_prefix("string ") {
        return rest.to_string();
    }
    if let [value] = quoted(s)[..] {
        return value.to_string();
    }
    match s {
        "map" => "a table".into(),
        "sequence" => "a list".into(),
        "unit value" => "nothing".into(),
        other => other.into(),
    }
}

/// What serde expected, in the words of a config file.
fn expected_value(s: &str) -> String {
    let s = s.trim();
    match s {
        "f64" | "f32" => "a number".into(),
        "u64" | "u32" | "u16" | "u8" | "usize" => "a whole number >= 0".into(),
        "i64" | "i32" => "a whole number".into(),
        "a boolean" => "true or false".into(),
        "a sequence" => "a list".into(),
        "a string" => "a string in quotes".into(),
        _ if s.starts_with("struct ") => "a table".into(),
        _ => s.into(),
    }
}

/// The serde layer's message, rewritten to state the rule and the value got, with the key path completed.
pub(super) fn schema_problem(mut key: String, message: &str, found: Option<&str>) -> Problem {
    let join = |key: &str, name: &str| {
        if key.is_empty() {
            name.to_string()
        } else if key == name || key.ends_with(&format!(".{name}")) {
            key.to_string()
        } else {
            format!("{key}.{name}")
        }
    };
    let message = if let Some(rest) = message.strip_prefix("unknown field ") {
        let (field, valid) = rest.split_once(", expected").unwrap_or((rest, ""));
        let field = field.trim_matches('`');
        key = join(&key, field);
        let parent = key.rsplit_once('.').map_or("", |(p, _)| p);
        let place = if parent.is_empty() {
            "valid top-level keys are".to_string()
        } else if let Some(table) = parent.strip_suffix(']').and_then(|p| p.rsplit_once('[')) {
            format!("valid keys in [[{}]] are", table.0)
        } else {
            format!("valid keys in [{parent}] are")
        };
        let valid = quoted(valid);
        if valid.is_empty() {
            "unknown key; this table has no keys".to_string()
        } else {
            format!("unknown key; {place} {}", valid.join(", "))
        }
    } else if let Some(rest) = message.strip_prefix("unknown variant ") {
        let (value, valid) = rest.split_once(", expected").unwrap_or((rest, ""));
        let valid = quoted(valid)
            .iter()
            .map(|v| format!("\"{v}\""))
            .collect::<Vec<_>>();
        format!(
            "unknown value \"{}\"; valid values are {}",
            value.trim_matches('`'),
            valid.join(", ")
        )
    } else if let Some(field) = message.strip_prefix("missing field ") {
        key = join(&key, field.trim_matches('`'));
        if key.starts_with("ladder[") {
            "is missing; every [[ladder]] class needs name, kind, gain, cost, p_detect, ambiguity and casualty_rate".to_string()
        } else {
            "is missing".to_string()
        }
    } else if let Some(rest) = message
        .strip_prefix("invalid type: ")
        .or_else(|| message.strip_prefix("invalid value: "))
    {
        let (got, expected) = rest.rsplit_once(", expected ").unwrap_or((rest, ""));
        let expected = match expected_value(expected) {
            whole
                if whole.starts_with("a whole number") && AT_LEAST_ONE.contains(&key.as_str()) =>
            {
                "a whole number >= 1".to_string()
            }
            other => other,
        };
        // The value as the file spells it, when it is short enough to quote.
        let got = found
            .filter(|f| !f.is_empty() && f.len() <= 40 && !f.contains('\n'))
            .map_or_else(|| found_value(got), str::to_string);
        format!("must be {expected} (got {got})")
    } else if let Some(valid) = enum_values(&key) {
        // A string-valued key given something else than a string.
        let valid = valid
            .iter()
            .map(|v| format!("\"{v}\""))
            .collect::<Vec<_>>()
            .join(", ");
        match found {
            Some(got) => format!("must be one of {valid} (got {got})"),
            None => format!("must be one of {valid}"),
        }
    } else {
        message.to_string()
    };
    Problem { key, message }
}
