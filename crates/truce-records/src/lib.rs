//! The records of replications as Arrow batches and as `runs.parquet`: one row per replication,
//! one column per field of [`Record`], zstd-compressed. `truce run`, `truce sweep` and the Python
//! package all write records through this crate, so their columns and values are the same.
//!
//! Columns follow the record's field order, with `point` and `replication` first.
//! `Option` fields are nullable columns; enums are strings (`collapse_cause`, `offensive_outcome`,
//! and `max_class` as the class's name); per-class counts become `committed_<class>`,
//! `detected_<class>` and `attributed_<class>` in ladder order; beliefs take the names of
//! [`Scenario::belief_columns`]. Per-class and belief columns are nullable: a record with fewer
//! entries than the ladder leaves the rest null. After the coalition's totals come, per
//! contingent in list order, `r_casualties_harassment_<nation>`, `r_casualties_serious_<nation>`,
//! `tripwire_triggered_<nation>` and `tripwire_fired_<nation>` (the shorthand force's one
//! contingent is `coalition`). After `sectors_lost` come `grabs_pending` and, per sector by its
//! index, `grabs_committed_sector_<i>`, `grabs_succeeded_sector_<i>` and `r_casualties_sector_<i>`. Last come the draws of the scenario's uncertain
//! parameters, one column per key, named by the key (`guarantors.air_cover.level`): the value
//! drawn, or the category's value as text for a choice among strings.

use anyhow::{Context, Result, bail};
use arrow_array::{
    ArrayRef, BooleanArray, Float64Array, RecordBatch, StringArray, UInt32Array, UInt64Array,
};
use arrow_schema::{DataType, Field, Schema, SchemaRef};
use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;
use parquet::arrow::{ArrowWriter, ProjectionMask};
use parquet::basic::{Compression, ZstdLevel};
use parquet::file::metadata::KeyValue;
use parquet::file::properties::WriterProperties;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use truce_sim::uncertain::Uncertain;
use truce_sim::{Record, Scenario};

/// Rows per row group: bounds the writer's memory and lets readers skip through large runs.
const ROW_GROUP: usize = 65_536;

/// Writes `records` to `path`, with `metadata` as key-value pairs in the file footer.
pub fn write(
    path: &Path,
    scenario: &Scenario,
    records: &[Record],
    metadata: Vec<(String, String)>,
) -> Result<()> {
    let mut writer = RunsWriter::create(path, scenario, metadata, Some(ROW_GROUP))?;
    for chunk in records.chunks(ROW_GROUP) {
        writer.write_records(chunk)?;
    }
    writer.finish()
}

/// The bytes of a `runs.parquet` holding `records`, as [`write`] would write them to a file.
pub fn to_bytes(
    scenario: &Scenario,
    records: &[Record],
    metadata: Vec<(String, String)>,
) -> Result<Vec<u8>> {
    let mut writer = ArrowWriter::try_new(
        Vec::new(),
        schema(scenario)?,
        Some(properties(metadata, Some(ROW_GROUP))?),
    )?;
    for chunk in records.chunks(ROW_GROUP) {
        writer.write(&records_batch(scenario, chunk)?)?;
    }
    Ok(writer.into_inner()?)
}

/// The Parquet writer's settings of every file truce writes with arrow-rs: zstd level 3, row groups
/// of `row_group` rows (or closed only by the caller with `None`), and `metadata` as key-value pairs
/// in the footer.
pub fn properties(
    metadata: Vec<(String, String)>,
    row_group: Option<usize>,
) -> Result<WriterProperties> {
    Ok(WriterProperties::builder()
        .set_compression(Compression::ZSTD(ZstdLevel::try_new(3)?))
        .set_max_row_group_row_count(row_group)
        .set_key_value_metadata(Some(
            metadata
                .into_iter()
                .map(|(key, value)| KeyValue::new(key, value))
                .collect(),
        ))
        .build())
}

/// A `runs.parquet` (or a sweep chunk's file) written batch by batch through one [`ArrowWriter`]:
/// [`RunsWriter::end_row_group`] closes a row group, so memory holds at most one row group.
pub struct RunsWriter {
    writer: ArrowWriter<std::fs::File>,
    schema: SchemaRef,
    names: Names,
    path: PathBuf,
}

/// What names a scenario's columns: its ladder classes, belief columns, uncertain parameters
/// and nations.
#[derive(Debug, Clone)]
struct Names {
    classes: Vec<String>,
    beliefs: Vec<String>,
    uncertain: Vec<Uncertain>,
    nations: Vec<String>,
    sectors: usize,
}

