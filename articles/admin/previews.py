"""Preview links in the story admin: made and revoked from the story's page by editors."""

from django.contrib import messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseNotAllowed, HttpResponseRedirect
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from ..models import PreviewLink, Status


class PreviewLinkAdminMixin:
    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        return [
            path(
                "<path:object_id>/preview-links/",
                self.admin_site.admin_view(self.preview_links_view),
                name="{}_{}_previewlinks".format(*info),
            ),
            *super().get_urls(),
        ]

    def may_share_previews(self, request, story):
        return (
            request.user.has_perm("articles.add_previewlink")
            and self.has_view_or_change_permission(request, story)
            and story.status != Status.WITHDRAWN
        )

    def may_revoke_previews(self, request):
        return request.user.has_perm("articles.change_previewlink")

    def previews_context(self, request, obj):
        if obj is None or not request.user.has_perm("articles.view_previewlink"):
            return {}
        links = [
            (link, request.build_absolute_uri(link.get_absolute_url()))
            for link in obj.preview_links.active().select_related("created_by")
        ]
        return {
            "preview_links": links,
            "may_share_previews": self.may_share_previews(request, obj),
            "may_revoke_previews": self.may_revoke_previews(request),
            "preview_links_url": reverse(
                f"{self.admin_site.name}:articles_story_previewlinks", args=[obj.pk]
            ),
        }

    def preview_links_view(self, request, object_id):
        """POST ``create`` makes a link; ``revoke`` with a link's id, or ``all``, revokes."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        story = self.get_object(request, unquote(object_id))
        if story is None:
            raise Http404
        change_url = reverse(f"{self.admin_site.name}:articles_story_change", args=[story.pk])
        if "create" in request.POST:
            if not self.may_share_previews(request, story):
                raise PermissionDenied
            PreviewLink.create_for(story, by=request.user)
            self.message_user(
                request,
                _("A preview link was made. Copy it from «Preview links» below."),
                messages.SUCCESS,
            )
            return HttpResponseRedirect(change_url + "#preview-links")
        revoke = request.POST.get("revoke", "")
        if not self.may_revoke_previews(request) or not self.has_view_or_change_permission(
            request, story
        ):
            raise PermissionDenied
        links = story.preview_links.active()
        if revoke != "all":
            if not (revoke.isascii() and revoke.isdigit() and len(revoke) < 19):
                raise Http404
            links = links.filter(pk=revoke)
        count = 0
        for link in links:
            link.revoke()
            count += 1
        self.message_user(
            request,
            ngettext(
                "%(count)d preview link was revoked.",
                "%(count)d preview links were revoked.",
                count,
            )
            % {"count": count},
            messages.SUCCESS,
        )
        return HttpResponseRedirect(change_url + "#preview-links")
