//! A small column-oriented table written as Parquet or CSV: the shape of `points.parquet` and of
//! `truce design`'s output, where the columns are known only at run time.
//!
//! CSV cells: integers in decimal, floats in Rust's shortest form that reads back to the same
//! number, booleans as `true`/`false`, a missing value as an empty cell; text is quoted (RFC 4180)
//! when it holds a comma, a quote or a line break.

use anyhow::{Context, Result};
use arrow_array::{ArrayRef, BooleanArray, Float64Array, RecordBatch, StringArray, UInt64Array};
use arrow_schema::{DataType, Field, Schema};
use parquet::arrow::ArrowWriter;
use std::io::Write;
use std::path::Path;
use std::sync::Arc;

/// The values of one column.
#[derive(Debug, Clone, PartialEq)]
pub enum Values {
    U64(Vec<Option<u64>>),
    F64(Vec<Option<f64>>),
    Text(Vec<Option<String>>),
    Bool(Vec<Option<bool>>),
}

impl Values {
    fn len(&self) -> usize {
        match self {
            Values::U64(v) => v.len(),
            Values::F64(v) => v.len(),
            Values::Text(v) => v.len(),
            Values::Bool(v) => v.len(),
        }
    }

    fn has_nulls(&self) -> bool {
        match self {
            Values::U64(v) => v.iter().any(Option::is_none),
            Values::F64(v) => v.iter().any(Option::is_none),
            Values::Text(v) => v.iter().any(Option::is_none),
            Values::Bool(v) => v.iter().any(Option::is_none),
        }
    }

    fn array(&self) -> (DataType, ArrayRef) {
        match self {
            Values::U64(v) => (DataType::UInt64, Arc::new(UInt64Array::from(v.clone()))),
            Values::F64(v) => (DataType::Float64, Arc::new(Float64Array::from(v.clone()))),
            Values::Text(v) => (
                DataType::Utf8,
                Arc::new(v.iter().map(Option::as_deref).collect::<StringArray>()),
            ),
            Values::Bool(v) => (DataType::Boolean, Arc::new(BooleanArray::from(v.clone()))),
        }
    }

    fn cell(&self, row: usize) -> String {
        match self {
            Values::U64(v) => v[row].map(|x| x.to_string()).unwrap_or_default(),
            Values::F64(v) => v[row].map(|x| x.to_string()).unwrap_or_default(),
            Values::Text(v) => v[row].clone().unwrap_or_default(),
            Values::Bool(v) => v[row].map(|x| x.to_string()).unwrap_or_default(),
        }
    }
}

/// Named columns of equal length, in output order.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Table {
    pub columns: Vec<(String, Values)>,
}

impl Table {
    pub fn push(&mut self, name: impl Into<String>, values: Values) {
        self.columns.push((name.into(), values));
    }

    /// The number of rows (of the first column).
    pub fn rows(&self) -> usize {
        self.columns.first().map_or(0, |(_, v)| v.len())
    }

    /// The table as one record batch; a column is nullable when it holds a missing value.
    pub fn batch(&self) -> Result<RecordBatch> {
        let mut fields = Vec::new();
        let mut arrays = Vec::new();
        for (name, values) in &self.columns {
            let (data_type, array) = values.array();
            fields.push(Field::new(name, data_type, values.has_nulls()));
            arrays.push(array);
        }
        Ok(RecordBatch::try_new(Arc::new(Schema::new(fields)), arrays)?)
    }

    /// Writes the table to `path` as Parquet, one row group, with `metadata` in the footer.
    pub fn write_parquet(&self, path: &Path, metadata: Vec<(String, String)>) -> Result<()> {
        let batch = self.batch()?;
        let properties = truce_records::properties(metadata, None)?;
        // Every caller passes a TempFile's path or one inside a staging folder.
        let file = std::fs::File::create(path)
            .with_context(|| format!("cannot create {}", path.display()))?;
        let mut writer = ArrowWriter::try_new(file, batch.schema(), Some(properties))?;
        writer
            .write(&batch)
            .with_context(|| format!("cannot write {}", path.display()))?;
        writer
            .close()
            .with_context(|| format!("cannot finish {}", path.display()))?;
        Ok(())
    }

    /// Writes the table to `path` as CSV with a header line.
    pub fn write_csv(&self, path: &Path) -> Result<()> {
        // Every caller passes a TempFile's path or one inside a staging folder.
        let file = std::fs::File::create(path)
            .with_context(|| format!("cannot create {}", path.display()))?;
        self.csv_to(file)
            .with_context(|| format!("cannot write {}", path.display()))
    }

    /// The table as CSV (RFC 4180 quoting, by the `csv` crate); a missing value is an empty field.
    fn csv_to(&self, out: impl Write) -> csv::Result<()> {
        let mut writer = csv::Writer::from_writer(out);
        writer.write_record(self.columns.iter().map(|(name, _)| name))?;
        for row in 0..self.rows() {
            writer.write_record(self.columns.iter().map(|(_, values)| values.cell(row)))?;
        }
        writer.flush()?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Table {
        let mut t = Table::default();
        t.push("point", Values::U64(vec![Some(0), Some(1)]));
        t.push("x", Values::F64(vec![Some(0.1), Some(-2.0)]));
        t.push("level", Values::Text(vec![Some("a,b".into()), None]));
        t.push("flag", Values::Bool(vec![Some(true), Some(false)]));
        t
    }

    #[test]
    fn csv_quotes_and_leaves_missing_cells_empty() {
        let mut out = Vec::new();
        sample().csv_to(&mut out).unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "point,x,level,flag\n0,0.1,\"a,b\",true\n1,-2,,false\n"
        );
    }

    #[test]
    fn batches_are_nullable_only_where_a_value_is_missing() {
        let batch = sample().batch().unwrap();
        assert_eq!(batch.num_rows(), 2);
        let schema = batch.schema();
        assert!(!schema.field(0).is_nullable());
        assert!(schema.field(2).is_nullable());
        assert_eq!(schema.field(1).data_type(), &DataType::Float64);
    }
}
