"""Demo content: the members, groups, threads and posts a demo database is seeded with.

Pure data and a few frozen dataclasses, standard library only, so the seeding code, the tests and
the README can all read it without touching the database. Everyone here is invented; the only
phone numbers are well-known public ones (999, NHS 111, Samaritans 116 123, Shout 85258).

The demo signs in as ``DEMO_CARER`` ("carer_ann"), who belongs to two open groups, started a few
threads and replied in many more. She is not a member of the private "Partners' circle", so the
demo also shows that a private group is invisible to someone outside it, and she has not joined
"Siblings and young adult carers", so joining an open group can be shown too.

Every demo account has the password ``DEMO_PASSWORD``. ``forum_admin`` is created directly by the
seeder (sign-up would refuse a handle containing "admin", which is the point of reserving it).

Bodies are written below as indented, source-wrapped paragraphs and unwrapped by ``_text``: a
blank line separates paragraphs, a line starting "- " keeps its own line (a list item), and every
other line break inside a paragraph becomes a space, so posts reflow to any terminal width.
``minutes_ago`` counts back from the moment of seeding; within a thread it strictly decreases.
Run ``validate()`` after editing.
"""

from __future__ import annotations

import re
import textwrap
from dataclasses import dataclass

__all__ = [
    "BOARDS",
    "DEMO_CARER",
    "DEMO_PASSWORD",
    "GROUPS",
    "MEMBERS",
    "DemoBoard",
    "DemoGroup",
    "DemoIdea",
    "DemoInvolvement",
    "DemoMember",
    "DemoOutcome",
    "DemoPost",
    "DemoSupport",
    "DemoThread",
    "DemoUpdate",
    "validate",
]


@dataclass(frozen=True)
class DemoMember:
    handle: str  # 3-32 chars, ASCII letters/digits/_.- only
    display_name: str | None
    role: str  # "carer" | "volunteer" | "staff" | "admin"


@dataclass(frozen=True)
class DemoPost:
    author: str  # a handle from MEMBERS
    body: str  # plain text, may contain newlines; 1..20000 chars
    minutes_ago: int  # before "now"; strictly decreasing within a thread (later posts are newer)


@dataclass(frozen=True)
class DemoThread:
    title: str  # 3..120 chars
    posts: tuple[DemoPost, ...]  # first post is the opening post by the thread's starter
    pinned: bool = False
    locked: bool = False


@dataclass(frozen=True)
class DemoGroup:
    slug: str  # lowercase a-z0-9-
    name: str
    description: str  # one or two sentences, including when leaders read it
    visibility: str  # "open" | "private"
    leader: str  # handle
    members: tuple[str, ...]  # handles (leader included)
    threads: tuple[DemoThread, ...]


DEMO_CARER = "carer_ann"
DEMO_PASSWORD = "demo-carer"


# --- helpers (used only to build the data below) -------------------------------------------------

_LIST_ITEM = re.compile(r"(- |\d+[.)] )")


def _text(raw: str) -> str:
    """Unwrap an indented, source-wrapped body into paragraphs (see the module docstring)."""
    paragraphs = []
    for block in re.split(r"\n[ \t]*\n", textwrap.dedent(raw).strip()):
        joined = ""
        for line in (ln.strip() for ln in block.splitlines()):
            if not joined:
                joined = line
            elif _LIST_ITEM.match(line):
                joined += "\n" + line
            else:
                joined += " " + line
        paragraphs.append(joined)
    return "\n\n".join(paragraphs)


def _ago(days: int, hours: int = 0, minutes: int = 0) -> int:
    return (days * 24 + hours) * 60 + minutes


def _p(author: str, minutes_ago: int, body: str) -> DemoPost:
    return DemoPost(author=author, body=_text(body), minutes_ago=minutes_ago)


def _thread(title: str, *posts: DemoPost, pinned: bool = False, locked: bool = False) -> DemoThread:
    return DemoThread(title=title, posts=posts, pinned=pinned, locked=locked)


# --- members -------------------------------------------------------------------------------------

MEMBERS: tuple[DemoMember, ...] = (
    # Carers. Each has a story that stays consistent across groups.
    DemoMember("carer_ann", "Ann", "carer"),  # son Tom (26), schizophrenia; school receptionist
    DemoMember("bev_leeds", "Bev", "carer"),  # daughter Kayleigh (34); leads Carers' Corner
    DemoMember("mo.hussain", "Mo", "carer"),  # wife Samira, bipolar; leads Working carers
    DemoMember("sibling_jo", "Jo", "carer"),  # brother Danny, schizophrenia; leads Siblings
    DemoMember("rosie_k", "Rosie", "carer"),  # husband Pete, veteran, PTSD; leads Partners' circle
    DemoMember("elaine_w", "Elaine", "carer"),  # son Gareth (47), psychosis for 20+ years
    DemoMember("gaz_t", "Gaz", "carer"),  # partner Lee, OCD and anxiety; bus driver
    DemoMember("priya.s", "Priya", "carer"),  # mum with severe depression, frail dad; pharmacist
    DemoMember("dave.m", "Dave", "carer"),  # wife June, severe anxiety and agoraphobia; retired
    DemoMember("marg_h", "Margaret", "carer"),  # husband Don, psychotic depression
    DemoMember("neil_p", None, "carer"),  # daughter Hannah (21), OCD and depression
    DemoMember("kez99", None, "carer"),  # 19, mum with anxiety and drinking
    DemoMember("lou_b", "Lou", "carer"),  # brother Callum, autism and depression; retail manager
    DemoMember("tasha.o", "Tasha", "carer"),  # 18, mum with bipolar, brother aged 11
    DemoMember("fin_r", "Fin", "carer"),  # twin brother Jamie, bipolar; student in Glasgow
    # Not carers.
    DemoMember("drop_in_dev", "Dev (drop-in volunteer)", "volunteer"),
    DemoMember("cmht_sam", "Sam, CMHT carers' lead", "staff"),
    DemoMember("oakfield_nina", "Nina, Oakfield ward manager", "staff"),
    DemoMember("forum_admin", "Forum admin", "admin"),
)


# --- Carers' Corner (open) -----------------------------------------------------------------------

