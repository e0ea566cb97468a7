"""Editorial states of a story, who may move it between them, and the record of every move.

A story is a draft, in review, published (scheduled while its time is still to come) or
withdrawn. Reporters write drafts and send them to review; editors, who hold the
``articles.publish_story`` permission, publish, schedule, withdraw and send stories back to draft.
Every move goes through :meth:`StoryWorkflowMixin.apply`, which checks, records and saves.
"""

import reversion
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import AuditEvent

PUBLISH_PERMISSION = "articles.publish_story"


def is_editor(user):
    """Whether ``user`` may publish, schedule and withdraw stories and edit any of them."""
    return user is not None and user.has_perm(PUBLISH_PERMISSION)


class Status(models.TextChoices):
    """What is stored: a published story with a future time is scheduled (see :class:`State`)."""

    DRAFT = "draft", _("Draft")
    REVIEW = "review", _("In review")
    PUBLISHED = "published", _("Published")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class State(models.TextChoices):
    """What editors see: the status, with scheduled stories told apart from published ones."""

    DRAFT = "draft", _("Draft")
    REVIEW = "review", _("In review")
    SCHEDULED = "scheduled", _("Scheduled")
    PUBLISHED = "published", _("Published")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class Action(models.TextChoices):
    SUBMIT = "submit", _("Send to review")
    PUBLISH = "publish", _("Publish")
    RETURN = "return", _("Return to draft")
    WITHDRAW = "withdraw", _("Withdraw")


# Which moves each state allows. A scheduled story goes back to draft to be unscheduled; a story
# readers have seen is withdrawn, so that its address says so, never silently unpublished.
ACTIONS_BY_STATE = {
    State.DRAFT: (Action.SUBMIT, Action.PUBLISH),
    State.REVIEW: (Action.PUBLISH, Action.RETURN),
    State.SCHEDULED: (Action.RETURN,),
    State.PUBLISHED: (Action.WITHDRAW,),
    State.WITHDRAWN: (Action.RETURN,),
}
TARGET_STATUS = {
    Action.SUBMIT: Status.REVIEW,
    Action.PUBLISH: Status.PUBLISHED,
    Action.RETURN: Status.DRAFT,
    Action.WITHDRAW: Status.WITHDRAWN,
}
EDITORS_ONLY = {Action.PUBLISH, Action.RETURN, Action.WITHDRAW}
# Moves that change what readers see (or will see) go to the audit log as well.
LIVE_STATES = {State.PUBLISHED, State.SCHEDULED}


def audited_action(source, target):
    """The audit log's name for a move, or None for moves readers never notice."""
    if target in (State.PUBLISHED, State.SCHEDULED, State.WITHDRAWN):
        return State(target).value
    if source in LIVE_STATES:
        return "unpublished"
    return None


class TransitionNotAllowed(Exception):
    """The story's state does not allow the move (e.g. withdrawing a draft)."""


