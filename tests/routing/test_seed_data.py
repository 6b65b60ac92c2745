"""The seed set and the frozen test split are big enough, labelled with known desks, and disjoint."""

from __future__ import annotations

import json
from collections import Counter

from sklearn.feature_extraction.text import TfidfVectorizer

from cna_relay.routing import ALL_LABELS, HELPDESKS, TRIAGE, Example
from cna_relay.routing.normalise import normalise, text_key
from cna_relay.routing.seed_data import TEST_FILE, TRAIN_FILE, seed_data_dir

# Above this cosine similarity of character n-grams two texts are paraphrase siblings.
NEAR_DUPLICATE = 0.7


def test_seed_files_use_only_known_helpdesk_names() -> None:
    for name in (TRAIN_FILE, TEST_FILE):
        lines = (seed_data_dir() / name).read_text(encoding="utf-8").splitlines()
        labels = {json.loads(line)["helpdesk"] for line in lines}
        assert labels == set(ALL_LABELS), name


def test_training_set_has_well_over_80_examples_per_helpdesk(seed_examples: list[Example]) -> None:
    counts = Counter(example.helpdesk for example in seed_examples)
    assert all(counts[desk] >= 150 for desk in HELPDESKS), counts
    assert counts[TRIAGE] >= 80


def test_test_split_has_at_least_30_examples_per_helpdesk(test_examples: list[Example]) -> None:
    counts = Counter(example.helpdesk for example in test_examples)
    assert all(counts[desk] >= 30 for desk in ALL_LABELS), counts


def test_no_test_text_appears_in_training(seed_examples: list[Example], test_examples: list[Example]) -> None:
    train = {text_key(example.text) for example in seed_examples}
    overlap = [example.text for example in test_examples if text_key(example.text) in train]
    assert overlap == []


def test_no_test_text_is_a_near_duplicate_of_a_training_text(
    seed_examples: list[Example], test_examples: list[Example]
) -> None:
    vectoriser = TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5))
    train = vectoriser.fit_transform([normalise(example.text) for example in seed_examples])
    test = vectoriser.transform([normalise(example.text) for example in test_examples])
    similarity = (test @ train.T).toarray().max(axis=1)
    siblings = [
        example.text
        for example, score in zip(test_examples, similarity, strict=True)
        if score > NEAR_DUPLICATE
    ]
    assert siblings == []


def test_seed_set_covers_french_english_and_long_reports(seed_examples: list[Example]) -> None:
    texts = [normalise(example.text) for example in seed_examples]
    french = sum(1 for text in texts if any(w in text.split() for w in ("le", "la", "les", "des")))
    english = sum(1 for text in texts if any(w in text.split() for w in ("the", "my", "our")))
    long_texts = sum(1 for text in texts if len(text.split()) >= 30)
    assert french >= 40
    assert english >= 40
    assert long_texts >= 10