impl Names {
    fn of(scenario: &Scenario) -> Self {
        Self {
            classes: scenario.classes.iter().map(|c| c.name.clone()).collect(),
            beliefs: scenario.belief_columns(),
            uncertain: scenario.uncertain.clone(),
            nations: scenario
                .contingents
                .iter()
                .map(|k| k.nation.clone())
                .collect(),
            sectors: scenario.sectors.len(),
        }
    }
}

impl std::fmt::Debug for RunsWriter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RunsWriter")
            .field("path", &self.path)
            .finish_non_exhaustive()
    }
}

impl RunsWriter {
    /// Creates `path` for the records of `scenario` (whose ladder names the per-class and belief
    /// columns), with `metadata` in the footer. Row groups close after `row_group` rows, or only at
    /// [`RunsWriter::end_row_group`] with `None`.
    pub fn create(
        path: &Path,
        scenario: &Scenario,
        metadata: Vec<(String, String)>,
        row_group: Option<usize>,
    ) -> Result<Self> {
        let names = Names::of(scenario);
        let schema = schema(scenario)?;
        let file = std::fs::File::create(path)
            .with_context(|| format!("cannot create {}", path.display()))?;
        let writer =
            ArrowWriter::try_new(file, schema.clone(), Some(properties(metadata, row_group)?))?;
        Ok(Self {
            writer,
            schema,
            names,
            path: path.to_path_buf(),
        })
    }

    /// Appends records (to the row group in progress).
    pub fn write_records(&mut self, records: &[Record]) -> Result<()> {
        let n = &self.names;
        for record in records {
            if record.classes.len() > n.classes.len()
                || record.beliefs.len() > n.beliefs.len()
                || record.nations.len() > n.nations.len()
            {
                bail!(
                    "replication {} recorded {} class counts, {} beliefs and {} contingents, but the scenario has {} classes, {} belief columns and {} contingents",
                    record.replication,
                    record.classes.len(),
                    record.beliefs.len(),
                    record.nations.len(),
                    n.classes.len(),
                    n.beliefs.len(),
                    n.nations.len()
                );
            }
        }
        self.writer
            .write(&batch(n, records)?)
            .with_context(|| format!("cannot write {}", self.path.display()))
    }

    /// Appends a batch read back from another runs file of the same scenario.
    pub fn write_batch(&mut self, batch: &RecordBatch) -> Result<()> {
        let batch = RecordBatch::try_new(self.schema.clone(), batch.columns().to_vec())
            .with_context(|| {
                format!(
                    "the records do not have the columns of {}",
                    self.path.display()
                )
            })?;
        self.writer
            .write(&batch)
            .with_context(|| format!("cannot write {}", self.path.display()))
    }

    /// Closes the row group in progress, if it holds any rows.
    pub fn end_row_group(&mut self) -> Result<()> {
        self.writer
            .flush()
            .with_context(|| format!("cannot write {}", self.path.display()))
    }

    /// Writes the footer and closes the file.
    pub fn finish(self) -> Result<()> {
        self.writer
            .close()
            .with_context(|| format!("cannot finish {}", self.path.display()))?;
        Ok(())
    }
}

/// The columns of the records of `scenario`.
pub fn schema(scenario: &Scenario) -> Result<SchemaRef> {
    Ok(records_batch(scenario, &[])?.schema())
}

/// The records of `scenario` as one record batch.
pub fn records_batch(scenario: &Scenario, records: &[Record]) -> Result<RecordBatch> {
    batch(&Names::of(scenario), records)
}

/// Reads a runs file's record batches, one row group at a time (at most `batch_rows` rows each).
pub fn read_batches(
    path: &Path,
    batch_rows: usize,
) -> Result<impl Iterator<Item = Result<RecordBatch>>> {
    let file =
        std::fs::File::open(path).with_context(|| format!("cannot open {}", path.display()))?;
    let reader = ParquetRecordBatchReaderBuilder::try_new(file)
        .with_context(|| format!("{} is not a readable Parquet file", path.display()))?
        .with_batch_size(batch_rows.max(1))
        .build()
        .with_context(|| format!("cannot read {}", path.display()))?;
    let shown = path.display().to_string();
    Ok(reader.map(move |b| b.with_context(|| format!("cannot read {shown}"))))
}

