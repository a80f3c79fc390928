"""Assisted posting with consent, in the app (services/consents.py has the rules).

* A volunteer presses v on Home ("Help a carer post"): the carer beside them types their handle
  and their password, or the one-time code from their Account screen, and chooses one post or
  this visit. Then the volunteer picks one of the carer's threads and writes the reply with
  them; it is posted as the carer's, marked "written with help from a volunteer". Leaving the
  help screen ends the consent.
* A carer's Account screen has h ("Code for a volunteer") and g ("Help from volunteers": every
  consent and every assisted post, and t to take a consent back).
"""

from __future__ import annotations

import contextlib
import uuid
from typing import TYPE_CHECKING, cast

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Footer, Input, OptionList
from textual.widgets.option_list import Option

from forum_tui.domain.consent import ASSISTED_LINE, Consent, ConsentScope
from forum_tui.domain.errors import ForumError
from forum_tui.ui.format import ago, plural
from forum_tui.ui.screens.base import ForumScreen
from forum_tui.ui.screens.idea_text import one_line
from forum_tui.ui.screens.privacy_nudge import send_after_nudge
from forum_tui.ui.widgets import Plain, plain
from forum_tui.ui.widgets.composer import Composer
from forum_tui.ui.widgets.fields import Field
from forum_tui.ui.widgets.marked_list import MarkedList

if TYPE_CHECKING:
    from forum_tui.ui.app import ForumApp

CSS = """
HelpCarerModal, HelpCodeModal { align: center middle; }
AssistScreen .hint { height: auto; padding: 0 1; }
#help-code { text-style: bold; padding: 1 2; }
#consents, #assisted-posts { height: auto; }
"""
NO_THREAD_YET = "Choose a thread above, then write the reply together."


def scope_words(scope: ConsentScope) -> str:
    return f"Consent: for {scope.label}."


class HelpCarerModal(ModalScreen[Consent | None]):
    """The carer confirms, on the volunteer's screen, that the volunteer may post for them."""

    DEFAULT_CSS = CSS
    AUTO_FOCUS = "#carer-handle"
    BINDINGS = [
        Binding("ctrl+s", "confirm", "Confirm", id="consent-confirm", priority=True),
        Binding("escape", "cancel", "Cancel", id="consent-cancel"),
    ]

    @property
    def forum(self) -> ForumApp:
        return cast("ForumApp", self.app)

    def compose(self) -> ComposeResult:
        with Vertical(classes="modal-box"):
            yield Plain("Help a carer post", classes="section")
            yield Plain(
                "Please hand the keyboard to the carer. The carer types their handle, then "
                "their password or the code on their Account screen. This lets the volunteer "
                "post for them. Posts will say they were written with help.",
                classes="modal-help",
            )
            yield Field(placeholder="carer's handle", id="carer-handle", max_length=64)
            yield Field(placeholder="carer's password", id="carer-password", password=True)
            yield Field(placeholder="or: 6-digit code", id="carer-code", max_length=8)
            yield MarkedList(
                Option("For one post", id=ConsentScope.ONE_POST.value),
                Option("For this visit (up to 2 hours)", id=ConsentScope.SESSION.value),
                id="consent-scope",
                markup=False,
            )
            yield Plain(scope_words(ConsentScope.ONE_POST), id="consent-scope-chosen")
            yield Plain("Ctrl+S confirms · Esc cancels", classes="modal-help")
            yield Plain("", classes="modal-error", id="consent-error")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.query_one("#consent-scope", OptionList).highlighted = 0

    @on(OptionList.OptionHighlighted, "#consent-scope")
    def show_scope(self, event: OptionList.OptionHighlighted) -> None:
        """The marker shows only while the list has focus: the choice is also said in words."""
        scope = ConsentScope(event.option.id or ConsentScope.ONE_POST)
        self.query_one("#consent-scope-chosen", Plain).show(scope_words(scope))

    @on(Input.Submitted)
    def next_box(self) -> None:
        self.focus_next()

    def action_cancel(self) -> None:
        self.dismiss(None)

    def action_confirm(self) -> None:
        handle = self.query_one("#carer-handle", Input).value
        password = self.query_one("#carer-password", Input).value
        code = self.query_one("#carer-code", Input).value.replace(" ", "")
        option = self.query_one("#consent-scope", OptionList).highlighted_option
        scope = ConsentScope(option.id if option and option.id else ConsentScope.ONE_POST)
        self.confirm(handle, password, code, scope)

    @work(exclusive=True, group="consent", exit_on_error=False)
    async def confirm(self, handle: str, password: str, code: str, scope: ConsentScope) -> None:
        try:
            consent = await self.forum.services.consents.give_consent(
                self.forum.member_id,
                handle,
                scope=scope,
                password=password or None,
                code=code or None,
            )
        except ForumError as error:
            self.query_one("#consent-error", Plain).show(str(error))
            self.query_one("#carer-password", Input).value = ""
            self.query_one("#carer-code", Input).value = ""
            return
        self.dismiss(consent)


