//! The time written to the database, at the precision both backends keep (microseconds), so a
//! value returned from a write equals the value read back later.

use chrono::{DateTime, SubsecRound, Utc};

/// Now, truncated to microseconds.
pub fn now() -> DateTime<Utc> {
    Utc::now().trunc_subsecs(6)
}
