"""The domain model: parts, the catalog, builds, power and the cost model (no Qt, no files)."""
