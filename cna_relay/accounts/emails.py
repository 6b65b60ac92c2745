"""E-mail addresses: one normal form, so one address is one account whatever way it is typed.

The normal form is all ASCII: the local part lower-cased, the domain as its IDNA A-label
(`jan@bücher.de` → `jan@xn--bcher-kva.de`). Mail, InvGate and the unique index all use it.

Unicode confusables, decided here once:
- the local part must be ASCII (no SMTPUTF8): `jаn@` with a Cyrillic `а` is refused, not folded,
  because no municipality mailbox needs it and folding would merge distinct addresses;
- the domain goes through UTS #46 mapping, so full-width or upper-case letters fold to the same
  domain; a domain label that mixes scripts (Latin `p` + Cyrillic `а` in `pаypal`) is refused,
  since it only exists to look like another domain. A single-script IDN (`bücher.de`, `пример.рф`)
  is a real, different domain and is accepted.
- `+tags` and dots are kept: they are distinct mailboxes as far as SMTP is concerned.
"""

from __future__ import annotations

import unicodedata

from email_validator import EmailNotValidError, validate_email

from cna_relay.accounts.models import EMAIL_MAX
from cna_relay.problems import FieldError, ValidationFailed

# Checked before any parsing: a longer input cannot be a valid address and is not worth the work.
RAW_EMAIL_MAX = 320
LOCAL_PART_MAX = 64
# Scripts that legitimately mix within one domain label (Japanese writes kanji and kana together).
_SCRIPT_FAMILIES = {"HIRAGANA": "CJK", "KATAKANA": "CJK", "CJK": "CJK", "HANGUL": "CJK"}


class InvalidEmail(ValueError):
    """The text is not an address we accept; the message says why (for logs, never for clients)."""


def normalise_email(raw: str) -> str:
    """The normal form of `raw`, or `InvalidEmail`."""
    if not raw or len(raw) > RAW_EMAIL_MAX:
        raise InvalidEmail("empty or over-long")
    if any(unicodedata.category(ch) in ("Cc", "Cf", "Cs", "Zl", "Zp") for ch in raw):
        raise InvalidEmail("control or format characters")
    try:
        parsed = validate_email(raw.strip(), check_deliverability=False, allow_smtputf8=False)
    except EmailNotValidError as exc:
        raise InvalidEmail(str(exc)) from exc
    for label in parsed.domain.split("."):
        if len(_scripts(label)) > 1:
            raise InvalidEmail("a domain label mixes scripts")
    address = f"{parsed.local_part.lower()}@{parsed.ascii_domain.lower()}"
    # RFC 5321's limits; email-validator checks the local part's only in its strict mode.
    if len(parsed.local_part) > LOCAL_PART_MAX or len(address) > EMAIL_MAX:
        raise InvalidEmail("over-long")
    return address


def email_or_problem(raw: object, *, field: str = "email") -> str:
    """`normalise_email` for a request field: a 422 `invalid_email` problem when it fails."""
    if not isinstance(raw, str):
        raise _invalid(field)
    try:
        return normalise_email(raw)
    except InvalidEmail:
        raise _invalid(field) from None


def _invalid(field: str) -> ValidationFailed:
    return ValidationFailed([FieldError(field, "invalid_email")], code="invalid_email")


def _scripts(label: str) -> set[str]:
    """The scripts of the letters in `label` (digits and hyphens belong to every script)."""
    scripts = set()
    for ch in label:
        if not ch.isalpha():
            continue
        first_word = unicodedata.name(ch, "UNKNOWN").split(" ")[0]
        scripts.add(_SCRIPT_FAMILIES.get(first_word, first_word))
    return scripts
