"""Customer e-mails as the municipality's ESM sends them (the seed's "Extra voorwaarden")."""
