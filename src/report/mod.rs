//! Rendering results for people and machines. The core returns data; this module
//! turns it into text, JSON and tables, and never decides anything.

pub mod audit;
pub mod audit_sarif;
pub mod catalog;
mod excerpt;
pub mod findings;
pub mod lint;
pub mod migrate;
pub mod plan;
pub mod prove;
pub mod verify;
