"""The public ranking pages and downloads, kept once rendered for anonymous visitors and served again only while
nothing they show has changed (the one mechanism, ``portal/cache``): a version per year, replaced by every rating recorded or
changed in that year and by an agency's figures refreshed for it, and one for the rules, replaced by any change of a
threshold or weight and by a rebuild. Signed-in visitors get the page rendered for them (its header is theirs)."""

from django.conf import settings
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.utils import translation

from portal import cache as versioned
from ratings.models import IndexWeight, IndicatorRule

KEPT_SECONDS = 600
RULES = "ratings:rules"


def year_token(year: int) -> str:
    return f"ratings:{year}"


def tokens_for(year: int) -> list[str]:
    return [year_token(year), RULES]


def entry_key(*parts) -> str:
    """The key of a kept page: its language, the minimum sample it was ranked with, and ``parts``."""
    language, minimum = translation.get_language(), settings.RATINGS_MINIMUM_RATED
    return "ratings:page:" + ":".join(str(part) for part in (language, minimum, *parts))


def years_changed(years) -> None:
    versioned.bump(*(year_token(year) for year in years))


def everything_changed() -> None:
    versioned.bump(RULES)


@receiver([post_save, post_delete], sender=IndicatorRule, dispatch_uid="ratings_rules_changed")
@receiver([post_save, post_delete], sender=IndexWeight, dispatch_uid="ratings_weights_changed")
def rules_changed(sender, **kwargs) -> None:
    everything_changed()


def kept(request, key: str, year: int, make):
    """The response ``make()`` renders, kept for anonymous visitors under ``key`` while the year's and the rules'
    tokens stand. ``make`` returns an HttpResponse; only a 200 is kept, with its body and content type."""
    from django.http import HttpResponse

    if request.user.is_authenticated:
        return make()
    value, stamp = versioned.lookup(key, tokens_for(year))
    if value is not None:
        body, content_type, disposition = value
        response = HttpResponse(body, content_type=content_type)
        if disposition:
            response["Content-Disposition"] = disposition
        response["Cache-Control"] = "public, max-age=300"
        return response
    response = make()
    if response.status_code == 200:
        value = (response.content, response["Content-Type"], response.get("Content-Disposition", ""))
        versioned.store(key, stamp, value, KEPT_SECONDS)
    return response