/// Reads only the named columns of a runs file, in batches.
pub fn read_columns(
    path: &Path,
    columns: &[&str],
) -> Result<impl Iterator<Item = Result<RecordBatch>>> {
    let file =
        std::fs::File::open(path).with_context(|| format!("cannot open {}", path.display()))?;
    let builder = ParquetRecordBatchReaderBuilder::try_new(file)
        .with_context(|| format!("{} is not a readable Parquet file", path.display()))?;
    let mask = ProjectionMask::columns(builder.parquet_schema(), columns.iter().copied());
    let reader = builder
        .with_projection(mask)
        .build()
        .with_context(|| format!("cannot read {}", path.display()))?;
    let shown = path.display().to_string();
    Ok(reader.map(move |b| b.with_context(|| format!("cannot read {shown}"))))
}

/// One record batch of `records`; with no records, an empty batch that carries the schema.
fn batch(names: &Names, records: &[Record]) -> Result<RecordBatch> {
    let classes: Vec<&str> = names.classes.iter().map(String::as_str).collect();
    let (beliefs, uncertain, nations) = (&names.beliefs, &names.uncertain, &names.nations);
    let mut t = Columns::new(records);
    t.u64("point", |r| r.point);
    t.u64("replication", |r| r.replication);
    t.u64("seed", |r| r.seed);
    t.f64("resolve", |r| r.resolve);
    t.bool("violated", |r| r.violated);
    t.f64_opt("first_violation_day", |r| r.first_violation_day);
    t.f64_opt("first_detected_day", |r| r.first_detected_day);
    t.f64_opt("first_harassment_day", |r| r.first_harassment_day);
    for (i, class) in classes.iter().enumerate() {
        t.u32_opt(&format!("committed_{class}"), |r| {
            r.classes.get(i).map(|c| c.committed)
        });
    }
    for (i, class) in classes.iter().enumerate() {
        t.u32_opt(&format!("detected_{class}"), |r| {
            r.classes.get(i).map(|c| c.detected)
        });
    }
    for (i, class) in classes.iter().enumerate() {
        t.u32_opt(&format!("attributed_{class}"), |r| {
            r.classes.get(i).map(|c| c.attributed)
        });
    }
    t.u64("background_total", |r| r.background_total);
    t.u64("background_first_30", |r| r.background_first_30);
    t.u32("background_days", |r| r.background_days);
    t.u32("background_days_first_30", |r| r.background_days_first_30);
    t.f64_opt("background_mean_first_30", |r| r.background_mean_first_30);
    t.f64_opt("background_mean", |r| r.background_mean);
    t.bool("collapsed", |r| r.collapsed);
    t.f64_opt("collapse_day", |r| r.collapse_day);
    t.str_opt("collapse_cause", |r| r.collapse_cause.map(|c| c.name()));
    t.bool("settled", |r| r.settled);
    t.f64_opt("settled_day", |r| r.settled_day);
    t.f64("end_day", |r| r.end_day);
    t.str_opt("max_class", |r| {
        r.max_class
            .map(|i| classes.get(i).copied().unwrap_or("unknown"))
    });
    t.u64("r_casualties_harassment", |r| r.r_casualties_harassment);
    t.u64("r_casualties_serious", |r| r.r_casualties_serious);
    t.bool("tripwire_triggered", |r| r.tripwire_triggered);
    t.bool("tripwire_fired", |r| r.tripwire_fired);
    t.bool("coalition_at_war", |r| r.coalition_at_war);
    // Per contingent (section 15), each count for every nation in list order.
    let nation = |r: &Record, i: usize| r.nations.get(i).copied().unwrap_or_default();
    for (i, name) in nations.iter().enumerate() {
        t.u64(&format!("r_casualties_harassment_{name}"), |r| {
            nation(r, i).r_casualties_harassment
        });
    }
    for (i, name) in nations.iter().enumerate() {
        t.u64(&format!("r_casualties_serious_{name}"), |r| {
            nation(r, i).r_casualties_serious
        });
    }
    for (i, name) in nations.iter().enumerate() {
        t.bool(&format!("tripwire_triggered_{name}"), |r| {
            nation(r, i).tripwire_triggered
        });
    }
    for (i, name) in nations.iter().enumerate() {
        t.bool(&format!("tripwire_fired_{name}"), |r| {
            nation(r, i).tripwire_fired
        });
    }
    t.u32("d_responses", |r| r.d_responses);
    t.u32("r_responses", |r| r.r_responses);
    t.u32("u_responses", |r| r.u_responses);
    t.bool("direct_clash", |r| r.direct_clash);
    t.u32("nfz_incidents", |r| r.nfz_incidents);
    t.u32("credibility_shocks", |r| r.credibility_shocks);
    t.u32("negotiation_rounds", |r| r.negotiation_rounds);
    t.u32("successful_rounds", |r| r.successful_rounds);
    t.str("offensive_outcome", |r| r.offensive_outcome.name());
    t.f64_opt("offensive_length_days", |r| r.offensive_length_days);
    t.u32("grabs_succeeded", |r| r.grabs_succeeded);
    t.u32("grabs_failed", |r| r.grabs_failed);
    t.u32("sectors_lost", |r| r.sectors_lost);
    t.u32("grabs_pending", |r| r.grabs_pending);
    // Per sector, by its index (as in traces and key paths), each count for every sector.
    let sector = |r: &Record, i: usize| r.sectors.get(i).copied().unwrap_or_default();
    for i in 0..names.sectors {
        t.u32(&format!("grabs_committed_sector_{i}"), |r| {
            sector(r, i).grabs_committed
        });
    }
    for i in 0..names.sectors {
        t.u32(&format!("grabs_succeeded_sector_{i}"), |r| {
            sector(r, i).grabs_succeeded
        });
    }
    for i in 0..names.sectors {
        t.u64(&format!("r_casualties_sector_{i}"), |r| {
            sector(r, i).r_casualties
        });
    }
    for (i, name) in beliefs.iter().enumerate() {
        t.f64_opt(name, |r| r.beliefs.get(i).copied().flatten());
    }
    t.u64("events", |r| r.events);
    for (i, u) in uncertain.iter().enumerate() {
        let drawn = |r: &Record| r.uncertain.get(i).copied();
        match u.labels() {
            Some(labels) => t.string_opt(&u.key, |r| drawn(r).map(|x| labels[x as usize].clone())),
            None => t.f64_opt(&u.key, |r| drawn(r).map(|x| u.number(x))),
        }
    }
    t.finish()
}

