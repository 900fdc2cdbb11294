"""Python format: the model written back as the DSL source a person would write."""
