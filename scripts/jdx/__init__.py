"""jdx: the Python side of the jichitai_dx warehouse (loaders that turn raw public files into seeds)."""