_CORNER_THREADS: tuple[DemoThread, ...] = (
    _thread(
        "Welcome to Carers' Corner - please read",
        _p(
            "bev_leeds",
            _ago(59, 3),
            """
            Hello and welcome, I'm Bev. I've looked after my daughter for fifteen-odd years and
            I lead this group as a volunteer, not a professional.

            Carers' Corner is for anyone caring for someone with a mental illness: partner,
            parent, child, brother, sister or friend. Ask questions, have a moan, share a win,
            or just read for a while. Nobody here will judge you for being tired or cross.

            A few things that keep us all safe:
            - Use first names or nicknames for the person you care for, never full names.
            - Be kind. We're all doing our best on not much sleep.
            - Advice here comes from lived experience, not from doctors. Check anything about
              medication with the GP, the care team or a pharmacist.
            - If a post worries you, use Report and one of the leaders will look at it.

            I read the group 9am–6pm on weekdays. This is not a crisis line, and a post may not
            be seen for hours.

            If you're worried about someone's safety right now, call 999. If you need to talk,
            Samaritans are on 116 123 (free, 24 hours). NHS 111 can help with urgent mental
            health worries too (in England, choose the mental health option). If the person you
            care for has a crisis plan, the crisis team's number will be on it.

            Make a brew and have a look round.

            Bev x
            """,
        ),
        _p(
            "elaine_w",
            _ago(58, 20),
            """
            Thank you Bev. I've been caring for my son for over twenty years and I still
            remember how lonely the first few were. Nice to see a place like this.

            Elaine x
            """,
        ),
        _p(
            "carer_ann",
            _ago(52, 5),
            """
            Hello all. The carers' centre gave me a leaflet about this. My son's 26 and has been
            in hospital for nearly seven weeks; he's due home soon and I'm a bit all over the
            place. Mostly reading for now, but thank you for having me.
            """,
        ),
        _p(
            "bev_leeds",
            _ago(52, 3),
            """
            Welcome Ann. Read as much as you like, and shout when you're ready. Do start a
            thread about the discharge if it would help - lots of us have been there.
            """,
        ),
        pinned=True,
    ),
    _thread(
        "Small wins this week",
        _p(
            "bev_leeds",
            _ago(55, 4),
            """
            Let's have somewhere for the good bits, however small. They count. I'll start:
            Kayleigh rang me yesterday just to chat - not because anything was wrong. First time
            in months. What's yours?
            """,
        ),
        _p(
            "elaine_w",
            _ago(55, 1),
            "Gareth came to the garden centre with me and chose a tomato plant. He's named it.",
        ),
        _p(
            "dave.m",
            _ago(54, 20),
            """
            June managed to the end of the drive and back twice this week. Eighteen months ago
            she couldn't open the front door.
            """,
        ),
        _p(
            "priya.s",
            _ago(54, 6),
            """
            Got Mum's repeat prescriptions moved to one pharmacy and one date. Sounds dull. Has
            saved me about three trips a month.
            """,
        ),
        _p(
            "bev_leeds",
            _ago(54, 4),
            "Priya, that's not dull, that's genius. Admin wins are wins.",
        ),
        _p(
            "neil_p",
            _ago(53, 22),
            """
            Hannah laughed at something on the telly. A proper laugh. I went and stood in the
            kitchen for a minute.
            """,
        ),
        _p(
            "carer_ann",
            _ago(48, 2),
            """
            Tom's home. It's been a bumpy first two days but he's home, he's eating, and he let
            me make him a bacon sandwich at midnight.
            """,
        ),
        _p(
            "bev_leeds",
            _ago(48, 1),
            "Oh Ann. That's a big one. Go gently with yourself this week too x",
        ),
        _p(
            "gaz_t",
            _ago(46, 9),
            "Remembered to eat lunch. Both days. Standards are high round here.",
        ),
        _p(
            "marg_h",
            _ago(44, 3),
            """
            Don said "thank you for sticking with me". He's not a man for words. I've written it
            on the calendar.
            """,
        ),
        _p(
            "kez99",
            _ago(41, 23),
            """
            mum went to her first group at the recovery college. she said it was "alright" which
            from her is basically a 5 star review
            """,
        ),
        _p("elaine_w", _ago(41, 14), "Ha! Love that, Kez. Alright is a very good review x"),
        _p(
            "dave.m",
            _ago(37, 5),
            "The tomato plant is the kind of news I come here for. Any fruit yet, Elaine?",
        ),
        _p(
            "elaine_w",
            _ago(36, 22),
            """
            Three green ones. Gareth checks them every morning. It's the first thing he's looked
            after in years and I could cry.
            """,
        ),
        _p(
            "rosie_k",
            _ago(33, 8),
            """
            Pete fixed the shed door. It took him four weekends and a lot of swearing, but it's
            the first project he's finished since he left the Army.
            """,
        ),
        _p(
            "priya.s",
            _ago(29, 2),
            """
            Dad agreed to a grab rail in the bathroom without a fight, and Mum came downstairs to
            supervise the fitter. Two wins in one.
            """,
        ),
        _p(
            "carer_ann",
            _ago(25, 19),
            """
            Tom made me a cup of tea. Without being asked. It was stone cold by the time I
            noticed it because I was on the phone to the council, but I drank every drop.
            """,
        ),
        _p("gaz_t", _ago(25, 17), "Stone cold tea made with love is still the best tea. Fact."),
        _p(
            "neil_p",
            _ago(21, 4),
            """
            Hannah booked her own dentist appointment. On the phone. To a human. I know how big
            that is for her.
            """,
        ),
        _p(
            "mo.hussain",
            _ago(17, 6),
            """
            Samira and I went for a walk on the beach on Sunday, just the two of us. An hour. It
            felt like a holiday.
            """,
        ),
        _p("marg_h", _ago(13, 21), "Slept six hours straight. I don't remember the last time."),
        _p("kez99", _ago(10, 3), "passed my driving theory!! second go"),
        _p("bev_leeds", _ago(10, 1), "Brilliant Kez! Second go is still a pass. Proud of you x"),
        _p(
            "dave.m",
            _ago(6, 7),
            """
            June came to the shops with me. She waited in the car park, but she came. We had a
            Mr Whippy in the car like teenagers.
            """,
        ),
        _p(
            "carer_ann",
            _ago(2, 5),
            """
            Ellie's mock results came in and she did better than she expected, despite
            everything at home this year. Tom texted her a thumbs up. From his room, but still.
            """,
        ),
        _p(
            "elaine_w",
            _ago(0, 9),
            """
            Seven tomatoes in the end. Gareth gave one to the lady next door.

            Elaine x
            """,
        ),
    ),
    _thread(
        "Son coming home from the ward on Friday - what should I ask?",
        _p(
            "carer_ann",
            _ago(50, 9),
            """
            Tom's been on the ward for nearly seven weeks and they've said he might be
            discharged on Friday. I found out from Tom, not from the ward, which I'm trying not
            to be cross about.

            What should I be asking before he comes home? Last time he was discharged it all
            happened in an afternoon, he came home with a paper bag of tablets, and I didn't know
            who to ring when things went wrong two weeks later.
            """,
        ),
        _p(
            "marg_h",
            _ago(50, 7),
            """
            Ask for a discharge planning meeting, and ask to be in it. My husband came home in
            the spring and I nearly didn't get invited. When I asked, the ward manager said "of
            course" as if it had been the plan all along.
            """,
        ),
        _p(
            "priya.s",
            _ago(50, 5),
            """
            From the pharmacy side: ask for a written list of his medication and doses, who will
            prescribe after discharge (the ward, the GP or the mental health team), and when the
            next prescription is due. Hospitals often send people home with one or two weeks'
            supply, and the gap catches a lot of families out.
            """,
        ),
        _p(
            "elaine_w",
            _ago(49, 22),
            """
            Ask who his care coordinator will be and get a name and a number, not just "the
            team". And ask what the plan is if he becomes unwell again: who you ring in office
            hours, who you ring at night. Get it written down. Ours lives on the fridge.
            """,
        ),
        _p(
            "bev_leeds",
            _ago(49, 20),
            """
            All of this. And if Tom was detained under section 3, he's entitled to section 117
            aftercare, which is worth asking about. You can also ask whether the ward follows
            the Triangle of Care - it's a standard for involving carers, and a useful phrase to
            drop into conversation.
            """,
        ),
        _p(
            "carer_ann",
            _ago(49, 3),
            """
            I've rung and asked for a meeting. They said Thursday at 2. I've written all your
            questions on the back of an envelope. Thank you - I didn't know half of this.
            """,
        ),
        _p(
            "carer_ann",
            _ago(47, 22),
            """
            Quick update: the meeting was short, but I came out with the care coordinator's name
            (Femi), the crisis team number and a medication list. Fourteen days of tablets, then
            the GP takes over. It felt much more joined up than last time.
            """,
        ),
        _p("marg_h", _ago(47, 20), "Well done. The envelope strategy never fails."),
    ),
    _thread(
        "Drop-in at Hilltop Library - Tuesdays 10 till 1",
        _p(
            "drop_in_dev",
            _ago(45, 8),
            """
            Hi all, I'm Dev, one of the volunteers at the carers' drop-in at Hilltop Library.
            We've got a terminal set up with this forum on it, every Tuesday from 10 till 1.

            If you don't have a computer at home, or you'd like a hand signing in or posting,
            come along. I can also type a post for you while you tell me what to say - I'll
            always read it back and ask for your OK before it goes up.

            There's tea and biscuits too (the good ones).
            """,
        ),
        _p(
            "elaine_w",
            _ago(45, 5),
            """
            I might come next week. I'm hopeless with computers - my grandson set this up on my
            phone and I'm terrified of pressing the wrong button.
            """,
        ),
        _p(
            "drop_in_dev",
            _ago(44, 22),
            """
            You'll be very welcome, Elaine. Nobody's hopeless at this; it's the computers that
            are awkward. We'll put the kettle on.
            """,
        ),
        _p("bev_leeds", _ago(44, 20), "Thanks Dev. I can vouch for the biscuits."),
    ),
    _thread(
        "The guilt when you're relieved they're back in hospital",
        _p(
            "marg_h",
            _ago(42, 5),
            """
            Don was readmitted last week. I know it was the right thing - he was very unwell and
            hardly sleeping - but the first night he was in, I slept nine hours and woke up
            feeling... lighter. Then the guilt hit me like a bus. What kind of wife feels
            relieved?

            I've visited every day and taken him his puzzle books and clean pyjamas. The nurses
            are lovely. But that first morning I made a coffee and sat in the garden, and it was
            quiet and nobody needed me, and I enjoyed it. I haven't told anyone that. I'm not
            sure why I'm telling a forum.

            Please tell me I'm not the only one.
            """,
        ),
        _p(
            "bev_leeds",
            _ago(42, 3),
            """
            You're not the only one. Not by a long way. Relief isn't the opposite of love,
            Margaret - it's what happens when you've been holding your breath for weeks and
            somebody else takes the weight for a bit. Drink the coffee. Sit in the garden.
            You'll be back to holding it soon enough x
            """,
        ),
        _p(
            "elaine_w",
            _ago(41, 22),
            """
            I've felt exactly that, more times than I can count. It doesn't make you a bad wife.
            It makes you exhausted.
            """,
        ),
        _p(
            "carer_ann",
            _ago(41, 19),
            """
            Thank you for writing this. I felt the same when Tom went in and I've been carrying
            it around ever since. Reading it in someone else's words makes it look less
            terrible.
            """,
        ),
        _p(
            "dave.m",
            _ago(41, 6),
            """
            My counsellor says you can be heartbroken and relieved in the same minute, and both
            are true. It took me a long time to believe her.
            """,
        ),
        _p(
            "marg_h",
            _ago(40, 21),
            """
            Thank you. I had a little cry reading these, and then I had another coffee in the
            garden.
            """,
        ),
        _p("rosie_k", _ago(40, 8), "Late to this but sending love. Rest while you can."),
    ),
    _thread(
        "Carer's assessment - what do I actually say?",
        _p(
            "carer_ann",
            _ago(40, 6),
            """
            The carers' centre has booked me a carer's assessment with the council next
            Thursday. I've put it off for years because I thought it would be about whether I'm
            "good enough", or that I'd end up with a social worker judging how we live. The lady
            on the phone said it's about me, not Tom, which I keep reading back because I'm not
            used to that.

            I've no idea what to say. When anyone asks how I am I say "fine, thanks" before I've
            even thought about it. I'm worried I'll sit there saying everything's OK and come
            out with nothing.

            For anyone who's had one: what did you talk about? Did you get anything out of it?
            Is it worth asking for something specific? I work part-time in term time, I've got
            a 16-year-old doing her GCSEs, and I haven't had a full night's sleep since Tom came
            home.
            """,
        ),
        _p(
            "bev_leeds",
            _ago(40, 4),
            """
            Good for you, Ann. It is about you: under the Care Act the council has to look at
            your needs as a carer, whether or not Tom gets any services himself.

            What helped me was writing it down beforehand. Don't describe how you cope on a good
            day - describe a bad week. Things to think about:
            - How many hours a week you spend caring, including the worrying, the phone calls
              and the chasing.
            - What you've given up: work hours, friends, hobbies, sleep.
            - Your own health.
            - What would happen if you couldn't do it for a week.
            - What would actually help: a break, someone to talk to, help with the admin.

            And don't say "fine". Say "I'm managing, but at a cost".

            Bev x
            """,
        ),
        _p(
            "elaine_w",
            _ago(39, 22),
            """
            Take someone with you if you can. I went on my own the first time and agreed with
            everything they said. The second time my friend came and kept saying "tell them
            about the nights, Elaine". Made all the difference.
            """,
        ),
        _p(
            "priya.s",
            _ago(39, 9),
            """
            Ask for a copy of the assessment and your support plan in writing. Mine sat in a
            drawer at the council for two months until I chased it.
            """,
        ),
        _p(
            "dave.m",
            _ago(38, 18),
            """
            Something I didn't know: you can ask for your assessment to be reviewed if things
            change. Mine was done before June got worse and it was out of date within six
            months.
            """,
        ),
        _p(
            "carer_ann",
            _ago(38, 2),
            """
            Thank you all so much. I've started a list on my phone. It's already quite long,
            which is a bit of a shock in itself.
            """,
        ),
        _p(
            "bev_leeds",
            _ago(37, 23),
            "That's usually how it goes, love. Seeing it written down is half the point.",
        ),
        _p(
            "carer_ann",
            _ago(30, 4),
            """
            [update] the assessment went ok. Better than ok, really. The assessor was kind and
            didn't rush me, and when I said "fine" she just waited, so I kept going.

            They're going to fund some sessions with the carers' centre counsellor and give me a
            small carer's break budget - she said a weekend away or a course, whatever actually
            gives me a rest. I cried in the car afterwards, but the good kind. Thank you for the
            list idea; I read it straight off my phone.
            """,
        ),
        _p(
            "elaine_w",
            _ago(29, 21),
            """
            So pleased for you Ann. Now spend that break on something just for you, mind.

            Elaine x
            """,
        ),
        _p(
            "gaz_t",
            _ago(29, 18),
            'Brilliant. Also stealing "managing, but at a cost" for my own review next month.',
        ),
    ),
    _thread(
        "Things professionals have said to us (vent and laughs)",
        _p(
            "gaz_t",
            _ago(39, 11),
            """
            A thread for the daft things we've been told. Laugh or you'll cry. I'll start:
            "Have you tried encouraging him to relax?" - to me, about Lee, who has OCD, while Lee
            was in the room washing his hands for the ninth time.
            """,
        ),
        _p(
            "bev_leeds",
            _ago(39, 8),
            """
            "You're her mum, you must know what's best." Followed ten minutes later by "We can't
            discuss this with you."
            """,
        ),
        _p(
            "elaine_w",
            _ago(39, 2),
            """
            A receptionist, many years ago: "Can Gareth come to the phone?" He was the reason I
            was ringing. He was up a tree at the time.
            """,
        ),
        _p(
            "dave.m",
            _ago(38, 21),
            """
            "Have you considered getting out more as a couple?" She has agoraphobia. That was the
            entire point of the appointment.
            """,
        ),
        _p(
            "carer_ann",
            _ago(38, 19),
            """
            "We'll send you a letter." I'm still waiting. That was 2022. At this point the letter
            is a family legend.
            """,
        ),
        _p(
            "neil_p",
            _ago(38, 9),
            """
            I was sent a form asking how they could improve communication with families. It went
            to my old address. Twice.
            """,
        ),
        _p(
            "marg_h",
            _ago(37, 22),
            """
            "You're doing really well" - from a doctor who'd known me for four minutes, while I
            was crying in a corridor. Kindly meant, I suppose.
            """,
        ),
        _p(
            "kez99",
            _ago(37, 15),
            '"and how are your parents coping?" me: i am the parent in this situation mate',
        ),
        _p("gaz_t", _ago(37, 13), "Kez wins the thread."),
        _p(
            "priya.s",
            _ago(37, 1),
            """
            In fairness to my own profession: "Take one tablet three times a day after food."
            Mum: "What if I only eat twice?" A fair question, honestly.
            """,
        ),
        _p(
            "bev_leeds",
            _ago(36, 20),
            """
            Keep them coming, these have made my week. To be fair, we've met some good ones too
            - maybe that's the next thread.
            """,
        ),
        _p(
            "mo.hussain",
            _ago(36, 10),
            """
            Best thing a nurse ever said to me: "And how are you doing? Not Samira - you." I
            still think about it.
            """,
        ),
    ),
    _thread(
        "Q&A with Sam from the CMHT carers' team (now closed)",
        _p(
            "bev_leeds",
            _ago(36, 5),
            """
            Sam is the carers' lead at the community mental health team and has kindly offered
            to answer questions here this week, Monday to Friday. Sam can't talk about any
            individual patient, so please keep questions general. I'll lock the thread on Friday
            evening so it stays here to read.

            Bev
            """,
        ),
        _p(
            "cmht_sam",
            _ago(36, 3),
            """
            Hello everyone, and thank you Bev. I'm Sam. I've been the carers' lead for the team
            for three years, and before that I was a care coordinator. Ask me about how the team
            works, what you can expect as a carer, or how to make a complaint (or a compliment).
            I'll answer every day around lunchtime.
            """,
        ),
        _p(
            "neil_p",
            _ago(35, 22),
            """
            The big one for me: my daughter's 21 and hasn't agreed to share information with me,
            so the team won't tell me anything. Does that mean they won't listen to me either?
            """,
        ),
        _p(
            "cmht_sam",
            _ago(35, 4),
            """
            Thanks Neil - this is the question I get most. Confidentiality stops us sharing your
            daughter's information without her agreement, but it doesn't stop us listening to
            you. You can always tell us what you're seeing at home, and we should record it and
            take it into account.

            We can also give you general information - about a diagnosis, a medication, what the
            crisis team does - without breaching anything. And it's worth asking her care
            coordinator to revisit consent with her from time to time: people often say no when
            they're unwell and yes later on.
            """,
        ),
        _p(
            "carer_ann",
            _ago(34, 20),
            """
            Is there a way to find out who to ring when the care coordinator is off sick or on
            leave? Every time Tom's coordinator is away it feels like falling off a cliff.
            """,
        ),
        _p(
            "cmht_sam",
            _ago(34, 4),
            """
            Yes - every team has a duty worker each day for exactly this. Ask for the duty
            number and keep it next to the crisis line number. Tom's care plan should also name
            a contact for when his coordinator is away; if it doesn't, that's a fair thing to
            ask for at his next review.
            """,
        ),
        _p(
            "marg_h",
            _ago(33, 23),
            """
            Could carers' appointments be outside 9 to 5? I can't get to the ones in the middle
            of the day without losing pay.
            """,
        ),
        _p(
            "cmht_sam",
            _ago(33, 4),
            """
            That's fair, and you're not the first to say it. I can't promise anything, but I've
            raised it with the team manager, and I'd encourage you to add it to the
            service-improvement board too, so it's on record and you can see what happens to it.
            """,
        ),
        _p(
            "elaine_w",
            _ago(32, 21),
            """
            Thank you for doing this, Sam. In twenty years I don't think anyone from the team has
            ever asked what carers think.
            """,
        ),
        _p(
            "cmht_sam",
            _ago(32, 5),
            """
            Thank you Elaine, that means a lot. It's been a really useful week for me, and I'll
            take the themes back to our team meeting. Take care, all.
            """,
        ),
        _p(
            "bev_leeds",
            _ago(32, 3),
            """
            Thank you Sam, and thank you all for your questions. I'm locking this now so it
            stays as a reference.
            """,
        ),
        locked=True,
    ),
    _thread(
        "Got a letter about a Carer's Allowance overpayment",
        _p(
            "gaz_t",
            _ago(31, 9),
            """
            Letter from the DWP this morning saying I've been overpaid Carer's Allowance because
            I went over the earnings limit. I did a load of overtime over Christmas to cover for
            a mate and didn't realise it's checked week by week. They want a lot of money back.
            I feel sick. Anyone been through this?
            """,
        ),
        _p(
            "bev_leeds",
            _ago(31, 7),
            """
            Oh Gaz. Don't panic, and don't pay anything yet. Get free advice first: Citizens
            Advice, your council's welfare rights team, or the Carers UK helpline (the number's
            on their website). If you think the decision is wrong you can ask the DWP for a
            mandatory reconsideration, and there are time limits, so do it soon.
            """,
        ),
        _p(
            "mo.hussain",
            _ago(31, 4),
            """
            The same happened to a colleague. He got it reduced after showing that some weeks
            had been worked out wrongly, and set up a small monthly repayment for the rest. Keep
            every payslip.
            """,
        ),
        _p(
            "priya.s",
            _ago(30, 20),
            """
            Also worth knowing: some things can be taken off your earnings before they're
            compared with the limit, like pension contributions and some care costs. The advice
            line will go through it with you.
            """,
        ),
        _p(
            "gaz_t",
            _ago(29, 2),
            """
            Got an appointment with welfare rights on Thursday. Dug out every payslip from the
            last year. The kitchen table looks like a tax office.
            """,
        ),
        _p(
            "gaz_t",
            _ago(20, 5),
            """
            Update: they found two weeks where the sums were wrong, so the overpayment is less
            than half what they said. I still owe some, but it's manageable and there's a
            repayment plan. Lesson learned: I now have a reminder on my phone every payday.
            Thanks all.
            """,
        ),
        _p(
            "dave.m",
            _ago(20, 2),
            """
            Good result. Thanks for posting the update - someone will find this thread just when
            they need it.
            """,
        ),
    ),
    _thread(
        "He says his injection makes him feel like a zombie",
        _p(
            "elaine_w",
            _ago(27, 4),
            """
            Gareth has his injection every four weeks, and for the week after it he sleeps most
            of the day and says he feels "like a zombie". He's talking about refusing the next
            one. Last time he stopped his medication it ended in a long admission and I'm
            frightened. I don't want to nag him but I don't want to go back there either. Has
            anyone found a way through this?
            """,
        ),
        _p(
            "priya.s",
            _ago(27, 2),
            """
            That sounds really hard, Elaine. I can't advise on Gareth's medication, but side
            effects like that are a very good reason to ask for a medication review with his
            psychiatrist - sometimes there are options with the dose, the timing or a different
            medicine. The important thing is that changes are made with the team, not by
            stopping suddenly.
            """,
        ),
        _p(
            "bev_leeds",
            _ago(26, 22),
            """
            Could Gareth write down how he feels each day after the injection? Kayleigh did that
            with her tablets and took it to her appointment, and it was the first time she felt
            the doctor really took it seriously. It also meant it was her telling them, not me.
            """,
        ),
        _p(
            "marg_h",
            _ago(26, 20),
            """
            Don's consultant changed the time of day he has his, and it helped with the dozy
            days. Worth asking.
            """,
        ),
        _p(
            "elaine_w",
            _ago(26, 3),
            """
            Thank you. I rang his care coordinator and she's going to raise it at clinic. Gareth
            has agreed to keep a diary, on condition that I don't read it. Fair enough.
            """,
        ),
        _p(
            "carer_ann",
            _ago(25, 23),
            "That's a brilliant deal to have struck. Hope the review helps.",
        ),
        _p(
            "elaine_w",
            _ago(14, 6),
            """
            Update for anyone who finds this later: they've lowered the dose a little and he's
            much more himself. He had his injection on Monday and walked to the shop on Tuesday.
            Keep asking, is my advice.

            Elaine x
            """,
        ),
    ),
    _thread(
        "Anyone else lie awake listening?",
        _p(
            "elaine_w",
            _ago(23, 2),
            """
            It's ten past three and I'm awake again. Gareth is fine as far as I know - I can hear
            his radio through the wall. But I've got into the habit of lying here listening for
            the door. Twenty years of it. Does it ever stop?
            """,
        ),
        _p(
            "neil_p",
            _ago(23, 1),
            """
            I'm awake too, if that helps. Hannah's light is still on, so I'm listening for
            footsteps. You're not on your own, anyway.
            """,
        ),
        _p(
            "gaz_t",
            _ago(22, 16),
            """
            Shift worker, so my sleep's wrecked anyway, but I know that listening feeling. Lee's
            up checking the locks and I'm lying there checking Lee.
            """,
        ),
        _p(
            "carer_ann",
            _ago(22, 14),
            """
            Since Tom came home I wake at the slightest noise. A friend suggested a white noise
            app and I tried it for a week. It didn't stop me waking, but I went back off quicker.
            """,
        ),
        _p(
            "bev_leeds",
            _ago(22, 9),
            """
            Elaine, it did get better for me, but slowly, and mostly once Kayleigh was more
            settled. In the meantime the carers' centre runs a sleep workshop - I'll find the
            date. And do talk to your own GP if it goes on and on. Your health matters too.
            """,
        ),
        _p(
            "priya.s",
            _ago(22, 5),
            """
            Worth saying: if you've been prescribed anything for sleep yourself, keep it
            separate from the household medication box. I've seen 3am mix-ups.
            """,
        ),
        _p("elaine_w", _ago(21, 20), "Thank you all. Nice to know there were other lights on x"),
    ),
    _thread(
        "Respite - does it even exist for mental health carers?",
        _p(
            "dave.m",
            _ago(18, 8),
            """
            Every leaflet about respite seems to be about someone coming in to sit with a person
            with dementia or a physical disability. June has severe anxiety; she doesn't need
            sitting with, and a stranger in the house would make her worse. But I haven't been
            further than the supermarket without her in two years. What does respite look like
            for people like us?
            """,
        ),
        _p(
            "bev_leeds",
            _ago(18, 6),
            """
            Good question, and one the services aren't great at answering. For me respite is
            more "a break for the carer" than "care for the person". My carer's assessment gave
            me a small direct payment that I spend on a couple of nights at my sister's each
            year. Others use it for a course, a gym membership or a day out. Ask for it in those
            words: a carer's break.
            """,
        ),
        _p(
            "rosie_k",
            _ago(18, 1),
            """
            We've done respite by having Pete's brother stay for a weekend while I went to a
            friend's. Not official, but it worked, and Pete quite liked the change.
            """,
        ),
        _p(
            "elaine_w",
            _ago(17, 21),
            """
            I agree the system's built for a different kind of caring. My respite is Wednesday
            mornings at the swimming baths. Gareth knows I'm not to be rung unless the house is
            on fire.
            """,
        ),
        _p(
            "carer_ann",
            _ago(17, 4),
            """
            My assessment gave me some money for a break too - still working out what to do with
            it. The assessor said something I liked: respite isn't only about distance, it's
            about time that belongs to you.
            """,
        ),
        _p(
            "dave.m",
            _ago(16, 22),
            """
            Thank you. I've asked for my carer's assessment to be reviewed, and I'm going to ask
            specifically about a carer's break. Might start with a day at the railway museum.
            June says she'll be fine with the dog.
            """,
        ),
    ),
    _thread(
        "Is a holiday even possible?",
        _p(
            "rosie_k",
            _ago(12, 3),
            """
            We haven't been away since 2019. Pete finds crowds, airports and strange places
            really hard, and the last time we tried a hotel he spent most of the night sitting in
            the car. The kids keep asking about a holiday this summer. Has anyone found a kind of
            holiday that works when the person you care for struggles with change?
            """,
        ),
        _p(
            "elaine_w",
            _ago(12, 1),
            """
            We go to the same cottage in Pembrokeshire every year, same week. Gareth knows where
            everything is, which beach we'll go to, which chip shop. It's not exciting, but it's
            a holiday, and the sameness is what makes it work.
            """,
        ),
        _p(
            "gaz_t",
            _ago(11, 21),
            """
            A caravan with its own front door did it for us. Lee could shut himself in if it got
            too much and come out when he was ready.
            """,
        ),
        _p(
            "neil_p",
            _ago(11, 19),
            """
            Off-season helps. We went to Whitby in October and it was so quiet Hannah managed
            the abbey steps.
            """,
        ),
        _p(
            "bev_leeds",
            _ago(11, 6),
            """
            Some carers' organisations have holiday grants, or know charities that help with the
            cost - ask your local carers' centre. And a trial night somewhere close to home
            takes the pressure off.
            """,
        ),
        _p(
            "carer_ann",
            _ago(11, 3),
            """
            We did one night in a budget hotel twenty minutes away as a trial last year. Tom
            coped, I didn't sleep (obviously), but it proved it could be done.
            """,
        ),
        _p(
            "rosie_k",
            _ago(10, 22),
            """
            These are all brilliant. I've printed photos of a caravan site near Filey so Pete can
            look at them for a few weeks before we decide anything. He says "maybe", which is
            more than I expected.
            """,
        ),
        _p("dave.m", _ago(10, 20), "Maybe is a great start."),
    ),
    _thread(
        "Care coordinator has left. Again.",
        _p(
            "marg_h",
            _ago(9, 5),
            """
            Letter today saying Don's care coordinator has moved to another team and he'll be
            "allocated" a new one "in due course". That's the third in two years, and each time
            we start from scratch telling his story. Has anyone found a way to make the handover
            less painful?
            """,
        ),
        _p(
            "carer_ann",
            _ago(9, 3),
            """
            We've just been through this with Tom. I wrote a one-page "about Tom": what he's like
            when he's well, his early warning signs, what helps, what doesn't, and who's who. I
            asked for it to go on his file. The new coordinator said it was the most useful thing
            she'd read about him.
            """,
        ),
        _p(
            "elaine_w",
            _ago(8, 23),
            """
            Ask for the duty worker's name in the meantime, so you've got someone. And ask when
            the allocation will be, with a date. "In due course" is not a date.
            """,
        ),
        _p(
            "marg_h",
            _ago(8, 4),
            """
            Ann, that's a brilliant idea - writing ours tonight. Elaine, I rang and asked for a
            date. Got one. Amazing what happens when you ask.
            """,
        ),
    ),
    _thread(
        "rough day",
        _p(
            "kez99",
            _ago(8, 22),
            """
            rough one today. mum's had a bad week and i missed college again. not after advice,
            just needed to type it somewhere
            """,
        ),
        _p(
            "bev_leeds",
            _ago(8, 20),
            """
            Typing it here is exactly what this place is for, Kez. We're around if you want to
            say more x
            """,
        ),
        _p("elaine_w", _ago(8, 15), "Thinking of you."),
    ),
    _thread(
        "Carers' cafe at the community centre?",
        _p(
            "elaine_w",
            _ago(0, 4),
            """
            Has anyone been to the carers' cafe that's started at the community centre on
            Thursday afternoons? I'm thinking of going, but I don't like walking in on my own.

            Elaine
            """,
        ),
    ),
)


