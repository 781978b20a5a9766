"""The static report site built from the warehouse."""
