//! `runs.parquet`: its columns and writer live in the `truce-records` crate, shared with the Python package.
//!
//! The columns that the binary and the analysis read by name are defined once in
//! [`truce_formats::runs`]; the tests below check that the writer writes every one of them.

pub use truce_records::*;

#[cfg(test)]
mod tests {
    use arrow_schema::DataType;
    use truce_formats::runs;
    use truce_sim::Scenario;

    /// The columns written for the records of a bundled scenario, with their types.
    fn columns(config: &str) -> Vec<(String, DataType)> {
        let scenario = Scenario::from_toml_str(config).unwrap();
        super::schema(&scenario)
            .unwrap()
            .fields()
            .iter()
            .map(|f| (f.name().clone(), f.data_type().clone()))
            .collect()
    }

    fn type_of<'a>(columns: &'a [(String, DataType)], name: &str) -> Option<&'a DataType> {
        columns.iter().find(|(n, _)| n == name).map(|(_, t)| t)
    }

    #[test]
    fn every_column_the_readers_name_is_written_with_the_type_they_expect() {
        let columns = columns(include_str!(
            "../../../../configs/coalition_as_pledged.toml"
        ));
        let integer = |t: &DataType| matches!(t, DataType::UInt64 | DataType::UInt32);
        for name in [runs::POINT, runs::REPLICATION] {
            assert_eq!(type_of(&columns, name), Some(&DataType::UInt64), "{name}");
        }
        for name in runs::BOOLEAN {
            assert_eq!(type_of(&columns, name), Some(&DataType::Boolean), "{name}");
        }
        for name in runs::DAYS {
            assert_eq!(type_of(&columns, name), Some(&DataType::Float64), "{name}");
        }
        for name in runs::COUNTS {
            let t = type_of(&columns, name);
            assert!(
                t.is_some_and(|t| integer(t) || *t == DataType::Float64),
                "{name}: {t:?}"
            );
        }
        for name in [runs::COLLAPSE_CAUSE, runs::OFFENSIVE_OUTCOME] {
            assert_eq!(type_of(&columns, name), Some(&DataType::Utf8), "{name}");
        }
        let prefixed = |prefix: &str, expected: &dyn Fn(&DataType) -> bool| {
            let found: Vec<&(String, DataType)> = columns
                .iter()
                .filter(|(n, _)| n.starts_with(prefix))
                .collect();
            assert!(!found.is_empty(), "no column starts with {prefix}");
            for (name, t) in found {
                assert!(expected(t), "{name}: {t:?}");
            }
        };
        for prefix in runs::NATION_FLAGS {
            prefixed(prefix, &|t| *t == DataType::Boolean);
        }
        for prefix in runs::NATION_CASUALTIES
            .iter()
            .chain(&runs::SECTOR_COUNTS)
            .chain(&runs::CLASS_COUNTS)
        {
            prefixed(prefix, &|t| integer(t));
        }
        prefixed(runs::BELIEF, &|t| *t == DataType::Float64);
    }
}