# --- Working carers (open) -----------------------------------------------------------------------

_WORKING_THREADS: tuple[DemoThread, ...] = (
    _thread(
        "Welcome - read me first",
        _p(
            "mo.hussain",
            _ago(58, 2),
            """
            Welcome to Working carers. I'm Mo. I work full-time in the council's IT team and I
            care for my wife, who has bipolar disorder, alongside two kids who think I'm a taxi.

            This group is for anyone juggling caring with a job, a course or a business: telling
            your manager, flexible working, Carer's Leave, annual leave spent on appointments,
            phone calls in the middle of meetings, and the particular tiredness of doing two
            jobs at once.

            House rules: be kind; keep details about your employer and the person you care for
            general enough that nobody can be identified; and remember that advice here comes
            from experience, not from lawyers. For employment rights, ACAS and Citizens Advice
            are good places to start.

            I read this group most evenings, 7–9pm, and at weekends when I can. This is not a
            crisis line. If you're worried about someone's safety right now, call 999.
            Samaritans: 116 123 (free, 24 hours). NHS 111 can help with urgent mental health
            worries.

            Mo
            """,
        ),
        _p(
            "priya.s",
            _ago(57, 20),
            """
            Thanks for setting this up, Mo. It's the first carers' space I've found that isn't
            all daytime coffee mornings.
            """,
        ),
        _p(
            "lou_b",
            _ago(57, 3),
            """
            Hi all. Retail manager, brother with autism and depression, parents who are getting
            older. Here for the tips and the company.
            """,
        ),
        pinned=True,
    ),
    _thread(
        "Weekly check-in: how's the juggling?",
        _p(
            "mo.hussain",
            _ago(56, 1),
            """
            A weekly thread for a quick check-in. One line is fine: how was work, how was
            caring, how are you? Me: three meetings moved, one school run missed, Samira had a
            good week. On balance, a win.
            """,
        ),
        _p(
            "gaz_t",
            _ago(55, 18),
            "Earlies all week. Lee's anxious about the boiler service on Friday. Survived.",
        ),
        _p(
            "carer_ann",
            _ago(55, 6),
            """
            Back at work for the first time since Tom's admission. Everyone was kind. I hid in
            the stationery cupboard once. Only once.
            """,
        ),
        _p(
            "priya.s",
            _ago(54, 23),
            """
            Locum shifts at two different pharmacies plus Mum's hospital appointment. I am living
            on meal deals.
            """,
        ),
        _p(
            "mo.hussain",
            _ago(49, 2),
            """
            New week - how's everyone? I've got my performance review on Thursday and I'm going
            to mention caring for the first time.
            """,
        ),
        _p(
            "neil_p",
            _ago(48, 21),
            """
            Hannah's home from uni for good, so I'm working from home more. My manager's been
            decent, but I feel like I'm always on mute with one ear on the stairs.
            """,
        ),
        _p(
            "lou_b",
            _ago(48, 4),
            """
            Stocktake week. Mum rang three times about Callum's benefits form. I've said I'll do
            it on Sunday.
            """,
        ),
        _p(
            "mo.hussain",
            _ago(46, 3),
            """
            Review went fine. My manager said "why didn't you tell me sooner?" Good question.
            Slightly embarrassed. Mostly relieved.
            """,
        ),
        _p(
            "fin_r",
            _ago(42, 22),
            """
            Uni deadline and my brother's ward round on the same day. Chose the ward round.
            Emailed my tutor. Waiting to see.
            """,
        ),
        _p(
            "sibling_jo",
            _ago(42, 5),
            """
            Evening shifts at the hospital this week. Yes, I work in the NHS and still can't get a
            straight answer from my brother's team. The irony is not lost on me.
            """,
        ),
        _p(
            "carer_ann",
            _ago(41, 21),
            "Half term. Tom and Ellie both home. The house is very loud and very full of toast.",
        ),
        _p(
            "mo.hussain",
            _ago(35, 2),
            """
            Check-in time. Samira's mood has dipped a bit, so I've told work I'll be offline some
            afternoons. Tired but OK.
            """,
        ),
        _p(
            "gaz_t",
            _ago(34, 18),
            "Good vibes your way, Mo. Here: two lates, an early and a dentist. The glamour.",
        ),
        _p(
            "fin_r",
            _ago(34, 5),
            """
            Tutor gave me an extension and pointed me to the uni's student carers' support.
            Didn't even know it existed!
            """,
        ),
        _p(
            "priya.s",
            _ago(28, 2),
            """
            Used a day of Carer's Leave for the first time. Felt strange not "making up" the
            hours. I'll post about it properly.
            """,
        ),
        _p(
            "neil_p",
            _ago(27, 20),
            """
            Quiet week. Hannah got the bus to her appointment on her own, and I got through a
            whole meeting without checking my phone.
            """,
        ),
        _p(
            "lou_b",
            _ago(21, 3),
            """
            Christmas stock arriving already. Callum's new support worker started and he likes
            her. So far so good.
            """,
        ),
        _p(
            "carer_ann",
            _ago(20, 21),
            """
            Reports going home this week, so the school office is chaos. Home is steadier. I'll
            take it.
            """,
        ),
        _p(
            "mo.hussain",
            _ago(14, 2),
            """
            Two-week check-in (I missed last week - life). How are we all? Samira's on the up,
            I've had a lie-in, and I think I remember what my hobbies were.
            """,
        ),
        _p(
            "sibling_jo",
            _ago(13, 19),
            """
            Moved to days. Sleeping like a normal person. Danny's had a settled fortnight.
            Touching wood.
            """,
        ),
        _p(
            "gaz_t",
            _ago(13, 6),
            """
            Booked a day off that isn't for an appointment. Going fishing. Won't catch anything.
            Don't care.
            """,
        ),
        _p(
            "carer_ann",
            _ago(6, 20),
            """
            Tom's started a trial at the allotment project, two mornings a week. It means I can
            do my full hours without worrying, and he comes home muddy and pleased with himself.
            Feels like a door opening.
            """,
        ),
        _p("mo.hussain", _ago(6, 4), "That's lovely news, Ann."),
    ),
    _thread(
        "Telling my manager (or not)",
        _p(
            "carer_ann",
            _ago(44, 6),
            """
            I work part-time on reception at a secondary school. Nobody there knows about Tom.
            I've been "at the dentist" a lot this year. I'm worried that if I say "my son has
            schizophrenia" people will look at me differently, or worse, say it in front of the
            kids. But I'm running out of dentist appointments.

            Did you tell your employer? How much did you say?
            """,
        ),
        _p(
            "mo.hussain",
            _ago(44, 4),
            """
            I told my manager in the end. I said "I care for a family member with a long-term
            health condition, and sometimes I'll need to leave at short notice." I didn't name
            the condition and she didn't ask. It's been fine.
            """,
        ),
        _p(
            "lou_b",
            _ago(43, 23),
            """
            In retail there's a lot of gossip, so I told one person, my line manager, and asked
            for it to stay between us. It did.
            """,
        ),
        _p(
            "priya.s",
            _ago(43, 20),
            """
            You don't have to give a diagnosis to ask for flexibility - "I'm a carer" is enough.
            Some employers have a carers' policy or a wellbeing lead you could talk to first.
            """,
        ),
        _p(
            "neil_p",
            _ago(43, 5),
            """
            For what it's worth, when I told my manager she told me her brother has bipolar. You
            never know who's been through it.
            """,
        ),
        _p(
            "sibling_jo",
            _ago(43, 2),
            """
            I'd say: decide what you're comfortable sharing before the conversation, and write
            down the one or two things you want from it (leaving early for appointments, a quiet
            place to take a phone call). Then it's a practical conversation, not a confession.
            """,
        ),
        _p(
            "carer_ann",
            _ago(42, 19),
            """
            Thank you. "A practical conversation, not a confession" - I'm writing that on a
            post-it.
            """,
        ),
        _p(
            "carer_ann",
            _ago(40, 20),
            """
            Told the business manager, using Mo's words almost exactly. She said "thank you for
            telling me" and that I can swap my lunch hour for appointment time when I need to.
            No drama at all. I don't know what I was so scared of. Well, I do, but it was fine.
            """,
        ),
    ),
    _thread(
        "Phone calls from the ward while I'm at work",
        _p(
            "lou_b",
            _ago(33, 7),
            """
            Callum's in hospital at the moment and the ward keeps ringing me at work, because
            I'm the nearest relative on file. I'm on the shop floor and can't always answer, and
            then I spend the afternoon panicking about a missed call. Anyone got a system?
            """,
        ),
        _p(
            "fin_r",
            _ago(33, 2),
            """
            I asked the ward to text first, with "nothing urgent" or "please call back". They
            were happy to. It makes a massive difference.
            """,
        ),
        _p(
            "carer_ann",
            _ago(32, 21),
            """
            I asked for a regular time for a call - Tuesdays at 4 - so I wasn't waiting all week.
            The ward sister agreed. It doesn't always happen, but most weeks it does.
            """,
        ),
        _p(
            "mo.hussain",
            _ago(32, 18),
            """
            Tell work it's happening, too. My team knows that if my phone goes and I walk out,
            it's not rudeness.
            """,
        ),
        _p(
            "lou_b",
            _ago(32, 3),
            """
            Asked for the text-first thing. The charge nurse said "good idea, we should do this
            for everyone". Watch this space.
            """,
        ),
    ),
    _thread(
        "Carer's Leave - has anyone actually used it?",
        _p(
            "priya.s",
            _ago(27, 3),
            """
            Since April 2024, employees in Great Britain have had a right to up to a week of
            unpaid Carer's Leave a year, from their first day in the job. You don't need to show
            evidence, just give notice (twice as many days as the leave you want, or three days,
            whichever is longer), and you can take it in half days or single days. [Check the
            details with ACAS - I'm a pharmacist, not an HR person!]

            I used a day last week for Mum's outpatient appointment. My manager was fine, but I
            had to point HR at the guidance because nobody had asked for it before. It's unpaid,
            so it isn't a magic answer, but it meant I didn't burn through my annual leave, and
            it's recorded as caring rather than me being "unreliable".

            Has anyone else used it? Did your employer pay it, or offer anything more?
            """,
        ),
        _p(
            "mo.hussain",
            _ago(27, 0),
            """
            The council pays five days of carer's leave, which I only found out by reading the
            policy at 11pm. Worth checking your own employer's policy - some are better than the
            legal minimum.
            """,
        ),
        _p(
            "carer_ann",
            _ago(26, 21),
            """
            I didn't know about this at all. I've been using annual leave for every one of Tom's
            reviews. Going to talk to the business manager on Monday.
            """,
        ),
        _p(
            "gaz_t",
            _ago(26, 8),
            """
            Shift patterns make it awkward - the rota's done six weeks ahead - but good to know
            it exists. Printing the ACAS page for my depot manager.
            """,
        ),
        _p(
            "neil_p",
            _ago(26, 4),
            """
            Used two half-days. My employer has a carers' network too, a group chat where people
            share exactly this kind of thing.
            """,
        ),
        _p(
            "lou_b",
            _ago(25, 22),
            """
            Retail here - head office had never heard of it. I sent them the GOV.UK page and
            they've now added it to the staff handbook. A small victory for every other carer in
            the business.
            """,
        ),
        _p("priya.s", _ago(25, 5), "Love that, Lou. That's co-production in action."),
        _p(
            "carer_ann",
            _ago(19, 3),
            """
            Update: the business manager said yes to Carer's Leave for Tom's next review, and
            said the school would pay it as a goodwill thing. I nearly fell off my chair.
            """,
        ),
    ),
    _thread(
        "Annual leave all gone on appointments",
        _p(
            "gaz_t",
            _ago(24, 8),
            """
            Only halfway through the leave year and I've got two days left. Every one has gone
            on appointments, the boiler man (Lee can't have strangers in the house on his own)
            and one very bad week. I haven't had a day off that was actually off.
            """,
        ),
        _p(
            "neil_p",
            _ago(24, 5),
            """
            Same. I've started booking leave for me first, then fitting appointments round it.
            Doesn't always work, but at least it's in the diary.
            """,
        ),
        _p(
            "priya.s",
            _ago(24, 2),
            """
            Carer's Leave might cover some of the appointments - see my thread. Save your annual
            leave for actual rest.
            """,
        ),
        _p(
            "gaz_t",
            _ago(23, 20),
            """
            Going to have a word with my depot manager. And book something fun. Suggestions that
            don't involve a waiting room welcome.
            """,
        ),
    ),
    _thread(
        "Template: email to HR about being a carer",
        _p(
            "mo.hussain",
            _ago(20, 8),
            """
            A few people asked, so here's roughly what I sent. Change it to fit.

            Subject: Caring responsibilities

            Hello [name],

            I wanted to let you know that I am an unpaid carer for a family member with a
            long-term health condition. Most of the time this doesn't affect my work, but
            occasionally I need to attend appointments or leave at short notice.

            I'd like to talk about:
            - what the organisation's carers policy offers (including Carer's Leave);
            - whether [a specific arrangement, e.g. starting at 10 on Tuesdays] would be
              possible.

            Thank you,

            [your name]
            """,
        ),
        _p(
            "lou_b",
            _ago(19, 22),
            "Thanks Mo. Used this nearly word for word. HR replied within a day.",
        ),
    ),
    _thread(
        "Flexible working request turned down - what now?",
        _p(
            "neil_p",
            _ago(16, 5),
            """
            I put in a flexible working request for compressed hours (four longer days) so I can
            be home on Fridays for Hannah's therapy. It's been turned down because of "the needs
            of the business". Gutted. Any ideas?
            """,
        ),
        _p(
            "mo.hussain",
            _ago(16, 3),
            """
            Since April 2024 you can make two requests a year, and your employer has to consult
            you before saying no. Did they meet you to discuss it? If not, that's worth raising.
            ACAS has a code of practice on it.
            """,
        ),
        _p(
            "priya.s",
            _ago(15, 22),
            """
            Could you propose a trial period? Managers sometimes say no to "forever" but yes to
            "three months and we'll review".
            """,
        ),
        _p(
            "lou_b",
            _ago(15, 20),
            """
            Speaking as a manager: a request that shows how the work still gets done is hard to
            refuse. "Here's who covers Friday calls, here's how I'll hand over." It takes the
            worry off them.
            """,
        ),
        _p(
            "neil_p",
            _ago(14, 4),
            """
            Asked for a meeting and suggested a three-month trial with a handover plan. They've
            said yes to the trial. Fingers crossed.
            """,
        ),
        _p("gaz_t", _ago(14, 1), "Nice one Neil."),
    ),
    _thread(
        "Carer passports at work - worth filling in?",
        _p(
            "fin_r",
            _ago(9, 9),
            """
            My part-time job (a cafe chain) has just brought in a "carer passport": a one-page
            record that says I'm a carer and what I've agreed with my manager, so I don't have
            to explain it all again if I get a new one. Does anyone else's work have one? Is it
            worth filling in?
            """,
        ),
        _p(
            "lou_b",
            _ago(9, 2),
            """
            Yes, fill it in. My manager changed last year and the new one honoured everything on
            mine. It saved a lot of awkward conversations.
            """,
        ),
        _p(
            "mo.hussain",
            _ago(8, 20),
            "We have one at the council too. Keep a copy yourself - HR systems lose things.",
        ),
    ),
    _thread(
        "Night shift, brain is mush",
        _p(
            "sibling_jo",
            _ago(3, 1),
            """
            Covering a night shift tonight and Danny's had a rough couple of days, so I'm running
            on coffee and not much else. Not after anything, just saying hello to the people who
            get it.

            Jo
            """,
        ),
    ),
)


