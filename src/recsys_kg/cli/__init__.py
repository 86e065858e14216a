"""The `recsys-kg` command line: one module per group of commands, each calling library functions of the stages."""
