"""Citizen and staff accounts, sessions, and the InvGate customer record ("klantenfiche").

Public interface for other domains:
- `cna_relay.accounts.deps`: `AuthSession`, `CurrentSession`, `VerifiedSession`, `StaffSession`;
- `cna_relay.accounts.customer.ensure_customer(context, account_id) -> int` (InvGate user id),
  run under the outbox lock key `cna_relay.accounts.jobs.customer_lock(account_id)`;
- `cna_relay.accounts.service.account_service(app).on_account_deleted`: deletion hooks;
- `cna_relay.accounts.install`: `install_accounts(app, context)`, `register_account_handlers(context)`.
"""