# --- Siblings and young adult carers (open) ------------------------------------------------------

_SIBLINGS_THREADS: tuple[DemoThread, ...] = (
    _thread(
        "Welcome - brothers, sisters and young adult carers",
        _p(
            "sibling_jo",
            _ago(57, 5),
            """
            Hi, I'm Jo. I'm 29 and my big brother Danny has schizophrenia. I've been some kind of
            carer since I was 14, though nobody called it that at the time.

            This group is for brothers and sisters, and for young adult carers (roughly 16 to
            30) looking after a parent, a sibling or anyone else. We're the ones who get left out
            of meetings, asked "and how's your mum coping?", and expected to just get on with
            exams, jobs and life. Here you can talk about all of it.

            Ground rules: be kind, first names only, and no "advice" that's really judgement. If
            you're under 18, your local young carers service can support you too - ask at school
            or college, or at your local carers' centre.

            I read this group on weekday evenings and on Sunday afternoons. This is not a crisis
            line. If you're worried about someone's safety right now, call 999. Samaritans:
            116 123 (free, 24 hours). If you'd rather text, Shout is on 85258.

            Jo
            """,
        ),
        _p(
            "tasha.o",
            _ago(56, 21),
            """
            hiya. 18, mum has bipolar, little brother is 11 and i do most of his school stuff.
            glad this exists
            """,
        ),
        _p(
            "fin_r",
            _ago(56, 3),
            """
            Hi from Glasgow. My twin brother has bipolar. Nobody ever asks the twin how they're
            doing.
            """,
        ),
        _p("sibling_jo", _ago(55, 22), "Welcome both. We ask here x"),
        pinned=True,
    ),
    _thread(
        "When Mum and Dad can't do it any more - who takes over?",
        _p(
            "sibling_jo",
            _ago(47, 3),
            """
            This has been keeping me up. Mum and Dad are 67 and 70. They've looked after Danny
            since he first became unwell at 19, and they do everything: his medication
            reminders, his money, his appointments, his washing. Dad had a small heart scare at
            Christmas and it frightened all of us.

            Nobody has ever sat down and talked about what happens next. Mum changes the
            subject. Dad says "we'll cross that bridge". Danny gets anxious if anyone suggests
            anything changing. And I have a feeling the unspoken plan is: Jo.

            I love my brother and I'd always want to be there for him. But I live an hour away,
            I work shifts, and I don't know how to do any of the things Mum does without
            thinking. Has anyone started this conversation in their family? Where do you even
            begin?
            """,
        ),
        _p(
            "lou_b",
            _ago(47, 1),
            """
            We're in exactly the same place with Callum. What helped us start was Mum getting a
            carer's assessment and asking the assessor to include a contingency plan - what
            happens if Mum is ill. It made it an official form rather than a scary family talk.
            """,
        ),
        _p(
            "fin_r",
            _ago(46, 20),
            """
            Our family wrote a "what Jamie needs" list: meds, money, who his doctors are, what
            helps when he's unwell. Just writing it down made it feel less like a mystery only
            Mum could solve.
            """,
        ),
        _p(
            "kez99",
            _ago(46, 6),
            """
            no advice but i get the "unspoken plan is me" thing. it's heavy. you're allowed to
            say you can't do all of it
            """,
        ),
        _p("sibling_jo", _ago(45, 21), "Thank you Kez. That helps more than you'd think."),
        _p(
            "lou_b",
            _ago(45, 3),
            """
            Also worth looking into: becoming an appointee for his benefits, and a Lasting Power
            of Attorney if your brother wants one and is able to make it - it means that if
            things change, someone's legally allowed to help. Citizens Advice explained it all
            to us.
            """,
        ),
        _p(
            "sibling_jo",
            _ago(38, 2),
            """
            [update] We had the conversation. Mum cried, Dad went quiet, and Danny said "I don't
            want to be a burden on Jo", which broke my heart a bit. But we've started the list,
            and Mum has asked for her carer's assessment to be reviewed with a contingency plan
            in it. First step.
            """,
        ),
        _p("tasha.o", _ago(37, 21), "that's massive Jo. well done all of you"),
    ),
    _thread(
        "Angry, then guilty, then angry again",
        _p(
            "lou_b",
            _ago(35, 22),
            """
            Can I be honest? Sometimes I'm really angry with Callum. Not for being ill - I know
            that's not his fault - but because my whole life has bent itself around his. Then I
            feel like the worst sister in the world. Then I'm angry again that I have to feel
            guilty. It's a loop.
            """,
        ),
        _p(
            "sibling_jo",
            _ago(35, 20),
            """
            Same loop. Been round it a thousand times. What helped me was separating being angry
            at the illness, and at the system, from being angry at Danny. It's mostly the first
            two.
            """,
        ),
        _p(
            "kez99",
            _ago(35, 4),
            "you're not a bad sister. anger is just tired wearing a disguise",
        ),
        _p("fin_r", _ago(34, 23), "Kez, that's going on a t-shirt."),
        _p(
            "tasha.o",
            _ago(34, 21),
            """
            i'm angry at mum's illness all the time and then she does something nice and i feel
            awful. so yeah. not just you
            """,
        ),
        _p(
            "lou_b",
            _ago(34, 3),
            """
            Thank you. Honestly didn't expect replies like this. Feeling less like a monster
            today.
            """,
        ),
    ),
    _thread(
        "College and caring - what do you tell your tutor?",
        _p(
            "tasha.o",
            _ago(30, 7),
            """
            i'm in year 13 and i've missed loads of first periods because i take my brother to
            school when mum's not up to it. my attendance is getting flagged. i don't want to
            make a big thing of it but i don't want to fail either. what do people tell college?
            """,
        ),
        _p(
            "kez99",
            _ago(30, 5),
            """
            tell them. honestly. i didn't for a year and got put on an attendance contract. when
            i finally told my tutor she sorted me a young carers card and now being late is ok if
            i message first
            """,
        ),
        _p(
            "fin_r",
            _ago(30, 1),
            """
            Lots of colleges and unis have a student carers' policy now. Ask for the student
            support lead - they deal with this all the time, and it stays confidential.
            """,
        ),
        _p(
            "sibling_jo",
            _ago(29, 21),
            """
            If you're applying to uni this year, being a young carer is worth mentioning in your
            application. Some universities have extra support, or take it into account when they
            make offers.
            """,
        ),
        _p(
            "tasha.o",
            _ago(29, 4),
            """
            spoke to student services. they were lovely and said i should have come sooner
            (everyone says that!). i'm getting a carers' plan and they'll tell my teachers so i
            don't have to explain it six times
            """,
        ),
        _p("lou_b", _ago(28, 22), "Brilliant, Tasha. Proud of you for asking."),
        _p(
            "tasha.o",
            _ago(15, 3),
            """
            bit of an update - got my first uni offer! i mentioned being a young carer in my
            personal statement and the uni rang me to talk about support. mum was so happy she
            made a cake. (it's a bit flat. still eating it)
            """,
        ),
    ),
    _thread(
        "Does anyone else feel invisible at ward rounds?",
        _p(
            "lou_b",
            _ago(23, 6),
            """
            Went to Callum's ward round today. Mum and Dad were asked questions. I was asked if I
            wanted a cup of tea. I see Callum more than anyone - I take him out every Saturday -
            but as his sister I feel like I don't count. Anyone else?
            """,
        ),
        _p(
            "sibling_jo",
            _ago(23, 3),
            """
            All the time. What helped me was asking the ward to put me on Danny's notes as a
            carer, not just "sister". And asking Danny, when he was well, if he was happy for me
            to be involved. He was.
            """,
        ),
        _p(
            "fin_r",
            _ago(22, 22),
            """
            Yes. Jamie's consultant calls me "the brother" even though we're twins. I now
            introduce myself as "Fin, Jamie's carer" and it changes how they talk to me.
            """,
        ),
        _p(
            "kez99",
            _ago(22, 8),
            """
            this is why i hate ward rounds. a room full of people deciding things about your
            family in 20 minutes
            """,
        ),
        _p(
            "lou_b",
            _ago(22, 1),
            """
            Thanks all. I'm going to ask Callum this weekend about being on his notes as a
            carer. And I'm going to introduce myself Fin's way.
            """,
        ),
    ),
    _thread(
        "Young carers service - anything for 19 year olds?",
        _p(
            "kez99",
            _ago(19, 6),
            """
            i'm 19 so too old for the young carers group i went to at school. is there anything
            for people my age or is it just the adult carers centre full of people my nan's age
            (no offence to anyone's nan)
            """,
        ),
        _p(
            "sibling_jo",
            _ago(19, 3),
            """
            None taken, on behalf of nans everywhere. Lots of areas have a young adult carers
            service for roughly 16-25s - ask your local carers' centre. Some run gaming nights
            and days out, and help with college or jobs.
            """,
        ),
        _p(
            "tasha.o",
            _ago(18, 22),
            """
            mine does a pizza night once a month and nobody makes you talk about feelings unless
            you want to
            """,
        ),
        _p(
            "kez99",
            _ago(18, 4),
            "found one! 18-25s, meets in town, pizza confirmed. going next week",
        ),
        _p(
            "kez99",
            _ago(11, 20),
            """
            went. it was good actually. another girl there looks after her mum too and her mum
            drinks as well. didn't feel like the only one for once
            """,
        ),
    ),
    _thread(
        "My twin's birthday - how do you do big days?",
        _p(
            "fin_r",
            _ago(7, 4),
            """
            It's our birthday next week. Jamie's in a low patch and doesn't want to do anything.
            Every year I feel guilty if I go out and guilty if I don't. What do you all do for
            birthdays and big days?
            """,
        ),
        _p(
            "lou_b",
            _ago(7, 1),
            """
            We do a small thing at home for Callum, and then I do something with my mates
            separately. It took me years to stop feeling bad about the second part.
            """,
        ),
        _p(
            "tasha.o",
            _ago(6, 22),
            "cake and a film, low pressure. if he doesn't want cake, more for you",
        ),
        _p(
            "sibling_jo",
            _ago(6, 6),
            """
            You're allowed to celebrate your birthday, Fin. It's yours too. Maybe ask Jamie what
            the smallest possible version of a birthday would be for him this year?
            """,
        ),
        _p(
            "fin_r",
            _ago(1, 3),
            """
            Asked him. Smallest version: chips at Largs and no singing. We did it and he smiled
            twice. I went out with my pals after and didn't feel guilty. Much.
            """,
        ),
    ),
    _thread(
        "Film for a rubbish night?",
        _p(
            "tasha.o",
            _ago(4, 7),
            """
            need a film for tonight. nothing sad, nothing with hospitals, nothing with anyone
            shouting. go
            """,
        ),
        _p("fin_r", _ago(4, 5), "Paddington 2. Non-negotiable."),
        _p("kez99", _ago(4, 4), "paddington 2 is the correct answer"),
        _p(
            "lou_b",
            _ago(4, 2),
            "Paddington 2. Or Paddington. Or, if you're feeling wild, Paddington 2 again.",
        ),
        _p("sibling_jo", _ago(3, 22), "Group consensus reached. A first in this group's history."),
        _p(
            "tasha.o",
            _ago(3, 20),
            "watched it. cried at the end but the good kind. my little brother loved it too",
        ),
    ),
)


