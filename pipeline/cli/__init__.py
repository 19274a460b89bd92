"""The `locpipe` command: one module per subcommand."""
