//! Benchmarks of `truce sweep` as a whole, through the binary: reading, running, streaming
//! Parquet output and the manifest.
//!
//! 1. Parallel speed-up: the 20 points of `configs/sweeps/air_cover_vs_troops.toml` × 1,000
//!    replications, with `--threads 1` and with `--threads N` (N = TRUCE_BENCH_THREADS, default
//!    the number of cores), in TRUCE_BENCH_RUNS interleaved pairs (default 5), each run pinned
//!    with `taskset` to as many processors as it has threads (processors 0 to N − 1), where
//!    `taskset` can pin to processor 0. The two `runs.parquet` must be identical. Prints, for each
//!    run, the wall time, replications per second, the child's CPU time and the share of its
//!    processors it kept busy, and the time the host stole from this machine's processors
//!    meanwhile (the `steal` column of /proc/stat: a virtual machine's host running something
//!    else on the same cores). Then the median of the pairs' speed-ups (robust to a host whose
//!    speed drifts over minutes) and the best single-threaded time against the best on N threads.
//! 2. Peak memory: the same sweep with TRUCE_BENCH_MEMORY_REPS replications in all (default
//!    1,000,000, spread evenly over the 20 points), on all cores. Prints the largest resident set
//!    of the child process (VmHWM), which must stay flat as the count grows, since records are
//!    streamed to disk chunk by chunk.
//!
//! Run with `cargo bench --workspace --bench sweep`; set TRUCE_BENCH_MEMORY_REPS=0 to skip the
//! memory run (about 4 minutes on 2 cores).

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const POINTS: u64 = 20;

fn env_count(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.replace('_', "").parse().ok())
        .unwrap_or(default)
}

fn sweep_file() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../configs/sweeps/air_cover_vs_troops.toml")
}

/// What one run of `truce sweep` took.
#[derive(Clone, Copy, Default)]
struct Run {
    wall: Duration,
    /// The child's peak resident memory (its VmHWM, read every 20 ms while it runs), MiB.
    peak_mib: f64,
    /// The child's user and system CPU time, seconds (as last read, at most 20 ms before it ended).
    cpu_s: f64,
    /// Time stolen by the host from all of this machine's processors during the run, seconds.
    steal_s: f64,
}

/// Clock ticks per second of /proc's counters (USER_HZ, 100 on Linux).
const TICKS: f64 = 100.0;

/// The machine's total steal time so far, in ticks: the 8th number of /proc/stat's `cpu` line.
fn steal_ticks() -> u64 {
    std::fs::read_to_string("/proc/stat")
        .ok()
        .and_then(|s| s.lines().next()?.split_whitespace().nth(8)?.parse().ok())
        .unwrap_or(0)
}

/// User plus system time of a process in ticks: fields 14 and 15 of /proc/PID/stat (counted
/// after the parenthesised command name, which may hold spaces).
fn cpu_ticks(stat: &str) -> Option<u64> {
    let rest = &stat[stat.rfind(')')? + 1..];
    let mut fields = rest.split_whitespace().skip(11);
    Some(fields.next()?.parse::<u64>().ok()? + fields.next()?.parse::<u64>().ok()?)
}

