"""Launchers for real triple stores on 127.0.0.1: the Oxigraph server (used by `recsys-kg serve` and the tests),
Apache Jena's command-line classes and a private Virtuoso instance (used by the cross-store tests).

Every process started here listens on loopback only, on a free port, keeps its data in a temporary directory
and is stopped by its PID. How each store is run, and why, is in docs/stores.md.
"""
