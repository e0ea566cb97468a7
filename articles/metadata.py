"""What search engines and link previews read about a page: Open Graph images and JSON-LD.

The builders take an ``absolute`` function (``request.build_absolute_uri``) so that every
address is complete; templates print the results with the ``json_ld`` filter
(``templatetags/sharing.py``), which escapes them for a ``<script>`` element.
"""

from dataclasses import dataclass

from django.conf import settings
from django.templatetags.static import static
from django.urls import reverse
from django.utils.text import Truncator

from . import sharing

LOGO = "img/logo.png"
LOGO_SIZE = 512


@dataclass(frozen=True)
class PreviewImage:
    url: str
    width: int
    height: int
    alt: str
    type: str


def story_image(story):
    """The picture a story unfurls with: the social crop of its photo (1200 × 630 around the
    focal point), or else its share card."""
    social = story.photo.social_image() if story.photo_id else None
    if social is not None:
        return PreviewImage(social.url, social.width, social.height, story.photo.alt, social.type)
    width, height = sharing.CARD_SIZE
    return PreviewImage(story.get_share_card_url(), width, height, story.headline, "image/png")


def logo(absolute):
    return {
        "@type": "ImageObject",
        "url": absolute(static(LOGO)),
        "width": LOGO_SIZE,
        "height": LOGO_SIZE,
    }


def publisher(absolute):
    return {
        "@type": "NewsMediaOrganization",
        "name": settings.SITE_NAME,
        "url": absolute(reverse("articles:home")),
        "logo": logo(absolute),
    }


def breadcrumbs(absolute, *trail):
    """A ``BreadcrumbList`` from the home page through ``(name, url)`` pairs."""
    items = [(settings.SITE_NAME, reverse("articles:home")), *trail]
    return {
        "@context": "https://schema.org",
        "@type": "BreadcrumbList",
        "itemListElement": [
            {"@type": "ListItem", "position": i, "name": name, "item": absolute(url)}
            for i, (name, url) in enumerate(items, start=1)
        ],
    }


def _person(user, absolute):
    return {
        "@type": "Person",
        "name": user.get_full_name() or user.get_username(),
        "url": absolute(reverse("articles:author", args=[user.get_username()])),
    }


def story_data(story, absolute, entries=()):
    """``NewsArticle`` (``LiveBlogPosting`` with ``entries`` for live coverage),
    ``BreadcrumbList`` and the story's quotes as ``Quotation`` for a story page."""
    url = absolute(story.get_absolute_url())
    image = story_image(story)
    authors = [_person(user, absolute) for user in story.authors.all()]
    article = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": story.headline,
        "description": story.lede,
        "image": [
            {
                "@type": "ImageObject",
                "url": absolute(image.url),
                "width": image.width,
                "height": image.height,
            }
        ],
        "datePublished": story.published_at,
        "dateModified": max(story.updated_at, story.published_at or story.updated_at),
        "author": authors or [publisher(absolute)],
        "publisher": publisher(absolute),
        "mainEntityOfPage": {"@type": "WebPage", "@id": url},
        "url": url,
        "inLanguage": settings.LANGUAGE_CODE,
        "articleSection": story.section.name,
        "keywords": [tag.name for tag in story.tags.all()],
    }
    if story.has_live_coverage:
        article.update(live_blog(story, absolute, entries))
    trail = breadcrumbs(
        absolute,
        (story.section.name, story.section.get_absolute_url()),
        (story.headline, story.get_absolute_url()),
    )
    return [article, trail, *quotations_data(story.body_quotes, absolute, story=story)]


def live_blog(story, absolute, entries):
    """What makes a story a ``LiveBlogPosting``: the coverage's times and its entries."""
    url = absolute(story.get_absolute_url())
    data = {
        "@type": "LiveBlogPosting",
        "coverageStartTime": story.live_started_at,
        "liveBlogUpdate": [
            {
                "@type": "BlogPosting",
                "headline": Truncator(entry.text or entry.quote or story.headline).chars(110),
                "articleBody": " ".join(filter(None, [entry.text, entry.quote])),
                "datePublished": entry.posted_at,
                "dateModified": entry.updated_at,
                "url": f"{url}#{entry.anchor}",
            }
            for entry in entries
        ],
    }
    if story.live_ended_at:
        data["coverageEndTime"] = story.live_ended_at
    return data


def quotation(quote, absolute, story=None):
    """A schema.org ``Quotation``: what was said, by whom, when, and the story it is in."""
    story = story or quote.story
    data = {
        "@type": "Quotation",
        "text": quote.text,
        "url": absolute(f"{story.get_absolute_url()}#{quote.anchor}"),
        "inLanguage": settings.LANGUAGE_CODE,
        "isPartOf": {
            "@type": "NewsArticle",
            "headline": story.headline,
            "url": absolute(story.get_absolute_url()),
        },
    }
    if said_at := quote.said_on or story.published_at:
        data["dateCreated"] = said_at
    if quote.speaker:
        speaker = {
            "@type": "Person",
            "name": quote.speaker.name,
            "url": absolute(quote.speaker.get_absolute_url()),
        }
        if quote.speaker_role:
            speaker["jobTitle"] = quote.speaker_role
        data["spokenByCharacter"] = speaker
    if quote.context:
        data["description"] = quote.context
    return data


def quotations_data(quotes, absolute, story=None):
    """One ``Quotation`` for each quote (``story``: theirs, when they share one)."""
    return [
        {"@context": "https://schema.org", **quotation(quote, absolute, story)} for quote in quotes
    ]


def home_data(absolute):
    """``WebSite`` with the search box search engines may offer, and the publisher."""
    search = absolute(reverse("articles:search"))
    return [
        {
            "@context": "https://schema.org",
            "@type": "WebSite",
            "name": settings.SITE_NAME,
            "url": absolute(reverse("articles:home")),
            "inLanguage": settings.LANGUAGE_CODE,
            "potentialAction": {
                "@type": "SearchAction",
                "target": {"@type": "EntryPoint", "urlTemplate": f"{search}?q={{search_term}}"},
                "query-input": "required name=search_term",
            },
        },
        {"@context": "https://schema.org", **publisher(absolute)},
    ]


def collection_data(absolute, name, url, description=""):
    """A section's or a tag's page: a ``CollectionPage`` and its breadcrumbs."""
    page = {
        "@context": "https://schema.org",
        "@type": "CollectionPage",
        "name": name,
        "url": absolute(url),
        "inLanguage": settings.LANGUAGE_CODE,
        "isPartOf": {"@type": "WebSite", "name": settings.SITE_NAME},
    }
    if description:
        page["description"] = description
    return [page, breadcrumbs(absolute, (name, url))]


def newsmaker_data(newsmaker, absolute):
    """A newsmaker's page: a ``ProfilePage`` about a ``Person``."""
    url = newsmaker.get_absolute_url()
    person = {"@type": "Person", "name": newsmaker.name, "url": absolute(url)}
    if newsmaker.role:
        person["jobTitle"] = newsmaker.role
    if newsmaker.photo:
        person["image"] = absolute(newsmaker.photo.url)
    page = {
        "@context": "https://schema.org",
        "@type": "ProfilePage",
        "name": newsmaker.name,
        "url": absolute(url),
        "inLanguage": settings.LANGUAGE_CODE,
        "mainEntity": person,
    }
    return [page, breadcrumbs(absolute, (newsmaker.name, url))]
