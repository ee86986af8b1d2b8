//! The declaration: loading TOML (`load`), its shape (`model`), validation and
//! resolution (`resolve`) into a [`Declaration`], and findings (`diagnostic`).

pub mod declaration;
pub mod diagnostic;
pub mod load;
pub mod model;
pub mod recover;
pub mod resolve;
pub mod triggers;

pub use declaration::Declaration;
pub use diagnostic::{Diagnostic, Finding, Severity, Sources};
pub use load::{LoadFailure, Spec, load};
pub use resolve::{Checked, Validated, check, validate};
