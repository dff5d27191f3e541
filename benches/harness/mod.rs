//! Timing and printing helpers shared by the `report` and `parallel` benches.

use std::time::{Duration, Instant};

/// Evaluations per batch so that one batch of `run(n)` takes about `batch`.
pub fn calibrate(run: &dyn Fn(u64), batch: Duration) -> u64 {
    run(1); // warm up caches and lazily initialized state
    let mut n = 1_u64;
    loop {
        let start = Instant::now();
        run(n);
        let t = start.elapsed();
        if t >= batch / 4 {
            return ((n as f64 * batch.as_secs_f64() / t.as_secs_f64()).ceil() as u64).max(1);
        }
        n *= 2;
    }
}

/// An aligned markdown table (`right[i]`: right-align column `i`).
pub fn print_table(header: &[&str], right: &[bool], rows: &[Vec<String>]) {
    let width: Vec<usize> = (0..header.len())
        .map(|i| {
            rows.iter()
                .map(|r| r[i].chars().count())
                .chain(std::iter::once(header[i].chars().count()))
                .max()
                .unwrap_or(0)
        })
        .collect();
    let line = |cells: Vec<String>| {
        let padded: Vec<String> = cells
            .iter()
            .enumerate()
            .map(|(i, s)| {
                let pad = " ".repeat(width[i] - s.chars().count());
                if right[i] {
                    format!("{pad}{s}")
                } else {
                    format!("{s}{pad}")
                }
            })
            .collect();
        println!("| {} |", padded.join(" | "));
    };
    line(header.iter().map(|h| h.to_string()).collect());
    line(
        (0..header.len())
            .map(|i| {
                let dashes = "-".repeat(width[i].max(3) - 1);
                if right[i] {
                    format!("{dashes}:")
                } else {
                    format!("{dashes}-")
                }
            })
            .collect(),
    );
    for r in rows {
        line(r.clone());
    }
}