# --- Partners' circle (private) ------------------------------------------------------------------

_PARTNERS_THREADS: tuple[DemoThread, ...] = (
    _thread(
        "Welcome to the Partners' circle",
        _p(
            "rosie_k",
            _ago(56, 4),
            """
            Welcome to the Partners' circle. I'm Rosie; my husband Pete is a veteran and lives
            with PTSD and depression. I started this group because caring for a partner is its
            own thing: you're a carer, but you're also a husband, wife or partner, and some days
            it's hard to tell which one you're being.

            This is a private group. You're here because a leader invited you, and what's said
            here stays here: please don't copy posts elsewhere, and keep details about your
            partner general.

            I read the group Monday to Friday, 10am–4pm. This is not a crisis line. If you're
            worried about someone's safety right now, call 999. Samaritans: 116 123 (free, 24
            hours) - and they're there for you, not only for the person you care for.

            Rosie
            """,
        ),
        _p(
            "dave.m",
            _ago(55, 20),
            """
            Thank you for the invitation, Rosie. Forty-one years married to June, five of them
            as her carer. Glad to have somewhere for the partner bit.
            """,
        ),
        _p(
            "marg_h",
            _ago(55, 2),
            "Thank you Rosie. It's nice to be somewhere where I'm a wife first.",
        ),
        pinned=True,
    ),
    _thread(
        "Losing the person you married (but not really)",
        _p(
            "dave.m",
            _ago(43, 8),
            """
            June used to be the one who organised everything: holidays, Christmas, our social
            life, the lot. She'd talk to anyone. Now a trip to the shop can take a week of
            building up to, and she apologises for it every day.

            She's still June. She still does the crossword faster than me and laughs at the same
            bad jokes. But some days I miss the old June so much it feels like grief, and then I
            feel terrible, because she's right there in the next room. I don't know what to call
            that feeling, or who I'm allowed to say it to.

            I suppose I'm saying it here.
            """,
        ),
        _p(
            "rosie_k",
            _ago(43, 5),
            """
            Thank you for saying it, Dave. I know that feeling. I've heard it called "ambiguous
            loss" - grieving for someone who is still here. It doesn't take anything away from
            loving them now.
            """,
        ),
        _p(
            "marg_h",
            _ago(42, 22),
            """
            Yes. Don was the life and soul. Now I'm the one who does the talking at parties, if
            we go at all. I miss him and I'm married to him. Both true.
            """,
        ),
        _p(
            "mo.hussain",
            _ago(42, 20),
            """
            With bipolar it comes and goes, which is its own strange thing. When Samira's well I
            get her back, and then I'm scared of losing her again. I've learned to enjoy the good
            stretches without waiting for them to end. Mostly.
            """,
        ),
        _p(
            "gaz_t",
            _ago(42, 4),
            """
            Lee's still Lee, just with a lot more hand gel. But yeah. Some days I miss the
            spontaneous version of us.
            """,
        ),
        _p(
            "dave.m",
            _ago(41, 23),
            """
            Thank you all. I looked up "ambiguous loss" and read about it for an hour. It helps
            to have a name for it.
            """,
        ),
        _p("rosie_k", _ago(41, 21), "Glad it helped. Be gentle with yourself, Dave."),
    ),
    _thread(
        "Being a partner, not just a carer",
        _p(
            "gaz_t",
            _ago(34, 9),
            """
            Lee and I had a row last night because I reminded him about his appointment and he
            said "I've already got a mum, thanks". He's right, in a way. I've slipped into
            managing him. How do you keep being a couple when one of you is the carer?
            """,
        ),
        _p(
            "rosie_k",
            _ago(34, 6),
            """
            Pete and I have a rule: no care talk after 8pm. Appointments, medication, forms - it
            all goes in a notebook for the next morning. Evenings are for telly and being
            annoying to each other like normal people.
            """,
        ),
        _p(
            "mo.hussain",
            _ago(34, 2),
            """
            We do a "date night" in the kitchen once a week. Takeaway, phones away. It's not
            glamorous, but it's us.
            """,
        ),
        _p(
            "marg_h",
            _ago(33, 21),
            """
            Ask Lee what he'd like help with and what he wouldn't. Don told me he wanted to do
            his own pill box. It was hard to let go, but it's made him feel more like himself.
            """,
        ),
        _p(
            "dave.m",
            _ago(33, 8),
            """
            I've had to learn to ask rather than tell. "Do you want me to remind you?" rather than
            just reminding.
            """,
        ),
        _p(
            "gaz_t",
            _ago(32, 22),
            """
            Asked Lee. He wants reminders on his phone, not from me. Fair. We set them up
            together, then watched rubbish telly, and it was nice.
            """,
        ),
    ),
    _thread(
        "Money when only one of you can work",
        _p(
            "marg_h",
            _ago(25, 6),
            """
            Don's been off work for eight months and his sick pay has stopped. I've cut my hours
            to look after him. We're all right for now, but I'm lying awake about the mortgage.
            I don't even know what we're entitled to. Where did you start?
            """,
        ),
        _p(
            "dave.m",
            _ago(25, 3),
            """
            Get a full benefits check. Citizens Advice did ours in an hour and found something
            we'd never heard of. And tell your mortgage lender early: ours were much more
            helpful than I expected when I rang before missing a payment, not after.
            """,
        ),
        _p(
            "mo.hussain",
            _ago(24, 22),
            """
            Look at whether Don might be eligible for PIP - mental health conditions count. If
            he gets the daily living part, you may be able to claim Carer's Allowance. It's a
            lot of forms, but the carers' centre helped us with ours.
            """,
        ),
        _p(
            "gaz_t",
            _ago(24, 20),
            """
            And watch the Carer's Allowance earnings limit if you're still working. Learned that
            one the hard way - see my thread in Carers' Corner.
            """,
        ),
        _p(
            "marg_h",
            _ago(23, 5),
            """
            Thank you. I've booked a benefits check for Tuesday and rang the bank. The woman at
            the bank was so kind I nearly cried on the phone. Again.
            """,
        ),
    ),
    _thread(
        "Op COURAGE - anyone's partner used it?",
        _p(
            "rosie_k",
            _ago(19, 8),
            """
            Pete's GP has referred him to Op COURAGE, the NHS mental health service for veterans
            in England. Has anyone's partner used it? I'd like to know what to expect, and
            whether there's anything for families.
            """,
        ),
        _p(
            "dave.m",
            _ago(19, 4),
            """
            No experience of it, sorry Rosie, but a chap at my bowls club says it helped his son
            a lot. Hope it goes well.
            """,
        ),
        _p(
            "rosie_k",
            _ago(12, 8),
            """
            Update: first appointment done. The worker was a veteran himself, which made all the
            difference to Pete. They've also given me details of a group for partners. Feeling
            hopeful for the first time in a while.
            """,
        ),
        _p("marg_h", _ago(12, 5), "That's wonderful, Rosie. You've been carrying so much."),
    ),
    _thread(
        "Anniversary dinner - we did it!",
        _p(
            "mo.hussain",
            _ago(5, 9),
            """
            Fifteen years married on Saturday. A month ago Samira was too unwell to leave the
            house and I'd quietly cancelled the booking. On Thursday she asked me to rebook it.
            We went, we had dessert, we were home by nine, and it was perfect.
            """,
        ),
        _p("rosie_k", _ago(5, 6), "Oh Mo, that's lovely. Happy anniversary to you both."),
        _p("gaz_t", _ago(5, 3), "Dessert AND home by nine. Living the dream. Congrats, mate."),
        _p(
            "dave.m",
            _ago(4, 22),
            "Fifteen years is worth celebrating, and so is getting there together. Well done both.",
        ),
        _p("marg_h", _ago(4, 20), "This made my morning. Happy anniversary."),
        _p(
            "mo.hussain",
            _ago(4, 5),
            """
            Thank you all. Samira says hello, by the way - she knows about this group and she's
            glad I have somewhere to talk.
            """,
        ),
    ),
    _thread(
        "Who looks after you?",
        _p(
            "marg_h",
            _ago(2, 3),
            """
            A question that's been on my mind. We all look after our partners. Who looks after
            us? I realised this week I haven't seen my own GP in three years.
            """,
        ),
        _p(
            "rosie_k",
            _ago(1, 22),
            """
            Each other, partly - that's what this is. But book the GP, Margaret. Mine keeps a
            carers' register, and being on it got me a health check and a flu jab. Put yourself
            on the list.
            """,
        ),
    ),
)


