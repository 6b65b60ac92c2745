"""Mail texts per customer language (the user's `language`, Dutch when unset), per kind of mail."""

from __future__ import annotations

from collections.abc import Mapping

# Each kind has a subject and an intro; `{ref}` is the pretty id, `{title}` the ticket title.
TEXTS: Mapping[str, Mapping[str, Mapping[str, str]]] = {
    "nl": {
        "created": {
            "subject": "Uw melding {ref} is geregistreerd",
            "intro": "We hebben uw melding goed ontvangen.",
        },
        "comment": {
            "subject": "Nieuw bericht over uw melding {ref}",
            "intro": "Er is een nieuw bericht over uw melding.",
        },
        "solution": {
            "subject": "Oplossing voor uw melding {ref}",
            "intro": "We stellen een oplossing voor uw melding voor.",
        },
        "approval": {"subject": "Update over uw melding {ref}", "intro": "Er is een update over uw melding."},
        "status": {
            "subject": "Uw melding {ref} is gewijzigd",
            "intro": "De status van uw melding is gewijzigd.",
        },
        "labels": {
            "ticket": "Melding",
            "description": "Omschrijving",
            "message": "Bericht",
            "agent": "Behandelaar",
            "link": "Bekijk de melding",
            "attachments": "Bijlagen",
            "status": "Status",
            "footer": "Dit is een automatisch bericht van de servicedesk van de gemeente.",
        },
    },
    "fr": {
        "created": {
            "subject": "Votre signalement {ref} est enregistré",
            "intro": "Nous avons bien reçu votre signalement.",
        },
        "comment": {
            "subject": "Nouveau message concernant votre signalement {ref}",
            "intro": "Un nouveau message concerne votre signalement.",
        },
        "solution": {
            "subject": "Solution pour votre signalement {ref}",
            "intro": "Nous proposons une solution pour votre signalement.",
        },
        "approval": {
            "subject": "Mise à jour de votre signalement {ref}",
            "intro": "Votre signalement a été mis à jour.",
        },
        "status": {
            "subject": "Votre signalement {ref} a changé",
            "intro": "Le statut de votre signalement a changé.",
        },
        "labels": {
            "ticket": "Signalement",
            "description": "Description",
            "message": "Message",
            "agent": "Agent",
            "link": "Voir le signalement",
            "attachments": "Pièces jointes",
            "status": "Statut",
            "footer": "Ceci est un message automatique du service desk de la commune.",
        },
    },
    "en": {
        "created": {
            "subject": "Your report {ref} has been registered",
            "intro": "We have received your report.",
        },
        "comment": {
            "subject": "New message about your report {ref}",
            "intro": "There is a new message about your report.",
        },
        "solution": {
            "subject": "Solution for your report {ref}",
            "intro": "We propose a solution for your report.",
        },
        "approval": {"subject": "Update on your report {ref}", "intro": "There is an update on your report."},
        "status": {
            "subject": "Your report {ref} has changed",
            "intro": "The status of your report has changed.",
        },
        "labels": {
            "ticket": "Report",
            "description": "Description",
            "message": "Message",
            "agent": "Agent",
            "link": "View the report",
            "attachments": "Attachments",
            "status": "Status",
            "footer": "This is an automatic message from the municipality's service desk.",
        },
    },
}

DEFAULT_LANGUAGE = "nl"


def texts_for(language: str | None) -> Mapping[str, Mapping[str, str]]:
    """InvGate languages such as `en_GB` fall back to their base language, anything else to Dutch."""
    base = (language or DEFAULT_LANGUAGE).split("_")[0].lower()
    return TEXTS.get(base, TEXTS[DEFAULT_LANGUAGE])
