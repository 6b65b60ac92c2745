"""Reports: intake, attachments, storage and delivery to InvGate."""