/// Whether `taskset` (util-linux) can pin a process to a set of processors here.
fn taskset_works() -> bool {
    Command::new("taskset")
        .args(["-c", "0", "true"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

/// Runs the sweep into `out`; with `cores`, pinned to processors `0..cores` through `taskset`.
fn sweep(out: &Path, replications: u64, threads: Option<usize>, cores: Option<usize>) -> Run {
    let _ = std::fs::remove_dir_all(out);
    let mut command = match cores {
        Some(n) => {
            let mut c = Command::new("taskset");
            c.args(["-c", &format!("0-{}", n.max(1) - 1)])
                .arg(env!("CARGO_BIN_EXE_truce"));
            c
        }
        None => Command::new(env!("CARGO_BIN_EXE_truce")),
    };
    command
        .arg("sweep")
        .arg(sweep_file())
        .args([
            "--replications",
            &replications.to_string(),
            "--quiet",
            "--yes",
        ])
        .arg("--out")
        .arg(out)
        .stdout(Stdio::null())
        .stderr(Stdio::inherit());
    if let Some(n) = threads {
        command.args(["--threads", &n.to_string()]);
    }
    let stolen = steal_ticks();
    let start = Instant::now();
    let mut child = command.spawn().expect("the truce binary runs");
    let status_file = format!("/proc/{}/status", child.id());
    let stat_file = format!("/proc/{}/stat", child.id());
    let (mut peak_kib, mut cpu) = (0u64, 0u64);
    let status = loop {
        if let Some(kib) = std::fs::read_to_string(&status_file)
            .ok()
            .and_then(|s| high_water_mark_kib(&s))
        {
            peak_kib = peak_kib.max(kib);
        }
        if let Some(ticks) = std::fs::read_to_string(&stat_file)
            .ok()
            .and_then(|s| cpu_ticks(&s))
        {
            cpu = cpu.max(ticks);
        }
        if let Some(status) = child.try_wait().expect("waiting for truce") {
            break status;
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    let wall = start.elapsed();
    let steal = steal_ticks().saturating_sub(stolen);
    assert!(status.success(), "truce sweep failed: {status}");
    Run {
        wall,
        peak_mib: peak_kib as f64 / 1024.0,
        cpu_s: cpu as f64 / TICKS,
        steal_s: steal as f64 / TICKS,
    }
}

/// The `VmHWM` line of /proc/PID/status: the peak resident set, in KiB.
fn high_water_mark_kib(status: &str) -> Option<u64> {
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

fn main() {
    // `cargo test --benches` runs benchmarks without `--bench`: build-check only then.
    if !std::env::args().any(|a| a == "--bench") {
        return;
    }
    let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
    let threads = env_count("TRUCE_BENCH_THREADS", cores as u64) as usize;
    let runs = env_count("TRUCE_BENCH_RUNS", 5).max(1);
    let scratch = tempfile::tempdir().expect("a temporary folder");

    let replications = 1000;
    let total = POINTS * replications;
    let one = scratch.path().join("one");
    let many = scratch.path().join("many");
    // Each run on N threads is compared with the single-threaded run just before it, since a
    // host's clock and load drift over minutes. The single-threaded run is pinned to one
    // processor and the other to N: otherwise the thread that writes chunks to disk would give
    // the single-threaded run a second processor.
    let pin = taskset_works() && threads <= cores;
    let pairs: Vec<(Run, Run)> = (0..runs)
        .map(|_| {
            let r1 = sweep(&one, replications, Some(1), pin.then_some(1));
            (
                r1,
                sweep(&many, replications, Some(threads), pin.then_some(threads)),
            )
        })
        .collect();
    let same = std::fs::read(one.join("runs.parquet")).ok()
        == std::fs::read(many.join("runs.parquet")).ok();
    let describe = |r: &Run, n: usize| {
        format!(
            "{:.2} s ({:.0} replications/s), CPU {:.2} s ({:.0}% of {n} processor{}), stolen by the host {:.2} s",
            r.wall.as_secs_f64(),
            total as f64 / r.wall.as_secs_f64(),
            r.cpu_s,
            100.0 * r.cpu_s / (n as f64 * r.wall.as_secs_f64()),
            if n == 1 { "" } else { "s" },
            r.steal_s,
        )
    };
    println!(
        "sweep 20 points x {replications} replications (730 days), {runs} interleaved pairs, {}:",
        if pin {
            "pinned to 1 and to N processors with taskset"
        } else {
            "not pinned to processors (no taskset, or more threads than processors)"
        }
    );
    let mut speed_ups = Vec::new();
    for (i, (r1, rn)) in pairs.iter().enumerate() {
        let speed_up = r1.wall.as_secs_f64() / rn.wall.as_secs_f64();
        speed_ups.push(speed_up);
        println!(
            "  pair {}: 1 thread {}\n          {threads} threads {}; speed-up {speed_up:.2}x",
            i + 1,
            describe(r1, 1),
            describe(rn, threads),
        );
    }
    speed_ups.sort_by(f64::total_cmp);
    let fastest =
        |pick: fn(&(Run, Run)) -> Duration| pairs.iter().map(pick).min().unwrap_or_default();
    let (t1, tn) = (fastest(|p| p.0.wall), fastest(|p| p.1.wall));
    println!(
        "  speed-up: median of the pairs {:.2}x, best of {runs} against best of {runs} {:.2}x; \
         runs.parquet identical: {same}",
        speed_ups[speed_ups.len() / 2],
        t1.as_secs_f64() / tn.as_secs_f64(),
    );
    assert!(same, "records depend on the thread count");

    let memory_reps = env_count("TRUCE_BENCH_MEMORY_REPS", 1_000_000);
    if memory_reps > 0 {
        let per_point = memory_reps.div_ceil(POINTS);
        let out = scratch.path().join("memory");
        let Run {
            wall: elapsed,
            peak_mib: peak,
            ..
        } = sweep(&out, per_point, None, None);
        let size = std::fs::metadata(out.join("runs.parquet")).map_or(0, |m| m.len());
        println!(
            "sweep 20 points x {per_point} replications ({} in all): {:.0} s, peak resident memory \
             {peak:.0} MiB, runs.parquet {:.0} MiB",
            per_point * POINTS,
            elapsed.as_secs_f64(),
            size as f64 / (1024.0 * 1024.0),
        );
    }
}
