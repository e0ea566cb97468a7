"""The photo library in the admin: a searchable list with thumbnails, the photo form with its
focal point set by clicking the picture, and the JSON chooser editors pick photos from."""

from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import JsonResponse
from django.urls import path
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from .. import imaging
from ..forms import clean_query
from ..models import Photo
from .common import ADMIN_STATIC


class PhotoFileInput(forms.ClearableFileInput):
    def __init__(self, attrs=None):
        super().__init__({"accept": imaging.ACCEPT, **(attrs or {})})


class PhotoFileField(forms.FileField):
    """An uploaded photo, checked by ``imaging.check_upload``: its cleaned value is the
    picture to store (upright, without metadata), never the file as it came."""

    widget = PhotoFileInput

    def to_python(self, data):
        upload = super().to_python(data)
        if upload is None:
            return None
        return imaging.check_upload(upload).content


class PhotoAdminForm(forms.ModelForm):
    file = PhotoFileField(label=_("file"), help_text=_("JPEG, PNG or WebP."))

    class Meta:
        model = Photo
        fields = ["file", "alt", "caption", "credit", "tags", "focal_x", "focal_y"]
        widgets = {
            "focal_x": forms.NumberInput(attrs={"step": "0.001", "min": 0, "max": 1}),
            "focal_y": forms.NumberInput(attrs={"step": "0.001", "min": 0, "max": 1}),
        }


@admin.register(Photo)
class PhotoAdmin(admin.ModelAdmin):
    form = PhotoAdminForm
    list_display = ["thumbnail", "__str__", "credit", "tag_list", "size", "uploaded_at"]
    list_display_links = ["thumbnail", "__str__"]
    list_filter = ["uploaded_at"]
    search_fields = ["caption", "credit", "alt", "tags__name"]
    date_hierarchy = "uploaded_at"
    list_per_page = 48
    readonly_fields = ["focal_point_picker", "size", "uploaded_by", "uploaded_at"]
    fieldsets = [
        (None, {"fields": ["file", "alt", "caption", "credit", "tags"]}),
        (
            _("Focal point"),
            {
                "fields": ["focal_point_picker", ("focal_x", "focal_y")],
                "description": _(
                    "Click the subject of the photo: crops for link previews keep it in the "
                    "picture."
                ),
            },
        ),
        (_("File"), {"fields": ["size", "uploaded_by", "uploaded_at"]}),
    ]

    class Media:
        css = {"all": [ADMIN_STATIC + "admin.css"]}
        js = [ADMIN_STATIC + "focal-point.js"]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("tags").with_renditions()

    def get_search_results(self, request, queryset, search_term):
        # Every word in the caption, credit, description or a tag, in any letter case.
        if not search_term:
            return queryset, False
        return queryset.search(search_term), False

    def get_urls(self):
        return [
            path(
                "chooser/",
                self.admin_site.admin_view(self.chooser_view),
                name="articles_photo_chooser",
            ),
            *super().get_urls(),
        ]

    def chooser_view(self, request):
        """``?q=`` → ``{"results": [{id, thumbnail, caption, alt, credit}]}``: the newest
        photos matching the words, for the story body's photo picker."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        photos = Photo.objects.for_chooser(clean_query(request.GET.get("q", "")))
        results = [
            {
                "id": photo.pk,
                "thumbnail": photo.thumbnail_url(),
                "caption": photo.caption,
                "alt": photo.alt,
                "credit": photo.credit,
            }
            for photo in photos
        ]
        return JsonResponse({"results": results})

    def save_model(self, request, obj, form, change):
        if not change:
            obj.uploaded_by = request.user
        super().save_model(request, obj, form, change)

    @admin.display(description=_("photo"))
    def thumbnail(self, photo):
        return format_html(
            '<img class="photo-thumbnail" src="{}" alt="{}" width="120" loading="lazy">',
            photo.thumbnail_url(),
            photo.alt,
        )

    @admin.display(description=_("tags"))
    def tag_list(self, photo):
        return ", ".join(tag.name for tag in photo.tags.all())

    @admin.display(description=_("size"))
    def size(self, photo):
        if not photo.width:
            return "—"
        return f"{photo.width} × {photo.height}"

    @admin.display(description=_("focal point"))
    def focal_point_picker(self, photo):
        if photo.pk is None or not photo.file:
            return _("Upload the photo first; then click its subject here.")
        return format_html(
            '<div class="focal-point" data-x-input="id_focal_x" data-y-input="id_focal_y">'
            '<img src="{}" alt="{}" width="{}" height="{}">'
            '<span class="focal-point-marker" hidden></span></div>',
            photo.picture().src,
            photo.alt,
            photo.width,
            photo.height,
        )
