from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.template.response import TemplateResponse
from wagtail.models import Page


def search(request):
    """The search view ``wagtail start`` generates: live pages, ten a page."""
    query = request.GET.get("query", "")
    results = Page.objects.live().search(query) if query else Page.objects.none()
    paginator = Paginator(results, 10)
    try:
        results = paginator.page(request.GET.get("page", 1))
    except (PageNotAnInteger, EmptyPage):
        results = paginator.page(1)
    return TemplateResponse(request, "news/search.html", {"query": query, "results": results})