/// Lists every field of [`Record`] without `..`, so that a new field fails to compile
/// until it is given a column in [`batch`] above and named here.
#[expect(dead_code, reason = "a compile-time check, never called")]
fn every_record_field_has_a_column(record: &Record) {
    let Record {
        point: _,
        replication: _,
        seed: _,
        resolve: _,
        violated: _,
        first_violation_day: _,
        first_detected_day: _,
        first_harassment_day: _,
        classes: _,
        background_total: _,
        background_first_30: _,
        background_days: _,
        background_days_first_30: _,
        background_mean_first_30: _,
        background_mean: _,
        collapsed: _,
        collapse_day: _,
        collapse_cause: _,
        settled: _,
        settled_day: _,
        end_day: _,
        max_class: _,
        r_casualties_harassment: _,
        r_casualties_serious: _,
        tripwire_triggered: _,
        tripwire_fired: _,
        coalition_at_war: _,
        d_responses: _,
        r_responses: _,
        u_responses: _,
        direct_clash: _,
        nfz_incidents: _,
        credibility_shocks: _,
        negotiation_rounds: _,
        successful_rounds: _,
        offensive_outcome: _,
        offensive_length_days: _,
        grabs_succeeded: _,
        grabs_failed: _,
        sectors_lost: _,
        beliefs: _,
        events: _,
        uncertain: _,
        nations: _,
        sectors: _,
        grabs_pending: _,
    } = record;
}

/// Builds the columns of a batch, one typed call per column.
struct Columns<'r> {
    records: &'r [Record],
    fields: Vec<Field>,
    arrays: Vec<ArrayRef>,
}

impl<'r> Columns<'r> {
    fn new(records: &'r [Record]) -> Self {
        Self {
            records,
            fields: Vec::new(),
            arrays: Vec::new(),
        }
    }

    fn push(&mut self, name: &str, data_type: DataType, nullable: bool, array: ArrayRef) {
        self.fields.push(Field::new(name, data_type, nullable));
        self.arrays.push(array);
    }

    fn u64(&mut self, name: &str, f: impl Fn(&Record) -> u64) {
        let a = UInt64Array::from_iter_values(self.records.iter().map(f));
        self.push(name, DataType::UInt64, false, Arc::new(a));
    }

    fn u32(&mut self, name: &str, f: impl Fn(&Record) -> u32) {
        let a = UInt32Array::from_iter_values(self.records.iter().map(f));
        self.push(name, DataType::UInt32, false, Arc::new(a));
    }

    fn u32_opt(&mut self, name: &str, f: impl Fn(&Record) -> Option<u32>) {
        let a: UInt32Array = self.records.iter().map(f).collect();
        self.push(name, DataType::UInt32, true, Arc::new(a));
    }

