//! The examples as programs: they pass their own acceptance checks and print the same thing
//! twice; a bad argument, a missing data file or an unwritable output gives a message and a
//! non-zero status, not a panic; and the committed figure `docs/optimizers.svg` is the one the
//! optimizers example draws.
//!
//! The binaries are the ones `cargo test` builds next to the test executables
//! (`target/<profile>/examples`). `cargo test --test examples` on its own does not rebuild
//! them: run `cargo build --examples` first in that case.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The examples that take `--seed`.
const SEEDED: [&str; 5] = [
    "xor",
    "linear_regression",
    "logistic_regression",
    "iris",
    "two_moons",
];
const ALL: [&str; 6] = [
    "xor",
    "linear_regression",
    "logistic_regression",
    "iris",
    "optimizers",
    "two_moons",
];

fn example_path(name: &str) -> PathBuf {
    let exe = std::env::current_exe().expect("the test executable's path");
    // target/<profile>/deps/examples-<hash> → target/<profile>/examples/<name>
    let profile_dir = exe
        .parent()
        .and_then(Path::parent)
        .expect("target/<profile>");
    let path = profile_dir
        .join("examples")
        .join(format!("{name}{}", std::env::consts::EXE_SUFFIX));
    assert!(
        path.exists(),
        "{} is missing: `cargo test` builds the examples; with a target filter, run \
         `cargo build --examples` first",
        path.display()
    );
    path
}