class AssistScreen(ForumScreen):
    """A volunteer writes a reply with the carer, posted as the carer's under their consent."""

    DEFAULT_CSS = CSS
    AUTO_FOCUS = "#assist-threads"
    BINDINGS = [
        Binding("escape", "back", "End help", id="end-help"),
        Binding("ctrl+s", "send", "Send for the carer", id="assist-send", priority=True),
    ]

    def __init__(self, consent: Consent) -> None:
        super().__init__()
        self.consent = consent
        self._send_key = uuid.uuid4().hex
        self._places: dict[str, str] = {}  # thread id -> "title · group", said when chosen

    def compose(self) -> ComposeResult:
        yield from self.compose_title(f"Helping {self.consent.carer_handle}")
        yield Plain(
            f"Posts go out as {self.consent.carer_handle}'s, marked '{ASSISTED_LINE}'. "
            f"{scope_words(self.consent.scope)}",
            classes="hint",
        )
        yield Plain("Choose a thread (Enter):", classes="section")
        yield MarkedList(id="assist-threads", markup=False)
        # Says in words where the reply goes: once the composer has focus the list's marker is
        # gone, and without colour nothing else would show which thread was chosen.
        yield Plain(NO_THREAD_YET, classes="section", id="assist-target")
        yield Composer(id="assist-composer")
        yield from self.compose_footer()

    def on_mount(self) -> None:
        self._volunteer_id = self.forum.member_id  # a kiosk may sign out before unmount
        # Here, not in CSS: the app's stylesheet (OptionList: max-height 100%) outranks a
        # widget's default CSS.
        self.query_one("#assist-threads").styles.max_height = 8
        self.query_one("#assist-composer").styles.height = "1fr"
        self.load()

    @work(exclusive=True, group="assist", exit_on_error=False)
    async def load(self) -> None:
        consents = self.forum.services.consents
        me, consent_id = self.forum.member_id, self.consent.id
        options: list[Option] = []
        try:
            for group in await consents.carer_groups(me, consent_id):
                threads = await consents.carer_threads(me, consent_id, group.id)
                options += [
                    Option(plain(f"{one_line(t.title, 50)} · {group.name}"), id=str(t.id))
                    for t in threads.items
                ]
                self._places.update(
                    {str(t.id): f"{one_line(t.title, 30)} · {group.name}" for t in threads.items}
                )
        except ForumError as error:
            self.forum.tell(str(error), error=True)
            self.app.pop_screen()
            return
        box = self.query_one("#assist-threads", OptionList)
        box.set_options(options or [Option(plain("The carer is in no group yet."), disabled=True)])
        if options:
            box.highlighted = 0

    @on(OptionList.OptionHighlighted, "#assist-threads")
    def show_target(self, event: OptionList.OptionHighlighted) -> None:
        place = self._places.get(event.option.id or "")
        self.query_one("#assist-target", Plain).show(
            f"Replying in: {place} (Ctrl+S sends)" if place else NO_THREAD_YET
        )

    @on(OptionList.OptionSelected, "#assist-threads")
    def write(self) -> None:
        self.query_one("#assist-composer", Composer).focus()

    def action_send(self) -> None:
        option = self.query_one("#assist-threads", OptionList).highlighted_option
        body = self.query_one("#assist-composer", Composer).text
        if option is None or not option.id:
            self.forum.tell("Choose a thread first.", error=True)
            return
        if not body.strip():
            self.forum.tell("The reply is empty: type something first.", error=True)
            return
        thread_id = int(option.id)
        send_after_nudge(self, body, lambda: self.send(thread_id, body))

    @work(exclusive=True, group="assist-send", exit_on_error=False)
    async def send(self, thread_id: int, body: str) -> None:
        try:
            await self.forum.services.consents.assisted_reply(
                self.forum.member_id,
                self.consent.id,
                thread_id,
                body,
                idempotency_key=self._send_key,
            )
        except ForumError as error:
            self.forum.tell(str(error), error=True)  # the text stays in the box
            return
        self._send_key = uuid.uuid4().hex
        self.query_one("#assist-composer", Composer).text = ""
        who = self.consent.carer_handle
        if self.consent.scope is ConsentScope.ONE_POST:
            self.forum.tell(f"Posted for {who}. That was the one post they agreed to.")
            self.app.pop_screen()
        else:
            self.forum.tell(f"Posted for {who}.")

    def action_back(self) -> None:
        self.app.pop_screen()

    async def on_unmount(self) -> None:
        """Leaving the help screen ends the consent: the next post needs the carer again."""
        with contextlib.suppress(ForumError):  # gone with the account: nothing left to end
            await self.forum.services.consents.end_help(self._volunteer_id, self.consent.id)


