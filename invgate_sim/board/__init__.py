"""The read-only HTML board: what the municipality's agents would see in ESM, and the mails sent."""
