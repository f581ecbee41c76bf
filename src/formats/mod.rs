//! Readers for the public benchmark formats (being written).
