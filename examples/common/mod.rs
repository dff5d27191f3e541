//! What the examples share: a small command-line parser and a `main` that turns an error into a
//! message and an exit status instead of a panic.
//!
//! Exit status 0 on success, 2 for a bad command line (with the usage text), 1 for anything else
//! (a missing data file, or an acceptance check that failed: the examples are end-to-end tests).

use std::error::Error;
use std::fmt;
use std::process::ExitCode;

/// A bad command line (exit status 2).
#[derive(Debug)]
pub struct Usage(pub String);

impl fmt::Display for Usage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl Error for Usage {}

/// Run the body of an example: print its error, if any, on stderr and exit with 2 for a bad
/// command line (followed by `usage`), 1 otherwise.
pub fn run(usage: &str, body: impl FnOnce() -> Result<(), Box<dyn Error>>) -> ExitCode {
    match body() {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) if e.is::<Usage>() => {
            eprintln!("error: {e}\n\n{usage}");
            ExitCode::from(2)
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

/// An acceptance check: `Err(message)` unless `ok`.
pub fn ensure(ok: bool, message: impl FnOnce() -> String) -> Result<(), Box<dyn Error>> {
    if ok {
        Ok(())
    } else {
        Err(format!("acceptance check failed: {}", message()).into())
    }
}

/// Options given as `--name value` or `--name=value`, each at most once.
pub struct Args {
    values: Vec<(String, String)>,
}

impl Args {
    /// Parse the process's arguments, accepting only the options in `known` (e.g. `["--seed"]`).
    /// `--help` (or `-h`) prints `usage` and exits with status 0.
    pub fn parse(usage: &str, known: &[&str]) -> Result<Self, Usage> {
        let mut values: Vec<(String, String)> = Vec::new();
        let mut args = std::env::args().skip(1);
        while let Some(arg) = args.next() {
            if arg == "--help" || arg == "-h" {
                println!("{usage}");
                std::process::exit(0);
            }
            let (name, inline) = match arg.split_once('=') {
                Some((n, v)) => (n.to_owned(), Some(v.to_owned())),
                None => (arg.clone(), None),
            };
            if !known.contains(&name.as_str()) {
                return Err(Usage(if name.starts_with('-') {
                    format!("unknown option {name}")
                } else {
                    format!("unexpected argument {arg:?}")
                }));
            }
            let value = match inline.or_else(|| args.next()) {
                Some(v) => v,
                None => return Err(Usage(format!("{name} needs a value"))),
            };
            if values.iter().any(|(n, _)| *n == name) {
                return Err(Usage(format!("{name} given twice")));
            }
            values.push((name, value));
        }
        Ok(Self { values })
    }

    /// The value of option `name`, if given.
    pub fn value(&self, name: &str) -> Option<&str> {
        self.values
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    /// `--seed N` (a non-negative integer), or `default`.
    #[allow(dead_code, reason = "the optimizers example has nothing random")]
    pub fn seed(&self, default: u64) -> Result<u64, Usage> {
        match self.value("--seed") {
            None => Ok(default),
            Some(s) => s
                .parse()
                .map_err(|_| Usage(format!("--seed {s:?} is not a non-negative integer"))),
        }
    }
}
