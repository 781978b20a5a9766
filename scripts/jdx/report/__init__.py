"""The Evidence site (reports/) built from a warehouse."""
