"""What it adds up to: the metric registry, totals, dashboard and exports."""
