"""The run service: one place that loads the configuration, runs the analyses with
stable ids, and stores and reads results with their provenance."""
