"""The workflow in the story admin: who may change what, the state filters, the move buttons of
the story form and the bulk actions of the list. Every rule is the model's (Story.may_edit,
Story.may); this module asks, and refuses on the server whatever the browser sends."""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.admin.models import CHANGE, LogEntry
from django.core.exceptions import PermissionDenied
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext, pgettext_lazy

from ..models import Action, State, Status, Story, is_editor


class MineFilter(admin.SimpleListFilter):
    """«My stories»: the ones the signed-in user wrote or co-wrote."""

    title = _("whose stories")
    parameter_name = "mine"

    def lookups(self, request, model_admin):
        return [("1", _("My stories"))]

    def queryset(self, request, queryset):
        if self.value() == "1":
            return queryset.filter(authors=request.user)
        return queryset


class StateFilter(admin.SimpleListFilter):
    title = _("state")
    parameter_name = "state"

    def lookups(self, request, model_admin):
        return [
            (State.DRAFT, pgettext_lazy("stories", "Drafts")),
            (State.REVIEW, pgettext_lazy("stories", "In review")),
            (State.SCHEDULED, pgettext_lazy("stories", "Scheduled")),
            (State.PUBLISHED, pgettext_lazy("stories", "Published")),
            (State.WITHDRAWN, pgettext_lazy("stories", "Withdrawn")),
        ]

    def queryset(self, request, queryset):
        value = self.value()
        if value == State.SCHEDULED:
            return queryset.scheduled()
        if value == State.PUBLISHED:
            return queryset.published()
        if value in (State.DRAFT, State.REVIEW, State.WITHDRAWN):
            return queryset.filter(status=value)
        return queryset


