"""A news story page (StreamField of paragraphs and quotes, tags) and an index of the latest."""

from django.db import models
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey
from taggit.models import TaggedItemBase
from wagtail import blocks
from wagtail.fields import StreamField
from wagtail.models import Page
from wagtail.search import index

LATEST = 5
TAG_PAGE = 20


class NewsIndexPage(Page):
    subpage_types = ["news.NewsPage"]

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        stories = NewsPage.objects.live().child_of(self).order_by("-first_published_at")
        if tag := request.GET.get("tag"):
            context["tag"] = tag
            context["stories"] = stories.filter(tags__name=tag)[:TAG_PAGE]
        else:
            context["stories"] = stories[:LATEST]
        return context


class NewsPageTag(TaggedItemBase):
    content_object = ParentalKey("NewsPage", related_name="tagged_items", on_delete=models.CASCADE)


class QuoteBlock(blocks.StructBlock):
    text = blocks.TextBlock()
    attribution = blocks.CharBlock()

    class Meta:
        template = "news/quote_block.html"


class NewsPage(Page):
    intro = models.TextField(blank=True)
    body = StreamField([("paragraph", blocks.RichTextBlock()), ("quote", QuoteBlock())])
    tags = ClusterTaggableManager(through=NewsPageTag, blank=True)

    parent_page_types = ["news.NewsIndexPage"]
    search_fields = [*Page.search_fields, index.SearchField("intro"), index.SearchField("body")]
