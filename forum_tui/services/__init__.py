"""Use cases. Each public method is one transaction, checks permission and returns domain
objects. Never imports Textual: the CLI, the SSH server, the tests and the UI all share these.
"""

from __future__ import annotations

from dataclasses import dataclass

from forum_tui.services._common import Clock, utcnow
from forum_tui.services._writes import finish_writes
from forum_tui.services.access import AccessService
from forum_tui.services.accounts import AccountService
from forum_tui.services.boards import BoardService
from forum_tui.services.changes import ChangeFeed
from forum_tui.services.checkins import CheckInService
from forum_tui.services.consents import ConsentService
from forum_tui.services.contributions import ContributionService
from forum_tui.services.desk import StaffDeskService
from forum_tui.services.digest import DigestService
from forum_tui.services.directory import DirectoryService
from forum_tui.services.drafts import DraftService
from forum_tui.services.following import FollowService
from forum_tui.services.groups import GroupService
from forum_tui.services.hiding import HidingService
from forum_tui.services.ideas import IdeaService
from forum_tui.services.involvement import InvolvementService
from forum_tui.services.limits import PostingLimits
from forum_tui.services.meeting_ideas import MeetingIdeaService
from forum_tui.services.moderation import ModerationService
from forum_tui.services.notifications import NotificationService
from forum_tui.services.outcomes import OutcomeService
from forum_tui.services.privacy import PrivacyService
from forum_tui.services.reports import ReportService
from forum_tui.services.reuse import ReuseService
from forum_tui.services.search import SearchService
from forum_tui.services.sign_in_throttle import SignInThrottle
from forum_tui.services.slow_mode import SlowModeService
from forum_tui.services.threads import ThreadService
from forum_tui.services.unread import UnreadService
from forum_tui.store.database import Database


@dataclass(frozen=True)
class Services:
    db: Database
    accounts: AccountService
    access: AccessService
    groups: GroupService
    threads: ThreadService
    drafts: DraftService
    boards: BoardService
    ideas: IdeaService
    outcomes: OutcomeService
    involvement: InvolvementService
    contributions: ContributionService
    notifications: NotificationService
    reports: ReportService
    moderation: ModerationService
    privacy: PrivacyService
    search: SearchService
    following: FollowService
    unread: UnreadService
    digest: DigestService
    changes: ChangeFeed
    # Leaders' and staff's jobs (issue 12)
    desk: StaffDeskService
    hiding: HidingService
    checkins: CheckInService
    directory: DirectoryService
    slow_mode: SlowModeService
    consents: ConsentService
    meeting_ideas: MeetingIdeaService
    reuse: ReuseService

    async def close(self) -> None:
        await self.changes.close()
        await finish_writes()  # a post being committed as the session closes still lands
        await self.db.dispose()


def build_services(
    db: Database, clock: Clock = utcnow, *, limits: PostingLimits | None = None
) -> Services:
    """All services over ``db``. ``limits`` are the posting limits (default: from the
    environment, see ``services.limits``); ``PostingLimits.off()`` for seeding."""
    limits = PostingLimits.from_env() if limits is None else limits
    groups = GroupService(db, clock)
    threads = ThreadService(db, clock, limits)
    throttle = SignInThrottle(db, clock)  # one for every password check (sign_in_throttle.py)
    return Services(
        db=db,
        accounts=AccountService(db, clock, throttle),
        access=AccessService(db, clock),
        groups=groups,
        threads=threads,
        drafts=DraftService(db, clock),
        boards=BoardService(db, clock),
        ideas=IdeaService(db, clock, limits),
        outcomes=OutcomeService(db, clock),
        involvement=InvolvementService(db, clock),
        contributions=ContributionService(db, clock),
        notifications=NotificationService(db, clock),
        reports=ReportService(db, clock),
        moderation=ModerationService(db, clock),
        privacy=PrivacyService(db, clock),
        search=SearchService(db, clock),
        following=FollowService(db, clock),
        unread=UnreadService(db, clock),
        digest=DigestService(db, clock),
        changes=ChangeFeed(db),
        desk=StaffDeskService(db, clock),
        hiding=HidingService(db, clock),
        checkins=CheckInService(db, clock),
        directory=DirectoryService(db, clock),
        slow_mode=SlowModeService(db, clock),
        consents=ConsentService(db, clock, groups, threads, throttle),
        meeting_ideas=MeetingIdeaService(db, clock),
        reuse=ReuseService(db, clock, limits),
    )


__all__ = ["Services", "build_services", "Clock", "PostingLimits", "utcnow"]
