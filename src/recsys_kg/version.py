"""The package version, in a leaf module: the build's metadata graph records it, and the package root (which
imports the API lazily and so sits above every layer) re-exports it."""

__version__ = "0.1.0"