# --- groups --------------------------------------------------------------------------------------

GROUPS: tuple[DemoGroup, ...] = (
    DemoGroup(
        slug="carers-corner",
        name="Carers' Corner",
        description=(
            "A place for anyone looking after someone with a mental illness: questions, moans, "
            "small wins and practical tips. Leaders read this group 9am–6pm on weekdays. "
            "This is not a crisis line."
        ),
        visibility="open",
        leader="bev_leeds",
        members=(
            "bev_leeds",
            "carer_ann",
            "elaine_w",
            "priya.s",
            "dave.m",
            "neil_p",
            "gaz_t",
            "marg_h",
            "kez99",
            "rosie_k",
            "mo.hussain",
            "sibling_jo",
            "drop_in_dev",
            "cmht_sam",
        ),
        threads=_CORNER_THREADS,
    ),
    DemoGroup(
        slug="working-carers",
        name="Working carers",
        description=(
            "For carers juggling caring with a job, a course or a business. Mo reads this group "
            "most evenings, 7–9pm, and at weekends when he can. This is not a crisis line."
        ),
        visibility="open",
        leader="mo.hussain",
        members=(
            "mo.hussain",
            "carer_ann",
            "priya.s",
            "gaz_t",
            "lou_b",
            "neil_p",
            "sibling_jo",
            "fin_r",
        ),
        threads=_WORKING_THREADS,
    ),
    DemoGroup(
        slug="siblings-and-young-carers",
        name="Siblings and young adult carers",
        description=(
            "For brothers, sisters and young adult carers (about 16 to 30), who often get left "
            "out. Jo reads this group on weekday evenings and Sunday afternoons. "
            "This is not a crisis line."
        ),
        visibility="open",
        leader="sibling_jo",
        members=("sibling_jo", "lou_b", "kez99", "tasha.o", "fin_r"),
        threads=_SIBLINGS_THREADS,
    ),
    DemoGroup(
        slug="partners-circle",
        name="Partners' circle",
        description=(
            "A private, invitation-only circle for people caring for a husband, wife or partner. "
            "Rosie reads it Monday to Friday, 10am–4pm. This is not a crisis line."
        ),
        visibility="private",
        leader="rosie_k",
        members=("rosie_k", "mo.hussain", "gaz_t", "dave.m", "marg_h"),
        threads=_PARTNERS_THREADS,
    ),
)


# --- boards: ideas, staff responses, outcomes and involvement ------------------------------------
#
# Two service-improvement boards. Times count back from seeding like posts do; a support or a
# staff update comes after its idea, updates of one idea strictly in order, and nobody supports
# an idea once it is closed. Several ideas have waited past the 28-day window with no answer, so
# the demo shows that silence is visible. Phone numbers are Ofcom's drama range (01632 960xxx).


@dataclass(frozen=True)
class DemoSupport:
    member: str  # a handle; never the idea's author
    minutes_ago: int  # after the idea was added
    comment: str = ""  # at most 500 characters


@dataclass(frozen=True)
class DemoUpdate:
    staff: str  # a handle on the board's staff
    status: str  # an idea status: under_review, planned, in_progress, done, ...
    minutes_ago: int
    note: str  # the public note, 1..2000 characters
    duplicate_of: str | None = None  # for "duplicate": the title of an older idea on the board


@dataclass(frozen=True)
class DemoIdea:
    author: str
    title: str
    body: str
    minutes_ago: int
    supports: tuple[DemoSupport, ...] = ()
    updates: tuple[DemoUpdate, ...] = ()


@dataclass(frozen=True)
class DemoOutcome:
    recorded_by: str  # a handle on the board's staff
    title: str
    description: str
    days_ago: int  # when it happened, and was recorded
    ideas: tuple[str, ...]  # titles of ideas on the board
    credit: tuple[str, ...] = ()  # handles credited beyond the ideas' authors and supporters


@dataclass(frozen=True)
class DemoInvolvement:
    member: str
    activity: str  # 3..120 characters
    days_ago: int
    hours: float  # more than 0, at most 24
    recognition: str  # thanks | voucher | paid
    state: str  # promised | given
    logged_by: str  # a handle on the board's staff


@dataclass(frozen=True)
class DemoBoard:
    slug: str
    name: str
    description: str
    staff: tuple[str, ...]
    ideas: tuple[DemoIdea, ...]
    outcomes: tuple[DemoOutcome, ...]
    involvement: tuple[DemoInvolvement, ...]
    response_window_days: int = 28


def _s(member: str, days: float, comment: str = "") -> DemoSupport:
    return DemoSupport(member, int(days * 24 * 60), _text(comment) if comment else "")


def _u(
    staff: str, status: str, days: float, note: str, duplicate_of: str | None = None
) -> DemoUpdate:
    return DemoUpdate(staff, status, int(days * 24 * 60), _text(note), duplicate_of)


def _idea(
    author: str,
    days: float,
    title: str,
    body: str,
    supports: tuple[DemoSupport, ...] = (),
    updates: tuple[DemoUpdate, ...] = (),
) -> DemoIdea:
    return DemoIdea(author, title, _text(body), int(days * 24 * 60), supports, updates)


