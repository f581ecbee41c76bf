//! Personal data (GDPR art. 9: disability and health visits are special
//! categories): reads of a person's record or a manifest leave an audit line
//! (`reads`), a person can be anonymised (`anonymise`), a retention job
//! anonymises people no longer served and clears old drivers' notes
//! (`retention`), and everything held on a person can be handed out
//! (`export`).

pub mod anonymise;
pub mod export;
pub mod reads;
pub mod retention;
