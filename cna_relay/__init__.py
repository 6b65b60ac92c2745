"""CNA relay: persists citizens' reports and forwards them to InvGate through a durable outbox."""
