"""HTTP routes that belong to no single domain (health, configuration)."""