_CMHT_IDEAS: tuple[DemoIdea, ...] = (
    _idea(
        "carer_ann",
        75,
        "A named contact when the care coordinator is on leave",
        """
        When Tom's care coordinator was off for three weeks in the summer, nobody told us who
        to call. I rang the duty line four times and got a different person each time, none of
        whom knew him.

        Could every care coordinator name a colleague who covers for them, and could carers be
        told that name before the leave starts?
        """,
        (
            _s(
                "bev_leeds",
                74,
                "Same here. Kayleigh's coordinator left and we found out a month later.",
            ),
            _s("elaine_w", 73, "Twenty years of this and it still happens every August."),
            _s("marg_h", 70),
            _s("dave.m", 69),
            _s("mo.hussain", 66, "A name and a direct number would make all the difference."),
        ),
        (
            _u(
                "cmht_sam",
                "under_review",
                71,
                """
                Thank you, Ann - this is a fair challenge, and you're not the first to raise
                it. I'm taking it to the team meeting on Thursday and will come back to you here
                with what the coordinators say.
                """,
            ),
            _u(
                "cmht_sam",
                "planned",
                60,
                """
                The team agreed. From next month every care coordinator will name a covering
                colleague on the care plan and in their out-of-office, and we'll write to carers
                before planned leave. I'll update this when it starts.
                """,
            ),
            _u(
                "cmht_sam",
                "in_progress",
                45,
                """
                Letters are now going out before planned leave, and covering names are being
                added to care plans at each review. Sickness cover is harder: we're working on
                that with the duty team.
                """,
            ),
            _u(
                "cmht_sam",
                "done",
                24,
                """
                Done. Every care coordinator now has a named cover colleague on the care plan,
                and carers get a letter or text before planned leave with that person's name and
                direct number. If it doesn't happen for you, please tell me here: that's a
                failure we want to know about.
                """,
            ),
        ),
    ),
    _idea(
        "elaine_w",
        68,
        "An evening carers' group for people who work",
        """
        The carers' support group meets on Wednesday mornings at the Riverside centre. Most of
        us who work can't get there. Could there be an evening session, even once a month, and
        maybe a video link for people who can't leave home?
        """,
        (
            _s("carer_ann", 67, "I work at a school - mornings are impossible for me."),
            _s("mo.hussain", 66, "Please. Evenings or Saturdays, anything outside 9 to 5."),
            _s("priya.s", 60),
            _s("lou_b", 58),
        ),
        (
            _u(
                "cmht_sam",
                "under_review",
                62,
                """
                I hear this a lot, and the Wednesday slot was set years ago. I'm asking the
                carers' centre whether they can host an evening, and whether our family worker can
                run one evening a month.
                """,
            ),
            _u(
                "cmht_sam",
                "planned",
                48,
                """
                Good news: the carers' centre will host us on the first Tuesday of each month,
                6:30 to 8pm, starting in November, with a video link for anyone who can't come in
                person.
                """,
            ),
            _u(
                "cmht_sam",
                "done",
                16,
                """
                The first evening group ran on Tuesday: 14 carers in the room and 6 online. It's
                on the first Tuesday of every month from now on. Thank you to everyone who pushed
                for this.
                """,
            ),
        ),
    ),
    _idea(
        "gaz_t",
        55,
        "Carers' meeting after work hours",
        """
        I drive buses on shifts, so daytime meetings are out. Is there anything in the evening
        or at weekends for partners?
        """,
        (_s("kez99", 54),),
        (
            _u(
                "cmht_sam",
                "duplicate",
                53,
                """
                Thanks Gaz. Elaine asked for the same thing, so I've joined your idea to hers to
                keep everyone's support in one place: your support now counts there, and an
                evening session is being planned.
                """,
                duplicate_of="An evening carers' group for people who work",
            ),
        ),
    ),
    _idea(
        "carer_ann",
        50,
        "Give carers a copy of the crisis plan",
        """
        Tom's crisis plan says "family to call the crisis team", but we've never seen the plan
        or the number on it. If we're part of the plan, we should have a copy (with his
        consent) and know what it asks us to do.
        """,
        (
            _s("elaine_w", 49, "Gareth's plan had my old phone number on it for years."),
            _s("rosie_k", 47),
            _s("marg_h", 45),
            _s("neil_p", 44),
        ),
        (
            _u(
                "cmht_sam",
                "under_review",
                40,
                """
                You're right that a plan that names you should be shared with you. We need the
                person's consent to share it, so I'm checking with our information governance
                lead how we ask for that at every review.
                """,
            ),
            _u(
                "cmht_sam",
                "planned",
                20,
                """
                Agreed with the team and our governance lead: at every care plan review the
                coordinator will ask for consent to share the crisis plan with named carers, and
                give you a copy if the answer is yes. Where consent isn't given, we'll still tell
                you what the plan asks you to do. Starting in January.
                """,
            ),
        ),
    ),
    _idea(
        "bev_leeds",
        44,
        "Offer a carer's assessment at the first appointment",
        """
        Nobody told me I had a right to a carer's assessment until Kayleigh had been under the
        team for two years. It should be mentioned, and offered, the first time a family member
        comes to an appointment.
        """,
        (
            _s("carer_ann", 43),
            _s("dave.m", 40, "I only found out from this forum."),
            _s("tasha.o", 38),
        ),
        (
            _u(
                "cmht_sam",
                "under_review",
                12,
                """
                Thank you, Bev. Carer's assessments are done by the council's carers' service, not
                by us, but we can make sure the offer is made. I'm meeting the council's carers'
                lead next week to agree how we refer, and I'll report back here.
                """,
            ),
        ),
    ),
    _idea(
        "priya.s",
        39,
        "Text carers a reminder of depot injection appointments",
        """
        Mum's depot is every four weeks and she forgets, then it's a scramble. The clinic sends
        her a letter. Could they text me as well, if she agrees?
        """,
        (_s("elaine_w", 38), _s("sibling_jo", 35)),
        (
            _u(
                "cmht_sam",
                "not_taken_forward",
                15,
                """
                I'm sorry, Priya - we've looked into this properly. The clinic's booking system
                can only text one number per patient, and replacing it is a trust-wide decision
                that won't happen this year.

                What we can do now: the clinic will give you the next date at each appointment,
                and you can ring 01632 960412 any weekday to check. I've raised texting two
                numbers with the trust's digital team and will tell you here if that changes.
                """,
            ),
        ),
    ),
    _idea(
        "dave.m",
        41,
        "Home visits for carers who can't leave the house",
        """
        June can't be left alone for long and can't come out with me, so I can't get to the
        carers' group or to appointments about me. Could someone from the team or the carers'
        centre visit carers at home now and then?
        """,
        (_s("marg_h", 40, "Same for me with Don on bad weeks."), _s("rosie_k", 37)),
    ),
    _idea(
        "neil_p",
        34,
        "Explain what you can and can't tell us, at the start",
        """
        Hannah is 21, so staff keep saying "confidentiality" and we end up knowing nothing. I
        understand they can't share everything. But nobody has ever explained what they CAN
        tell us, or that we can tell them anything. A one-page sheet would help.
        """,
        (
            _s(
                "carer_ann",
                33,
                "Yes - and that they can always listen to us, even when they can't share.",
            ),
            _s("lou_b", 33),
            _s("fin_r", 30),
            _s("kez99", 29),
        ),
        (
            _u(
                "cmht_sam",
                "in_progress",
                10,
                """
                Thank you, Neil: this is one of the things carers tell us most often. We're
                writing a one-page "What we can share, and what you can always tell us" sheet
                with two carers from the evening group. A draft will be here for comments before
                Christmas.
                """,
            ),
        ),
    ),
    _idea(
        "marg_h",
        33,
        "Tell the family before a case is closed",
        """
        Don was discharged from the team after six months of being well, and we found out from
        a letter that arrived afterwards. A phone call first, and a number to ring if things go
        downhill, would have made a lot of difference.
        """,
        (_s("elaine_w", 32), _s("dave.m", 31)),
    ),
    _idea(
        "kez99",
        6,
        "Talk to me directly, not only through Mum",
        """
        I'm 19 and I do most of the caring at home. Appointments always go through Mum, even on
        days when she can't cope. Could staff check with me too, with her OK?
        """,
        (_s("tasha.o", 5, "Same. I'm 18 and I'm the one who notices when she's going high."),),
    ),
    _idea(
        "lou_b",
        58,
        "Appointments that work for autistic people",
        """
        My brother Callum is autistic as well as depressed. A busy waiting room and last-minute
        changes make him walk out. Could his appointments be the first of the day, with a quiet
        room to wait in?
        """,
        (_s("sibling_jo", 57),),
        (
            _u(
                "cmht_sam",
                "not_taken_forward",
                36,
                """
                Thank you, Lou. We can't change the building this year, so a quiet waiting room
                isn't possible at Riverside right now, and I don't want to promise what we can't
                do.

                What we have done: Callum's record now says he needs the first appointment of the
                day and a phone call if anything changes. I've also passed your idea to the
                trust's autism lead for the new building plans.
                """,
            ),
        ),
    ),
    _idea(
        "carer_ann",
        31,
        "A one-page 'who's who' of the team",
        """
        Over the years we've met psychiatrists, a psychologist, nurses, a support worker and
        duty workers, and I never know who does what or who to ask. A simple sheet with names,
        roles and photos would help families.
        """,
        (_s("bev_leeds", 30), _s("gaz_t", 28)),
    ),
)

_WARD_IDEAS: tuple[DemoIdea, ...] = (
    _idea(
        "sibling_jo",
        70,
        "Tell us before discharge, not on the day",
        """
        Danny was discharged on a Friday afternoon and I found out when he rang me from the bus
        stop. Families need to know the plan and the date, and be part of the discharge meeting
        if the patient agrees.
        """,
        (
            _s(
                "carer_ann",
                69,
                "Tom came home with a bag of tablets and no one told us what they were for.",
            ),
            _s("elaine_w", 68),
            _s("marg_h", 66),
            _s("neil_p", 60),
            _s("fin_r", 59),
        ),
        (
            _u(
                "oakfield_nina",
                "under_review",
                63,
                """
                Thank you for telling us, Jo. That should not have happened, and I've raised it
                with the team. I'm looking at how discharge planning meetings are booked so that
                families can be there.
                """,
            ),
            _u(
                "oakfield_nina",
                "in_progress",
                45,
                """
                We've changed the discharge checklist: the named nurse now asks the patient at
                admission who they want involved, and invites them to the planning meeting. We're
                trying it on Willow ward first.
                """,
            ),
            _u(
                "oakfield_nina",
                "done",
                21,
                """
                This is now how both wards work. With the patient's agreement, families are
                invited to the discharge planning meeting at least two days before, and get a copy
                of the discharge plan. No more Friday-afternoon surprises - and please tell me if
                it happens again.
                """,
            ),
        ),
    ),
    _idea(
        "priya.s",
        60,
        "A leaflet for families on the first day",
        """
        When Mum was admitted I didn't know the visiting times, what to bring, who her nurse
        was, or that I could ask to meet the consultant. A simple leaflet handed to families on
        day one would answer most of it.
        """,
        (_s("dave.m", 59), _s("tasha.o", 55), _s("fin_r", 52)),
        (
            _u(
                "oakfield_nina",
                "planned",
                50,
                """
                Thank you, Priya - a good idea, and overdue. We'll write it with families. If
                you'd like to help review a draft, please say so here.
                """,
            ),
            _u(
                "oakfield_nina",
                "in_progress",
                18,
                """
                The first draft is written with three carers from this board. We're checking it
                with both wards and will print it in December.
                """,
            ),
        ),
    ),
    _idea(
        "dave.m",
        45,
        "Welcome pack for families on admission",
        """
        Something to give families on the first day: what happens next, when to visit, and who
        to ask.
        """,
        (_s("marg_h", 44.5),),
        (
            _u(
                "oakfield_nina",
                "duplicate",
                44,
                """
                Thanks, Dave. This is the same as Priya's leaflet idea, which we're already
                planning, so I've linked them: your support now counts on hers, and you'll hear
                when it's ready.
                """,
                duplicate_of="A leaflet for families on the first day",
            ),
        ),
    ),
    _idea(
        "rosie_k",
        48,
        "Visiting times that work for shift workers",
        """
        Visiting is 2 to 4pm and 6 to 8pm. I work 12-hour shifts, and on those days I can't see
        Pete at all. Could visits be booked outside those times now and then?
        """,
        (
            _s("gaz_t", 47),
            _s("mo.hussain", 45, "Same for anyone working full time."),
        ),
        (
            _u(
                "oakfield_nina",
                "under_review",
                40,
                """
                Thank you, Rosie. Set times help the ward run, but they shouldn't stop you seeing
                Pete. I'm asking the team how we could offer booked visits outside the usual
                times.
                """,
            ),
            _u(
                "oakfield_nina",
                "planned",
                19,
                """
                From January, families will be able to book a visit between 10am and noon, or 8
                and 9pm, by ringing the ward the day before. We're starting small to make sure we
                can staff it.
                """,
            ),
        ),
    ),
    _idea(
        "elaine_w",
        40,
        "Answer the ward phone in the evening",
        """
        If I ring the ward after 7pm it rings and rings. I only want to know how Gareth is.
        Could someone answer, or ring back the same evening?
        """,
        (
            _s("carer_ann", 39, "When Tom was on Willow ward I'd lie awake wondering."),
            _s("rosie_k", 38),
            _s("priya.s", 35),
        ),
        (
            _u(
                "oakfield_nina",
                "in_progress",
                14,
                """
                You're right, and I'm sorry. Evenings are when the ward is busiest. We've set up
                a call-back list: if nobody can answer, leave your number on the answerphone and
                the nurse in charge will ring you back before 10pm. We're trying it for a month
                from Monday - tell me here how it goes.
                """,
            ),
        ),
    ),
    _idea(
        "tasha.o",
        46,
        "Somewhere for younger brothers and sisters to wait",
        """
        When we visit Mum, my brother is 11. There's nothing for him to do, and some of what he
        sees on the ward scares him. A small family room with a few games would help.
        """,
        (_s("kez99", 45), _s("sibling_jo", 40)),
    ),
    _idea(
        "gaz_t",
        52,
        "Free parking for regular visitors",
        """
        Visiting Lee every day was costing me over £40 a week in parking. Some hospitals give
        carers a free permit.
        """,
        (_s("rosie_k", 51), _s("mo.hussain", 50), _s("dave.m", 49)),
        (
            _u(
                "oakfield_nina",
                "not_taken_forward",
                27,
                """
                I'm sorry, Gaz: the car park belongs to the hospital trust, not the wards, and its
                estates team has said charges won't change this year.

                What we can do today: carers visiting more than three times a week can get a
                weekly concession ticket (£5) from the ward office, and your idea has gone to the
                trust's patient experience group with this board's support. I'll post here if
                they change their minds.
                """,
            ),
        ),
    ),
    _idea(
        "marg_h",
        38,
        "A carers' slot in the weekly ward round",
        """
        Ward rounds decide everything, but families are never there. Could there be ten
        minutes each week, in person or by phone, when a carer can speak to the team?
        """,
        (_s("elaine_w", 37), _s("carer_ann", 36), _s("sibling_jo", 35)),
        (
            _u(
                "oakfield_nina",
                "under_review",
                22,
                """
                Thank you, Margaret. The consultants are open to this. We're working out how to
                fit it into the ward round without making patients wait, and I'll update you
                by the end of the month.
                """,
            ),
        ),
    ),
    _idea(
        "carer_ann",
        30,
        "Tell families which nurse is looking after their relative",
        """
        When I ring the ward I'm passed around until I find someone who knows Tom that day. A
        board by the door, or a text, saying who his named nurse is on each shift would save
        everyone time.
        """,
        (_s("rosie_k", 29.5), _s("priya.s", 29)),
    ),
    _idea(
        "kez99",
        36,
        "Someone to talk to after a section",
        """
        The night Mum was sectioned I was on my own at 2am, with police in the kitchen and
        nobody to explain anything. Could the ward ring the family the next day to talk it
        through?
        """,
        (_s("tasha.o", 35), _s("lou_b", 30), _s("fin_r", 29)),
    ),
    _idea(
        "fin_r",
        20,
        "Video calls for relatives who live far away",
        """
        I'm at uni in Glasgow and my twin is on Willow ward. Phone calls are hard for Jamie when
        he's unwell. Could families book a video call?
        """,
        (_s("sibling_jo", 19),),
        (
            _u(
                "oakfield_nina",
                "under_review",
                8,
                """
                Thank you, Fin. The ward has two tablets for video calls; I'm checking how
                families could book them, and what support patients need to use them.
                """,
            ),
        ),
    ),
    _idea(
        "neil_p",
        4,
        "Let families bring in home-cooked food",
        """
        Hannah has barely eaten the hospital food for a week. Could we bring meals in, labelled
        and dated, for a shelf in the ward fridge?
        """,
        (_s("fin_r", 3),),
    ),
)

