"""The analyses: pure functions over engine relations, each row with its evidence."""
