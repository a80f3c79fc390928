"""Account: my SSH keys (so I can sign in without a password) and, for group leaders and
admins, invite codes for new members."""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Footer, OptionList
from textual.widgets.option_list import Option

from forum_tui.domain.access import SshKey
from forum_tui.domain.errors import ForumError
from forum_tui.domain.models import Group
from forum_tui.ui.format import ago
from forum_tui.ui.screens.base import ForumScreen
from forum_tui.ui.widgets import Plain, plain
from forum_tui.ui.widgets.composer import Composer
from forum_tui.ui.widgets.marked_list import MarkedList

if TYPE_CHECKING:
    from forum_tui.ui.app import ForumApp


def key_line(key: SshKey, used: str) -> str:
    """Two lines: the key as ssh-keygen -l shows it, then its comment and when it was used."""
    details = [key.comment] if key.comment else []
    details.append(f"last used {used}" if key.last_used_at else "not used yet")
    return f"{key.algorithm} {key.fingerprint}\n  " + " · ".join(details)


class AddKeyModal(ModalScreen[SshKey | None]):
    """Paste a public key (the one line of a .pub file); the service checks it."""

    BINDINGS = [
        Binding("ctrl+s", "save", "Add key", id="add-key-save", priority=True),
        Binding("escape", "cancel", "Cancel", id="add-key-cancel"),
    ]

    def compose(self) -> ComposeResult:
        with Vertical(id="add-key-box", classes="dialog"):
            yield Plain(
                "Paste your public key: the one line in ~/.ssh/id_ed25519.pub, starting "
                "ssh-ed25519. Never paste a private key. (Ctrl+S adds it · Esc cancels)",
                classes="section",
            )
            yield Composer(id="key-text")
            yield Plain("", id="key-error")
        yield Footer(compact=True)

    def action_cancel(self) -> None:
        self.dismiss(None)

    def action_save(self) -> None:
        self.save(self.query_one("#key-text", Composer).text)

    @work(exclusive=True, group="add-key", exit_on_error=False)
    async def save(self, text: str) -> None:
        forum = cast("ForumApp", self.app)
        try:
            key = await forum.services.access.add_my_key(forum.member_id, text)
        except ForumError as error:
            self.query_one("#key-error", Plain).show(str(error))
            return
        self.dismiss(key)


class InviteCodeModal(ModalScreen[None]):
    """Shows a new invite code once: only a hash of it is kept."""

    BINDINGS = [Binding("escape,enter", "close", "Done", id="invite-done")]

    def __init__(self, code: str, group_name: str) -> None:
        super().__init__()
        self.code = code
        self.group_name = group_name

    def compose(self) -> ComposeResult:
        with Vertical(id="invite-box", classes="dialog"):
            yield Plain(f"Invite code for {self.group_name}", classes="section")
            yield Plain(self.code, id="invite-code")
            yield Plain(
                "Give this code to the person you are inviting. They connect with "
                "ssh new@ and this forum's address, then type the code, choose a handle and "
                "a password. It works once, for 14 days. Write it down now: it is not shown "
                "again."
            )
        yield Footer(compact=True)

    def action_close(self) -> None:
        self.dismiss(None)


