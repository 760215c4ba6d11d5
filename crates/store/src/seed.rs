//! Seeding a catalog for benchmarks (filled in below).