class WithdrawForm(forms.Form):
    comment = forms.CharField(
        label=_("Why (kept in the story's history)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3, "class": "vLargeTextField"}),
    )


# Messages for the bulk actions: done, and refused (not allowed for that story or that user).
DONE = {
    Action.SUBMIT: lambda n: ngettext(
        "%(count)d story was sent to review.", "%(count)d stories were sent to review.", n
    ),
    Action.PUBLISH: lambda n: ngettext(
        "%(count)d story was published.", "%(count)d stories were published.", n
    ),
    Action.RETURN: lambda n: ngettext(
        "%(count)d story was returned to draft.", "%(count)d stories were returned to draft.", n
    ),
    Action.WITHDRAW: lambda n: ngettext(
        "%(count)d story was withdrawn.", "%(count)d stories were withdrawn.", n
    ),
}
REFUSED = {
    Action.SUBMIT: lambda n: ngettext(
        "%(count)d could not be sent: only drafts you may edit can go to review.",
        "%(count)d could not be sent: only drafts you may edit can go to review.",
        n,
    ),
    Action.PUBLISH: lambda n: ngettext(
        "%(count)d could not be published: it is already published or withdrawn.",
        "%(count)d could not be published: they are already published or withdrawn.",
        n,
    ),
    Action.RETURN: lambda n: ngettext(
        "%(count)d could not be returned to draft: a story readers can see is withdrawn instead.",
        "%(count)d could not be returned to draft: a story readers can see is withdrawn instead.",
        n,
    ),
    Action.WITHDRAW: lambda n: ngettext(
        "%(count)d could not be withdrawn: only stories readers can see are withdrawn.",
        "%(count)d could not be withdrawn: only stories readers can see are withdrawn.",
        n,
    ),
}


class WorkflowAdminMixin:
    """Permissions by role and state, and the moves between states, for the story admin."""

    def get_object(self, request, object_id, from_field=None):
        story = super().get_object(request, object_id, from_field)
        if story is not None:
            # Kept to notice a state changed by editing the publication time (save_related).
            story.loaded_state = story.state
        return story

    def has_change_permission(self, request, obj=None):
        if not super().has_change_permission(request, obj):
            return False
        return obj is None or obj.may_edit(request.user)

    def has_publish_permission(self, request):
        return is_editor(request.user) and super().has_change_permission(request)

    def get_readonly_fields(self, request, obj=None):
        fields = [*super().get_readonly_fields(request, obj), "state_badge"]
        if not is_editor(request.user):
            # Choosing when a story appears, and whether it leads the home page, is publishing.
            fields += ["published_at", "featured"]
        return fields

    # The story form's move buttons

    def allowed_actions(self, request, obj):
        if obj is None:
            story = Story(status=Status.DRAFT)
            return [
                action
                for action in (Action.SUBMIT, Action.PUBLISH)
                if story.may(action, request.user)
            ]
        return obj.actions_for(request.user)

    def transition_message(self, story):
        if story.state == State.SCHEDULED:
            when = date_format(timezone.localtime(story.published_at), "DATETIME_FORMAT")
            return _("«%(story)s» is scheduled for %(when)s.") % {"story": story, "when": when}
        return _("«%(story)s» is now: %(state)s.") % {"story": story, "state": story.state.label}

    def workflow_context(self, request, obj):
        transitions = list(obj.transitions.select_related("user")) if obj else []
        latest = transitions[0] if transitions else None
        actions = self.allowed_actions(request, obj)
        return {
            "story_state": obj.state if obj else State.DRAFT,
            "story_actions": [(action.value, action.label) for action in actions],
            "story_actions_labels": ", ".join(f"«{action.label}»" for action in actions),
            "story_can_publish": Action.PUBLISH in actions,
            "story_transitions": transitions,
            # What an editor said when sending the story back: the first thing its reporter sees.
            "returned_with_comment": latest
            if latest and latest.comment and obj.status == Status.DRAFT
            else None,
        }

    # Bulk actions in the story list

    @admin.action(permissions=["change"], description=_("Send selected stories to review"))
    def submit_for_review(self, request, queryset):
        self.apply_to_selected(request, queryset, Action.SUBMIT)

    @admin.action(permissions=["publish"], description=_("Publish selected stories"))
    def publish(self, request, queryset):
        self.apply_to_selected(request, queryset, Action.PUBLISH)

    @admin.action(permissions=["publish"], description=_("Return selected stories to draft"))
    def return_to_draft(self, request, queryset):
        self.apply_to_selected(request, queryset, Action.RETURN)

    @admin.action(permissions=["publish"], description=_("Withdraw selected stories"))
    def withdraw(self, request, queryset):
        """Asks first, with room for a reason: withdrawing takes a story away from readers."""
        form = WithdrawForm(request.POST if request.POST.get("confirmed") else None)
        if form.is_valid():
            self.apply_to_selected(request, queryset, Action.WITHDRAW, form.cleaned_data["comment"])
            return None
        opts = self.model._meta
        return TemplateResponse(
            request,
            "admin/articles/story/withdraw_selected.html",
            {
                **self.admin_site.each_context(request),
                "title": _("Withdraw stories"),
                "opts": opts,
                "stories": queryset,
                "form": form,
                "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
                "media": self.media,
            },
        )

    def apply_to_selected(self, request, queryset, action, comment=""):
        done, refused = [], 0
        for story in queryset.prefetch_related("authors"):
            if not story.may(action, request.user):
                refused += 1
                continue
            try:
                story.apply(action, by=request.user, comment=comment)
            except PermissionDenied:
                refused += 1
                continue
            done.append(story)
        if done:
            LogEntry.objects.log_actions(
                user_id=request.user.pk,
                queryset=done,
                action_flag=CHANGE,
                change_message=str(action.label),
                single_object=len(done) == 1,
            )
        message = DONE[action](len(done)) % {"count": len(done)}
        scheduled = sum(1 for story in done if story.state == State.SCHEDULED)
        if scheduled:
            message += " " + ngettext(
                "%(count)d of them will appear at its scheduled time.",
                "%(count)d of them will appear at their scheduled time.",
                scheduled,
            ) % {"count": scheduled}
        if refused:
            message += " " + REFUSED[action](refused) % {"count": refused}
        self.message_user(request, message, messages.WARNING if refused else messages.SUCCESS)