    fn f64(&mut self, name: &str, f: impl Fn(&Record) -> f64) {
        let a = Float64Array::from_iter_values(self.records.iter().map(f));
        self.push(name, DataType::Float64, false, Arc::new(a));
    }

    fn f64_opt(&mut self, name: &str, f: impl Fn(&Record) -> Option<f64>) {
        let a: Float64Array = self.records.iter().map(f).collect();
        self.push(name, DataType::Float64, true, Arc::new(a));
    }

    fn bool(&mut self, name: &str, f: impl Fn(&Record) -> bool) {
        let a: BooleanArray = self.records.iter().map(|r| Some(f(r))).collect();
        self.push(name, DataType::Boolean, false, Arc::new(a));
    }

    fn str<'s>(&mut self, name: &str, f: impl Fn(&Record) -> &'s str) {
        let a: StringArray = self.records.iter().map(|r| Some(f(r))).collect();
        self.push(name, DataType::Utf8, false, Arc::new(a));
    }

    fn str_opt<'s>(&mut self, name: &str, f: impl Fn(&Record) -> Option<&'s str>) {
        let a: StringArray = self.records.iter().map(f).collect();
        self.push(name, DataType::Utf8, true, Arc::new(a));
    }

    fn string_opt(&mut self, name: &str, f: impl Fn(&Record) -> Option<String>) {
        let a: StringArray = self.records.iter().map(f).collect();
        self.push(name, DataType::Utf8, true, Arc::new(a));
    }

    fn finish(self) -> Result<RecordBatch> {
        let schema = Arc::new(Schema::new(self.fields));
        Ok(RecordBatch::try_new(schema, self.arrays)?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use arrow_array::Array;
    use truce_sim::{ClassCounts, CollapseCause};

    fn baseline() -> Scenario {
        Scenario::from_toml_str(include_str!("../../../configs/baseline.toml")).unwrap()
    }

    #[test]
    fn records_round_trip_with_named_columns_and_nulls() {
        let scenario = baseline();
        let n = scenario.classes.len();
        let full = Record {
            replication: 1,
            classes: vec![
                ClassCounts {
                    committed: 3,
                    detected: 2,
                    attributed: 1
                };
                n
            ],
            collapse_cause: Some(CollapseCause::TripwireWar),
            max_class: Some(n - 1),
            collapse_day: Some(12.5),
            ..Record::default()
        };
        let records = vec![Record::default(), full];
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("runs.parquet");
        write(&path, &scenario, &records, vec![("k".into(), "v".into())]).unwrap();

        let reader = ParquetRecordBatchReaderBuilder::try_new(std::fs::File::open(&path).unwrap())
            .unwrap()
            .build()
            .unwrap();
        let batches: Vec<RecordBatch> = reader.map(|b| b.unwrap()).collect();
        let batch = &batches[0];
        assert_eq!(batch.num_rows(), 2);
        let schema = batch.schema();
        let names: Vec<&str> = schema.fields().iter().map(|f| f.name().as_str()).collect();
        assert_eq!(&names[..3], &["point", "replication", "seed"]);
        let first_class = &scenario.classes[0].name;
        assert!(names.contains(&format!("committed_{first_class}").as_str()));
        for belief in scenario.belief_columns() {
            assert!(names.contains(&belief.as_str()), "{belief}");
        }
        let cause = batch
            .column_by_name("collapse_cause")
            .unwrap()
            .as_any()
            .downcast_ref::<StringArray>()
            .unwrap();
        assert!(cause.is_null(0));
        assert_eq!(cause.value(1), "tripwire_war");
        let max_class = batch.column_by_name("max_class").unwrap();
        let max_class = max_class.as_any().downcast_ref::<StringArray>().unwrap();
        assert_eq!(max_class.value(1), scenario.classes[n - 1].name);
        let committed = batch
            .column_by_name(&format!("committed_{first_class}"))
            .unwrap()
            .as_any()
            .downcast_ref::<UInt32Array>()
            .unwrap()
            .clone();
        assert!(committed.is_null(0));
        assert_eq!(committed.value(1), 3);
    }

    #[test]
    fn bytes_hold_the_same_records_as_a_file() {
        let scenario = baseline();
        let records = vec![Record::default(), Record::default()];
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("runs.parquet");
        write(&path, &scenario, &records, vec![("k".into(), "v".into())]).unwrap();
        let bytes = to_bytes(&scenario, &records, vec![("k".into(), "v".into())]).unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), bytes);
    }
}
