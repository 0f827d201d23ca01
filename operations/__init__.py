"""What happened: joint operations, each country's operation, outcome records and returns."""