class AccountScreen(ForumScreen):
    BINDINGS = [
        Binding("escape", "back", "Back", id="back"),
        # Short labels, so the footer fits 80 columns (Help shows the tooltips); h and g are
        # explained on the screen itself instead.
        Binding("a", "add_key", "Add key", id="add-key", tooltip="Add an SSH key"),
        Binding("delete,x", "remove_key", "Remove key", id="remove-key"),
        Binding("i", "invite", "Invite", id="invite", tooltip="Invite someone to a group you lead"),
        Binding("h", "help_code", "Code for a volunteer", id="help-code", show=False),
        Binding("g", "volunteer_help", "Help from volunteers", id="volunteer-help", show=False),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.keys: list[SshKey] = []
        self.led: list[Group] = []

    def compose(self) -> ComposeResult:
        yield from self.compose_title("Account")
        with VerticalScroll(id="account", can_focus=False):
            yield Plain("Your SSH keys", classes="section")
            yield Plain(
                "With a key you can sign in over SSH without typing your password.",
                classes="hint",
            )
            yield MarkedList(id="keys", markup=False)
            yield Plain("Invite someone to a group you lead", classes="section", id="led-heading")
            yield MarkedList(id="led-groups", markup=False)
            yield Plain("Help from a drop-in volunteer", classes="section")
            yield Plain(
                "h: a code to give the volunteer beside you, so they can post for you.\n"
                "g: the consents you gave and the posts written with help; take one back.",
                classes="hint",
            )
        yield from self.compose_footer()

    def on_mount(self) -> None:
        member = self.forum.member
        assert member is not None
        self.set_title(f"Account · {member.handle}")
        self.load()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "invite":
            return bool(self.led)
        if action == "remove_key":
            return bool(self.keys)
        return True

    @work(exclusive=True, group="account", exit_on_error=False)
    async def load(self) -> None:
        services = self.forum.services
        try:
            self.keys = await services.access.list_my_keys(self.forum.member_id)
            mine, _others = await services.groups.list_groups(self.forum.member_id)
        except ForumError as error:
            self.forum.tell(str(error), error=True)
            return
        self.led = [g for g in mine if g.i_lead]
        now = self.forum.clock()
        keys = self.query_one("#keys", OptionList)
        keys.set_options(
            [
                Option(plain(key_line(k, ago(k.last_used_at, now) if k.last_used_at else "")))
                for k in self.keys
            ]
            or [Option(plain("No keys yet: press a to add one."), disabled=True)]
        )
        led = self.query_one("#led-groups", OptionList)
        led.set_options([Option(plain(g.name)) for g in self.led])
        for widget in (led, self.query_one("#led-heading")):
            widget.display = bool(self.led)
        if self.keys:
            keys.highlighted = 0
        (keys if self.keys or not self.led else led).focus()
        self.refresh_bindings()

    def action_back(self) -> None:
        self.app.pop_screen()

    # Assisted posting (screens/assist.py): a code to give a volunteer, and what they did.

    @work(exclusive=True, group="help-code", exit_on_error=False)
    async def action_help_code(self) -> None:
        from forum_tui.ui.screens.assist import HelpCodeModal

        try:
            code = await self.forum.services.consents.new_help_code(self.forum.member_id)
        except ForumError as error:
            self.forum.tell(str(error), error=True)
            return
        self.app.push_screen(HelpCodeModal(code))

    def action_volunteer_help(self) -> None:
        from forum_tui.ui.screens.assist import ConsentsScreen

        self.app.push_screen(ConsentsScreen())

    def action_add_key(self) -> None:
        def added(key: SshKey | None) -> None:
            if key is not None:
                self.forum.tell(f"Key added: {key.fingerprint}")
                self.load()

        self.app.push_screen(AddKeyModal(), added)

    def action_remove_key(self) -> None:
        keys = self.query_one("#keys", OptionList)
        if keys.highlighted is None or not self.keys:
            self.forum.tell("Move to a key in 'Your SSH keys' first.")
            return
        self.remove_key(self.keys[keys.highlighted])

    @work(exclusive=True, group="remove-key", exit_on_error=False)
    async def remove_key(self, key: SshKey) -> None:
        try:
            await self.forum.services.access.remove_my_key(self.forum.member_id, key.id)
        except ForumError as error:
            self.forum.tell(str(error), error=True)
            return
        self.forum.tell(f"Key removed: {key.fingerprint}")
        self.load()

    def action_invite(self) -> None:
        led = self.query_one("#led-groups", OptionList)
        index = led.highlighted if led.highlighted is not None else 0
        if not self.led:
            return
        self.invite(self.led[min(index, len(self.led) - 1)])

    @on(OptionList.OptionSelected, "#led-groups")
    def invite_selected(self, event: OptionList.OptionSelected) -> None:
        self.invite(self.led[event.option_index])

    @work(exclusive=True, group="invite", exit_on_error=False)
    async def invite(self, group: Group) -> None:
        try:
            code = await self.forum.services.access.create_invite(self.forum.member_id, group.slug)
        except ForumError as error:
            self.forum.tell(str(error), error=True)
            return
        self.app.push_screen(InviteCodeModal(code, group.name))