class HelpCodeModal(ModalScreen[None]):
    """A carer's one-time code for a volunteer."""

    DEFAULT_CSS = CSS
    BINDINGS = [Binding("escape,enter", "close", "Done", id="help-code-done")]

    def __init__(self, code: str) -> None:
        super().__init__()
        self.code = code

    def compose(self) -> ComposeResult:
        with Vertical(classes="modal-box"):
            yield Plain("Code for a volunteer", classes="section")
            yield Plain(f"{self.code[:3]} {self.code[3:]}", id="help-code")
            yield Plain(
                "Give this code to the volunteer beside you, so they can post for you. "
                "It works once, within 10 minutes. You can take it back later (g).",
                classes="modal-help",
            )
        yield Footer(compact=True)

    def action_close(self) -> None:
        self.dismiss(None)


def consent_line(consent: Consent, now_text: str) -> str:
    posts = plural(consent.posts, "post")
    return (
        f"{consent.volunteer_handle} · {now_text} · {consent.scope.label}\n"
        f"  {consent.state.label} · {posts} · confirmed with their {consent.confirmed_with}"
    )


class ConsentsScreen(ForumScreen):
    """What volunteers did for me: consents I gave and the posts written under them."""

    DEFAULT_CSS = CSS
    AUTO_FOCUS = "#consents"
    BINDINGS = [
        Binding("escape", "back", "Back", id="back"),
        Binding("t", "take_back", "Take back consent", id="take-back-consent"),
    ]

    def compose(self) -> ComposeResult:
        yield from self.compose_title("Help from volunteers")
        with VerticalScroll(can_focus=False):
            yield Plain("Consents you gave", classes="section")
            yield MarkedList(id="consents", markup=False)
            yield Plain("Posts written with help", classes="section")
            yield MarkedList(id="assisted-posts", markup=False)
        yield from self.compose_footer()

    def on_mount(self) -> None:
        self.load()

    @work(exclusive=True, group="consents", exit_on_error=False)
    async def load(self) -> None:
        services = self.forum.services
        try:
            consents = await services.consents.my_consents(self.forum.member_id)
            posts = await services.consents.my_assisted_posts(self.forum.member_id)
        except ForumError as error:
            self.forum.tell(str(error), error=True)
            return
        now = self.forum.clock()
        box = self.query_one("#consents", OptionList)
        box.set_options(
            [Option(plain(consent_line(c, ago(c.created_at, now))), id=str(c.id)) for c in consents]
            or [Option(plain("None: no volunteer has posted for you."), disabled=True)]
        )
        if consents:
            box.highlighted = 0
        self.query_one("#assisted-posts", OptionList).set_options(
            [
                Option(
                    plain(
                        f"{one_line(p.thread_title, 40)} · {ago(p.created_at, now)} · "
                        f"with {p.volunteer_handle}\n  {one_line(p.body, 70)}"
                    )
                )
                for p in posts
            ]
            or [Option(plain("None yet."), disabled=True)]
        )

    def action_take_back(self) -> None:
        option = self.query_one("#consents", OptionList).highlighted_option
        if option is None or not option.id:
            self.forum.tell("Highlight a consent first.")
            return
        self.take_back(int(option.id))

    @work(exclusive=True, group="take-back", exit_on_error=False)
    async def take_back(self, consent_id: int) -> None:
        try:
            consent = await self.forum.services.consents.take_back_consent(
                self.forum.member_id, consent_id
            )
        except ForumError as error:  # e.g. it has already ended: say so, change nothing
            self.forum.tell(str(error), error=True)
            return
        self.forum.tell(f"Taken back: {consent.volunteer_handle} can no longer post for you.")
        self.load()

    def action_back(self) -> None:
        self.app.pop_screen()
