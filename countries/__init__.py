"""Who takes part: countries, international organisations, agencies, focal points, memberships."""
