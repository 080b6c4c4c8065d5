//! The names the reports give to what the logs leave out (spec §2's defaults), defined once for
//! every layer.

/// A session or event without a task id.
pub const NO_TASK: &str = "(no task)";
/// A model or executor nobody named; also bosun's classifier's category for "no pattern matched".
pub const UNKNOWN: &str = "unknown";
/// An error written without a category.
pub const UNCATEGORIZED: &str = "uncategorized";