BOARDS: tuple[DemoBoard, ...] = (
    DemoBoard(
        slug="cmht-carers",
        name="Community mental health team — carers' support",
        description=(
            "Ideas for how the Riverside community mental health team works with families and "
            "friends who care. Sam, the team's carers' lead, answers every idea here within 28 "
            "days. This board is not for urgent help: in a crisis ring the number on your "
            "relative's crisis plan, NHS 111 (option 2) or 999."
        ),
        staff=("cmht_sam",),
        ideas=_CMHT_IDEAS,
        outcomes=(
            DemoOutcome(
                "cmht_sam",
                "Every care coordinator now names a cover colleague",
                _text(
                    """
                    Since October, each care plan names a colleague who covers when the care
                    coordinator is away, and carers get a letter or text before planned leave
                    with that person's name and direct number. 38 carers have had a letter so
                    far.
                    """
                ),
                24,
                ("A named contact when the care coordinator is on leave",),
                credit=("neil_p",),  # raised it at the October carers' meeting
            ),
            DemoOutcome(
                "cmht_sam",
                "A monthly evening carers' group",
                _text(
                    """
                    The carers' group now also meets on the first Tuesday of every month, 6:30
                    to 8pm, at the Riverside carers' centre, with a video link for anyone who
                    can't come in person. The first evening had 20 carers, 11 of them new to the
                    group.
                    """
                ),
                16,
                (
                    "An evening carers' group for people who work",
                    "Carers' meeting after work hours",
                ),
                credit=("bev_leeds",),  # helped run the first evening
            ),
        ),
        involvement=(
            DemoInvolvement(
                "neil_p",
                "Carers' meeting on cover during leave",
                50,
                1.5,
                "thanks",
                "given",
                "cmht_sam",
            ),
            DemoInvolvement(
                "carer_ann",
                "Interview panel for a new care coordinator",
                30,
                3.5,
                "paid",
                "given",
                "cmht_sam",
            ),
            DemoInvolvement(
                "elaine_w",
                "Co-hosting the first evening carers' group",
                16,
                2,
                "thanks",
                "given",
                "cmht_sam",
            ),
            DemoInvolvement(
                "bev_leeds",
                "Helping run the first evening carers' group",
                16,
                2,
                "voucher",
                "given",
                "cmht_sam",
            ),
            DemoInvolvement(
                "carer_ann",
                "Reviewing the crisis plan consent letter",
                9,
                1.5,
                "voucher",
                "promised",
                "cmht_sam",
            ),
        ),
    ),
    DemoBoard(
        slug="oakfield-wards",
        name="Oakfield unit (inpatient wards) — families and carers",
        description=(
            "Ideas for how the Oakfield inpatient unit involves families and friends while "
            "someone is on Willow or Cedar ward. Nina, the ward manager, answers here within 28 "
            "days. For anything urgent about a patient, ring the ward directly."
        ),
        staff=("oakfield_nina",),
        ideas=_WARD_IDEAS,
        outcomes=(
            DemoOutcome(
                "oakfield_nina",
                "Families invited to discharge planning",
                _text(
                    """
                    With the patient's agreement, families and carers are now invited to the
                    discharge planning meeting at least two working days before discharge, and
                    given a copy of the plan, including medication and who to call in the first
                    week home. In November, 17 of 20 discharges had a family member at the
                    meeting.
                    """
                ),
                21,
                ("Tell us before discharge, not on the day",),
                credit=("rosie_k",),  # spoke at the workshop that shaped the checklist
            ),
        ),
        involvement=(
            DemoInvolvement(
                "carer_ann",
                "Discharge checklist workshop",
                40,
                2.5,
                "voucher",
                "given",
                "oakfield_nina",
            ),
            DemoInvolvement(
                "rosie_k", "Discharge checklist workshop", 40, 2.5, "paid", "given", "oakfield_nina"
            ),
            DemoInvolvement(
                "priya.s",
                "Writing the families' first-day leaflet",
                25,
                3,
                "voucher",
                "promised",
                "oakfield_nina",
            ),
            DemoInvolvement(
                "dave.m",
                "Reviewing the first-day leaflet draft",
                18,
                1,
                "thanks",
                "given",
                "oakfield_nina",
            ),
        ),
    ),
)


# --- validation ----------------------------------------------------------------------------------

_HANDLE_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.\-]{2,31}")
_SLUG_RE = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
# C0 controls except newline, DEL, C1 controls and bidi overrides: nothing a terminal would obey.
_CONTROL_RE = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def validate() -> None:
    """Assert the structural rules the seeder and the demo rely on. Raises AssertionError."""
    roles = {"carer", "volunteer", "staff", "admin"}
    by_handle = {m.handle: m for m in MEMBERS}
    assert len(by_handle) == len(MEMBERS), "duplicate handles"
    keys = {re.sub(r"[^a-z0-9]", "", m.handle.lower()) for m in MEMBERS}
    assert len(keys) == len(MEMBERS), "handles differing only by case or separators"
    for m in MEMBERS:
        assert _HANDLE_RE.fullmatch(m.handle), f"bad handle {m.handle!r}"
        assert m.role in roles, f"bad role {m.role!r} for {m.handle}"
        if m.display_name is not None:
            assert 1 <= len(m.display_name) <= 60, f"bad display name for {m.handle}"
            assert not _CONTROL_RE.search(m.display_name), f"control char in {m.handle}"
    carers = [m for m in MEMBERS if m.role == "carer"]
    assert len(MEMBERS) >= 12, "need at least 12 members"
    assert len(carers) >= 10, "need at least 10 carers"
    for handle, role in (
        (DEMO_CARER, "carer"),
        ("drop_in_dev", "volunteer"),
        ("cmht_sam", "staff"),
        ("forum_admin", "admin"),
    ):
        assert handle in by_handle and by_handle[handle].role == role, f"{handle} must be {role}"
    assert DEMO_PASSWORD, "demo password must not be empty"

    assert len(GROUPS) == 4, "exactly 4 groups"
    assert [g.visibility for g in GROUPS].count("open") == 3, "3 open groups"
    assert [g.visibility for g in GROUPS].count("private") == 1, "1 private group"
    assert len({g.slug for g in GROUPS}) == len(GROUPS), "duplicate slugs"
    assert len({g.name for g in GROUPS}) == len(GROUPS), "duplicate group names"

    thread_total = post_total = 0
    long_threads = short_threads = locked = 0
    ann_threads = ann_replies = 0
    brackets = False
    oldest = 0
    for g in GROUPS:
        assert _SLUG_RE.fullmatch(g.slug), f"bad slug {g.slug!r}"
        assert g.name.strip() and g.description.strip(), f"{g.slug}: name and description"
        assert "not a crisis line" in g.description, f"{g.slug}: say it is not a crisis line"
        assert len(set(g.members)) == len(g.members), f"{g.slug}: duplicate members"
        for h in g.members:
            assert h in by_handle, f"{g.slug}: unknown member {h}"
        assert g.leader in g.members, f"{g.slug}: leader is not a member"
        assert by_handle[g.leader].role == "carer", f"{g.slug}: leader must be a carer"
        assert g.leader != DEMO_CARER, f"{g.slug}: the demo carer must not lead a group"
        if g.visibility == "private":
            assert DEMO_CARER not in g.members, "the demo carer must not see the private group"
        pinned = [t for t in g.threads if t.pinned]
        assert len(pinned) == 1, f"{g.slug}: exactly one pinned welcome thread"
        welcome = pinned[0].posts[0]
        assert welcome.author == g.leader, f"{g.slug}: the leader writes the welcome"
        assert "999" in welcome.body and "116 123" in welcome.body, f"{g.slug}: signpost help"
        assert len({t.title for t in g.threads}) == len(g.threads), f"{g.slug}: duplicate titles"
        for t in g.threads:
            where = f"{g.slug} / {t.title!r}"
            assert 3 <= len(t.title) <= 120, f"{where}: title length"
            assert t.title == " ".join(t.title.split()), f"{where}: title spacing"
            assert not _CONTROL_RE.search(t.title), f"{where}: control char in title"
            assert t.posts, f"{where}: no posts"
            previous = None
            for i, p in enumerate(t.posts):
                assert p.author in g.members, f"{where}: {p.author} is not a member"
                assert 1 <= len(p.body) <= 20_000, f"{where}: body length"
                assert p.body == p.body.strip(), f"{where}: body has blank edges"
                assert not _CONTROL_RE.search(p.body), f"{where}: control char in body"
                assert "\x1b" not in p.body, f"{where}: escape in body"
                assert 0 < p.minutes_ago <= 90_000, f"{where}: minutes_ago out of range"
                if previous is not None:
                    assert p.minutes_ago < previous, f"{where}: post {i} is not newer"
                previous = p.minutes_ago
                oldest = max(oldest, p.minutes_ago)
                brackets = brackets or ("[" in p.body and "]" in p.body)
                if p.author == DEMO_CARER:
                    if i == 0:
                        ann_threads += 1
                    else:
                        ann_replies += 1
            thread_total += 1
            post_total += len(t.posts)
            long_threads += len(t.posts) >= 20
            short_threads += len(t.posts) <= 2
            locked += t.locked

    assert thread_total >= 36, f"only {thread_total} threads"
    assert post_total >= 240, f"only {post_total} posts"
    assert long_threads >= 2, "need a couple of threads with 20+ posts"
    assert short_threads >= 2, "need some threads with just 1-2 posts"
    assert locked >= 1, "need a locked thread"
    assert oldest >= 80_000, "posts should reach back about 60 days"
    assert brackets, "some post should use square brackets"
    assert sum(DEMO_CARER in g.members for g in GROUPS) >= 2, "demo carer in 2+ groups"
    assert ann_threads >= 3 and ann_replies >= 5, "the demo carer should have posted a fair bit"
    _validate_boards(by_handle)


_STATUSES = ("new", "under_review", "planned", "in_progress", "done", "not_taken_forward")
_CLOSED = ("done", "not_taken_forward", "duplicate")
_WINDOW_MINUTES = _ago(28)


def _validate_boards(by_handle: dict[str, DemoMember]) -> None:
    """The rules the board seeding relies on (see the boards section above)."""
    assert len(BOARDS) == 2, "exactly 2 boards"
    assert len({b.slug for b in BOARDS}) == len(BOARDS), "duplicate board slugs"
    statuses: set[str] = set()
    awaiting = ideas = 0
    ann_linked = 0
    for b in BOARDS:
        assert _SLUG_RE.fullmatch(b.slug) and 3 <= len(b.name) <= 120, b.slug
        for h in b.staff:
            assert by_handle[h].role == "staff", f"{b.slug}: {h} must be staff"
        by_title = {i.title: i for i in b.ideas}
        assert len(by_title) == len(b.ideas), f"{b.slug}: duplicate idea titles"
        for i in b.ideas:
            where = f"{b.slug} / {i.title!r}"
            ideas += 1
            assert i.author in by_handle and 3 <= len(i.title) <= 120, where
            assert 1 <= len(i.body) <= 20_000 and not _CONTROL_RE.search(i.body), where
            assert 0 < i.minutes_ago <= _ago(120), where
            closed_at = None
            previous = i.minutes_ago
            for u in i.updates:
                assert u.staff in b.staff, f"{where}: {u.staff} is not on the board's staff"
                assert u.status in (*_STATUSES, "duplicate") and u.status != "new", where
                assert u.minutes_ago < previous, f"{where}: updates out of order"
                assert 1 <= len(u.note) <= 2000, f"{where}: note length"
                assert closed_at is None, f"{where}: a closed idea changes no more"
                if u.status == "duplicate":
                    target = by_title[u.duplicate_of or ""]
                    assert target.minutes_ago > u.minutes_ago and not any(
                        t.status == "duplicate" for t in target.updates
                    ), f"{where}: duplicate of an older, non-duplicate idea"
                if u.status in _CLOSED:
                    closed_at = u.minutes_ago
                previous = u.minutes_ago
                statuses.add(u.status)
            status = i.updates[-1].status if i.updates else "new"
            statuses.add(status)
            last = i.updates[-1].minutes_ago if i.updates else i.minutes_ago
            awaiting += status not in _CLOSED and last >= _WINDOW_MINUTES
            supporters = [sp.member for sp in i.supports]
            assert len(set(supporters)) == len(supporters), f"{where}: supports twice"
            for sp in i.supports:
                assert sp.member in by_handle and sp.member != i.author, where
                assert sp.minutes_ago < i.minutes_ago, f"{where}: support before the idea"
                assert closed_at is None or sp.minutes_ago > closed_at, f"{where}: closed"
                assert len(sp.comment) <= 500, where
        for o in b.outcomes:
            assert o.recorded_by in b.staff and o.ideas, o.title
            linked = [by_title[t] for t in o.ideas]
            assert all(i.minutes_ago > _ago(o.days_ago) for i in linked), o.title
            assert all(h in by_handle for h in o.credit), o.title
            ann_linked += any(
                i.author == DEMO_CARER or DEMO_CARER in {sp.member for sp in i.supports}
                for i in linked
            )
        for e in b.involvement:
            assert e.member in by_handle and e.logged_by in b.staff, e.activity
            assert 3 <= len(e.activity) <= 120 and 0 < e.hours <= 24, e.activity
            assert e.recognition in ("thanks", "voucher", "paid"), e.activity
            assert e.state in ("promised", "given"), e.activity
    assert ideas >= 20, f"only {ideas} ideas"
    assert statuses == {*_STATUSES, "duplicate"}, f"missing statuses: {statuses}"
    assert awaiting >= 3, "several ideas should await a response past the window"
    assert sum(len(b.outcomes) for b in BOARDS) == 3 and ann_linked == 3, "3 outcomes for ann"
    involved = {e.member for b in BOARDS for e in b.involvement}
    assert DEMO_CARER in involved and len(involved) >= 4, "involvement for ann and others"
