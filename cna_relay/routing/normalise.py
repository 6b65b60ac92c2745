"""Dutch (Flemish) text normalisation applied before feature extraction.

Citizens type on phones: capitals at random, accents or not, "!!!!", "aaaaa", SMS abbreviations
and dialect spellings ("vr", "nie", "nen"). The classifier should see the same string for all of
these, so every text goes through `normalise` at training and at classification time.
"""

from __future__ import annotations

import re
import unicodedata

# Both are matched against one whitespace-free token at a time: unanchored patterns such as
# r"\S+@\S+" backtrack quadratically over a long token without '@' (a cheap denial of service).
_URL = re.compile(r"(?:https?://|www\.)")
_EMAIL = re.compile(r"[^@]+@[^@]+\.\w+")
_EDGE_PUNCTUATION = ".,;:!?()[]<>\"'"
_DIGITS = re.compile(r"\d+(?:[.,/:-]\d+)*")
_ELONGATION = re.compile(r"(.)\1{2,}")
# Keep letters, digits, '?' and '!' (questions and alarm are signals); everything else separates words.
_SEPARATORS = re.compile(r"[^\w?!]+|_")
_SPACES = re.compile(r"\s+")

# SMS abbreviations and Flemish spoken forms seen in reports, mapped to the standard word.
_SHORTHAND = {
    "vr": "voor",
    "mss": "misschien",
    "aub": "alstublieft",
    "avb": "alstublieft",
    "thx": "bedankt",
    "tss": "tussen",
    "wnr": "wanneer",
    "ni": "niet",
    "nie": "niet",
    "nen": "een",
    "ne": "een",
    "ene": "een",
    "t": "het",
    "mn": "mijn",
    "mijne": "mijn",
    "zn": "zijn",
    "da": "dat",
    "wa": "wat",
    "ge": "je",
    "gij": "jij",
    "snachts": "s nachts",
    "nr": "nummer",
    "str": "straat",
}
_LETTER = re.compile(r"[^\W\d_]")


def strip_accents(text: str) -> str:
    """`text` without combining marks: 'één' -> 'een', 'déchets' -> 'dechets'."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def normalise(text: str) -> str:
    """Lowercase, accent-free, number-masked, single-spaced form of a report text.

    Numbers become '0' (house numbers and pole ids carry no topic), URLs and e-mail addresses
    become 'url' and 'email', runs of three or more identical characters collapse to two.
    """
    lowered = " ".join(_mask_address(token) for token in strip_accents(text).casefold().split())
    lowered = _DIGITS.sub(" 0 ", lowered)
    lowered = _ELONGATION.sub(r"\1\1", lowered)
    lowered = _SEPARATORS.sub(" ", lowered)
    lowered = lowered.replace("?", " ? ").replace("!", " ! ")
    words = [_SHORTHAND.get(word, word) for word in _SPACES.split(lowered) if word]
    return " ".join(words)


def _mask_address(token: str) -> str:
    if _URL.match(token):
        return "url"
    if "@" in token and _EMAIL.fullmatch(token.strip(_EDGE_PUNCTUATION)):
        return "email"
    return token


def has_words(normalised: str, *, min_letters: int = 3) -> bool:
    """Whether a normalised text contains at least one word of `min_letters` letters or more.

    Texts without such a word ("..", "??", "1234", emoji only) cannot describe a problem.
    """
    return any(len(_LETTER.findall(word)) >= min_letters for word in normalised.split())


def text_key(text: str) -> str:
    """The identity of a report text for deduplication: normalised, without '?' and '!'.

    "Boom op de weg!" and "boom op de  weg" are the same report for training purposes.
    """
    return " ".join(word for word in normalise(text).split() if word not in ("?", "!"))