/// A fresh scratch directory for one test.
fn scratch(test: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("dualgrad-{test}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("create a scratch directory");
    dir
}

/// Run example `name` with `args` in directory `dir`.
fn run(name: &str, args: &[&str], dir: &Path) -> Output {
    Command::new(example_path(name))
        .args(args)
        .current_dir(dir)
        .output()
        .expect("run the example")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// A failure the example reports itself: the expected status, an `error:` line, no panic.
fn assert_reported(out: &Output, code: i32, message: &str) {
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(code), "stderr: {stderr}");
    assert!(
        stderr.starts_with(&format!("error: {message}")),
        "expected `error: {message}…`, got: {stderr}"
    );
    assert!(!stderr.contains("panicked"), "{stderr}");
}

#[test]
fn training_examples_pass_and_are_deterministic() {
    let dir = scratch("deterministic");
    for name in SEEDED {
        let first = run(name, &[], &dir);
        assert!(
            first.status.success(),
            "{name} failed:\n{}{}",
            text(&first.stdout),
            text(&first.stderr)
        );
        assert!(first.stderr.is_empty(), "{name}: {}", text(&first.stderr));
        let second = run(name, &[], &dir);
        assert_eq!(
            text(&first.stdout),
            text(&second.stdout),
            "{name} printed different output on a second run"
        );
    }
    std::fs::remove_dir_all(dir).ok();
}

#[test]
fn optimizers_draws_the_committed_figure() {
    let dir = scratch("figure");
    let svg = dir.join("figure.svg");
    let svg_arg = svg.to_str().expect("a UTF-8 temporary path");
    let first = run("optimizers", &["--out", svg_arg], &dir);
    assert!(first.status.success(), "{}", text(&first.stderr));
    let drawn = std::fs::read(&svg).expect("the figure was written");
    let stdout = text(&first.stdout);
    assert!(stdout.contains("figure written to"), "{stdout}");
    for method in [
        "SGD", "momentum", "Nesterov", "Adagrad", "RMSprop", "Adam", "AMSGrad", "AdamW", "Newton",
        "L-BFGS",
    ] {
        // one row per problem, each with a stop reason
        let rows = stdout
            .lines()
            .filter(|l| l.split_whitespace().next() == Some(method))
            .filter(|l| l.contains("iterations") || l.contains("≤"))
            .count();
        assert_eq!(rows, 2, "{method}: {stdout}");
    }

    let second = run("optimizers", &["--out", svg_arg], &dir);
    assert_eq!(stdout, text(&second.stdout));
    assert_eq!(
        drawn,
        std::fs::read(&svg).expect("the figure was written again")
    );

    let committed = Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/optimizers.svg");
    let committed = std::fs::read(committed).expect("docs/optimizers.svg");
    assert!(
        drawn == committed,
        "docs/optimizers.svg is not what the example draws now; regenerate it with \
         `cargo run --release --example optimizers -- --out docs/optimizers.svg`"
    );
    std::fs::remove_dir_all(dir).ok();
}

#[test]
fn unknown_options_are_usage_errors() {
    let dir = scratch("unknown");
    for name in ALL {
        let out = run(name, &["--bogus", "1"], &dir);
        assert_reported(&out, 2, "unknown option --bogus");
        assert!(text(&out.stderr).contains("usage:"));
        assert!(out.stdout.is_empty(), "{name} did work before failing");
    }
    std::fs::remove_dir_all(dir).ok();
}

#[test]
fn bad_seeds_are_usage_errors() {
    let dir = scratch("seed");
    for name in SEEDED {
        let out = run(name, &["--seed", "abc"], &dir);
        assert_reported(&out, 2, "--seed \"abc\" is not a non-negative integer");
        let out = run(name, &["--seed"], &dir);
        assert_reported(&out, 2, "--seed needs a value");
    }
    std::fs::remove_dir_all(dir).ok();
}

#[test]
fn help_prints_the_usage() {
    let dir = scratch("help");
    for name in ALL {
        let out = run(name, &["--help"], &dir);
        assert!(out.status.success());
        assert!(text(&out.stdout).starts_with(&format!("usage: {name}")));
    }
    std::fs::remove_dir_all(dir).ok();
}

#[test]
fn iris_reports_a_missing_data_file() {
    let dir = scratch("missing");
    let out = run("iris", &["--data", "missing.csv"], &dir);
    assert_reported(&out, 1, "cannot read missing.csv");
    std::fs::remove_dir_all(dir).ok();
}

#[test]
fn optimizers_reports_an_unwritable_figure_before_working() {
    let dir = scratch("unwritable");
    let out = run("optimizers", &["--out", "no/such/dir/figure.svg"], &dir);
    assert_reported(&out, 1, "cannot write no/such/dir/figure.svg");
    assert!(out.stdout.is_empty());
    std::fs::remove_dir_all(dir).ok();
}

#[test]
fn curve_fit_passes_and_draws_the_committed_figure() {
    let dir = scratch("curve_fit");
    let svg = dir.join("fit.svg");
    let svg_arg = svg.to_str().expect("a UTF-8 temporary path");
    let first = run("curve_fit", &["--out", svg_arg], &dir);
    assert!(
        first.status.success(),
        "curve_fit failed:\n{}{}",
        text(&first.stdout),
        text(&first.stderr)
    );
    let drawn = std::fs::read(&svg).expect("the figure was written");
    let second = run("curve_fit", &["--out", svg_arg], &dir);
    assert_eq!(text(&first.stdout), text(&second.stdout));
    let committed = Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/curve_fit.svg");
    let committed = std::fs::read(committed).expect("docs/curve_fit.svg");
    assert!(
        drawn == committed,
        "docs/curve_fit.svg is not what the example draws now; regenerate it with \
         `cargo run --release --example curve_fit -- --out docs/curve_fit.svg`"
    );
    let missing = run("curve_fit", &["--data", "missing.dat"], &dir);
    assert_reported(&missing, 1, "cannot read missing.dat");
    let unknown = run("curve_fit", &["--bogus", "1"], &dir);
    assert_reported(&unknown, 2, "unknown option --bogus");
    let help = run("curve_fit", &["--help"], &dir);
    assert!(help.status.success());
    assert!(text(&help.stdout).starts_with("usage: curve_fit"));
    std::fs::remove_dir_all(dir).ok();
}
