"""Export, load and serve: the built dataset in the formats stores load, sent to a store, or served read-only on 127.0.0.1."""
