"""Officers find a dossier by what its declaration says: the child's or the deceased's name, a spouse's personal id,
an address.

Each answer set keeps ``search_text``: the shown answers as printed on the form (a choice by its label, an address
with its commune's and province's names, a date as dd/mm/yyyy), folded the way the catalogue search folds text
(``portal.catalog.search.folding``: lower case, no diacritics, "đ" as "d", "ky" as "ki") and written as tokens
separated by one space. A query is folded the same way and matches when every one of its words is part of the text,
so "nguyen minh khang", "Nguyễn Minh Khang" and "khang" find the same child. On PostgreSQL a trigram index on the
column (migration 0002) can answer those ``LIKE '%word%'`` conditions without reading every answer set.

The dossiers app asks through the hook it offers (``dossiers.selectors.queue_text_matcher_register``, filled in
``EformsConfig.ready``) and keeps the queue's own conditions, so an officer only finds dossiers they may see.
"""

from django.db.models import Q, QuerySet

from eforms.models import AnswerSet
from eforms.selectors import answers_display
from portal.catalog.search.folding import normalize, tokens

MAX_WORDS = 8


def folded_words(text: str) -> list[str]:
    return tokens(normalize(text))


def answers_search_text(schema: dict, answers: dict) -> str:
    """The text a search reads for these answers (the shown sections and fields, but the tick boxes)."""
    values = []
    for view in answers_display(schema, answers, skip_types={"checkbox"}):
        values.extend(row.value for row in view.rows)
        values.extend(value for item in view.items for value in item)
    return " ".join(folded_words(" ".join(value for value in values if value)))


def dossiers_matching(query: str, within: QuerySet) -> Q | None:
    """A condition on dossiers: their declaration's answers contain every word of ``query`` (None when it has
    none). Only the answers of the dossiers ``within`` (the queue being searched) are read, so PostgreSQL may start
    from either side: the trigram index when a word is rare, the queue's own index when the queue is the smaller
    (a common family name matches thousands of answer sets across the province)."""
    words = list(dict.fromkeys(folded_words(query)))[:MAX_WORDS]
    if not words:
        return None
    matching = AnswerSet.objects.filter(dossier__in=within.values("pk"))
    for word in words:
        matching = matching.filter(search_text__contains=word)
    return Q(pk__in=matching.values("dossier_id"))