class StoryWorkflowMixin:
    """The workflow half of :class:`Story`: states, permissions and transitions."""

    Status = Status
    State = State
    Action = Action

    @property
    def state(self):
        if self.status == Status.PUBLISHED and not self.is_published:
            return State.SCHEDULED
        return State(self.status)

    def get_state_display(self):
        return self.state.label

    def is_authored_by(self, user):
        """Whether ``user`` is one of the authors; uses prefetched authors when there are some."""
        if self.pk is None or user is None or user.pk is None:
            return False
        cache = self.__dict__.setdefault("_authored_by", {})
        if user.pk not in cache:
            prefetched = getattr(self, "_prefetched_objects_cache", {}).get("authors")
            if prefetched is not None:
                cache[user.pk] = any(author.pk == user.pk for author in prefetched)
            else:
                cache[user.pk] = self.authors.filter(pk=user.pk).exists()
        return cache[user.pk]

    def moved_to_at(self, state):
        """When the story last entered ``state``, if that was recorded."""
        return self.transitions.filter(target=state).values_list("at", flat=True).first()

    def may_edit(self, user):
        """Editors edit any story; reporters only the drafts they author or co-author."""
        if not user.has_perm("articles.change_story"):
            return False
        if is_editor(user):
            return True
        return self.status == Status.DRAFT and (self.pk is None or self.is_authored_by(user))

    def may(self, action, user):
        """Whether ``user`` may make the move now; ``user=None`` is the system (commands)."""
        if action not in ACTIONS_BY_STATE[self.state]:
            return False
        if user is None:
            return True
        if action in EDITORS_ONLY:
            return is_editor(user) and user.has_perm("articles.change_story")
        return self.may_edit(user)

    def actions_for(self, user):
        return [action for action in ACTIONS_BY_STATE[self.state] if self.may(action, user)]

    def apply(self, action, *, by=None, comment=""):
        """Make the move: check it, save the story, record the transition and a revision.

        Raises :class:`TransitionNotAllowed` when the state forbids it and ``PermissionDenied``
        when ``by`` may not make it.
        """
        action = Action(action)
        if action not in ACTIONS_BY_STATE[self.state]:
            raise TransitionNotAllowed(f"{action.label}: not from {self.state.label}")
        if not self.may(action, by):
            raise PermissionDenied(f"{action.label}: not allowed")
        with transaction.atomic(), reversion.create_revision():
            source = self.state
            self.status = TARGET_STATUS[action]
            if action == Action.PUBLISH and self.published_at is None:
                self.published_at = timezone.now()
            self.save()
            transition = StoryTransition.record(self, source, by=by, comment=comment)
            if by is not None:
                reversion.set_user(by)
            reversion.set_comment(str(transition.summary))
        return transition

    def record_state_change(self, source, *, by=None, comment=""):
        """Record a move made by editing, not by a button: a live story given a time still to
        come is scheduled again, a scheduled one given a past time is published. Returns the
        transition, or None when the state is what it was."""
        if self.state == source:
            return None
        return StoryTransition.record(self, source, by=by, comment=comment)

    def submit_for_review(self, *, by=None, comment=""):
        return self.apply(Action.SUBMIT, by=by, comment=comment)

    def publish(self, *, by=None, comment=""):
        """Publish now, or at ``published_at`` when that is still to come (scheduling)."""
        return self.apply(Action.PUBLISH, by=by, comment=comment)

    def return_to_draft(self, *, by=None, comment=""):
        return self.apply(Action.RETURN, by=by, comment=comment)

    def withdraw(self, *, by=None, comment=""):
        return self.apply(Action.WITHDRAW, by=by, comment=comment)


class StoryTransition(models.Model):
    """One move of a story between states: who, when, from, to, and why."""

    story = models.ForeignKey(
        "Story", verbose_name=_("story"), on_delete=models.CASCADE, related_name="transitions"
    )
    source = models.CharField(_("from"), max_length=20, choices=State.choices)
    target = models.CharField(_("to"), max_length=20, choices=State.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    at = models.DateTimeField(_("at"), default=timezone.now)
    comment = models.TextField(_("comment"), blank=True)

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("state change")
        verbose_name_plural = _("state changes")
        indexes = [models.Index(fields=["story", "-at"], name="transition_story_at_idx")]

    def __str__(self):
        return f"{self.story_id}: {self.source} → {self.target}"

    @classmethod
    def record(cls, story, source, *, by=None, comment=""):
        """Record the move of ``story`` from ``source`` to its present state; moves that change
        what readers see (publishing, scheduling, withdrawing, unpublishing) go to the audit log
        too."""
        transition = cls.objects.create(
            story=story, source=source, target=story.state, user=by, comment=comment.strip()
        )
        if action := audited_action(source, transition.target):
            AuditEvent.objects.record(action, actor=by, target=story, detail=transition.comment)
        return transition

    @property
    def summary(self):
        return _("%(source)s → %(target)s") % {
            "source": self.get_source_display(),
            "target": self.get_target_display(),
        }
