"""The playbook's records as typed, frozen models.

Field docstrings are the documentation: pydantic turns them into the JSON Schema
descriptions editors show on hover (`playbook schema`). Models are strict (no
coercion of "5" to 5) and refuse unknown keys, so a typo is an error at its own
line instead of a silently ignored field. Checks that need more than one field
or more than one file live in `validate.py`.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass
from datetime import date, time
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PlainValidator,
    ValidationInfo,
    WithJsonSchema,
    field_validator,
)
from pydantic_core import PydanticCustomError

from .days import Day, parse_days
from .frequency import parse_frequency
from .limits import ADDRESS_MAX, ID_MAX, NAME_MAX, PATH_MAX, TEXT_MAX, too_long
from .prose import address_problem
from .timing import (
    DURATION_PATTERN,
    FREQUENCY_PATTERN,
    Frequency,
    TimingError,
    check_timezone,
    parse_date,
    parse_duration,
    parse_time_of_day,
)

SLUG_PATTERN = r"^[a-z0-9]+(-[a-z0-9]+)*$"
_SLUG = re.compile(SLUG_PATTERN)


def _custom(func: Any) -> Any:
    """Run a parser and turn its ValueError into a clean pydantic error message."""

    def validate(value: object) -> Any:
        try:
            return func(value)
        except TimingError as exc:
            raise PydanticCustomError("playbook", str(exc)) from None

    return validate


def check_slug(value: object) -> str:
    """Ids become URLs and file names: lower-case letters, digits and single dashes."""
    if not isinstance(value, str):
        raise TimingError(f"expected an id such as 'ppc-management', found {value!r}")
    if len(value) > ID_MAX:  # first: the messages below would quote all of it, twice
        raise TimingError(f"the id is {too_long(len(value), ID_MAX)}")
    if not _SLUG.match(value):
        suggestion = re.sub(r"[^a-z0-9]+", "-", value.lower()).strip("-")
        hint = f" (did you mean '{suggestion}'?)" if suggestion and suggestion != value else ""
        raise TimingError(
            f"'{value}' is not a valid id; use lower-case letters, digits and single dashes{hint}"
        )
    return value


_UNPRINTABLE = re.compile("[^\t\n\r\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
"""What YAML does not allow in a file, which a double-quoted escape such as "\\a" can still say.
None of it is printable (str.isprintable, which tests/test_validate.py checks over every
character), so only text that is not, such as text with line breaks, is searched."""


def _text(value: object) -> object:
    """A number is fine as text (`target: 40`); booleans and lists are not. Text of white
    space only counts as empty: it would be a blank heading, link or list item."""
    if value.__class__ is str and not value.isspace() and (
            value.isprintable() or _UNPRINTABLE.search(value) is None):
        return value  # the usual case, first: this runs for every text of every file
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    if isinstance(value, str) and not value.strip():
        return ""
    if isinstance(value, str) and (bad := _UNPRINTABLE.search(value)):
        raise PydanticCustomError("playbook", f"control character U+{ord(bad[0]):04X} is not "
                                  "allowed; delete it")
    return value


Slug = Annotated[
    str,
    PlainValidator(_custom(check_slug)),
    WithJsonSchema({"type": "string", "pattern": SLUG_PATTERN, "maxLength": ID_MAX}),
]
# The length constraints come before the validator so that they land on the string schema,
# checked by pydantic-core itself; after it, pydantic would wrap the validator in a Python
# length check, a second Python call for each of the ~100,000 texts of a big playbook.
# The limits (limits.py) differ by what the text is: a name is repeated on many pages.
Text = Annotated[str, Field(min_length=1, max_length=TEXT_MAX), BeforeValidator(_text)]
Name = Annotated[str, Field(min_length=1, max_length=NAME_MAX), BeforeValidator(_text)]
SitePath = Annotated[str, Field(min_length=1, max_length=PATH_MAX), BeforeValidator(_text)]


class _Prose:
    """Marks text that may hold the inline Markdown subset (links, emphasis, code); names
    and titles stay plain text. validate.py checks the links of every marked field."""

    def __repr__(self) -> str:
        return "PROSE"


PROSE = _Prose()
Prose = Annotated[str, Field(min_length=1, max_length=TEXT_MAX), BeforeValidator(_text), PROSE]


def _address(value: object) -> str:
    """One address: white space around it is YAML layout and is trimmed; inside it, any is
    an error (address_problem), as it would end the attribute it is written into."""
    if not isinstance(value, str) or not value.strip():
        raise TimingError(f"expected an address such as 'https://example.org/report', "
                          f"found {value!r}")
    problem = address_problem(value.strip())
    if problem:
        raise TimingError(problem)
    return value.strip()


def _short_address(value: object) -> object:
    """Runs before _address (a plain validator, which no length constraint reaches)."""
    if isinstance(value, str) and len(value) > ADDRESS_MAX:
        raise PydanticCustomError("playbook", "the address is "
                                  f"{too_long(len(value), ADDRESS_MAX)}; link to a shorter one")
    return value


Address = Annotated[
    str,
    PlainValidator(_custom(_address)),
    BeforeValidator(_short_address),
    WithJsonSchema({"type": "string", "maxLength": ADDRESS_MAX,
                    "examples": ["https://example.org/report", "/roles/ppc/#weekly-bid-review"]}),
]


def _file_name(value: str) -> str:
    """A picture's path becomes its address on the page (`src`): one token, as any address."""
    if value.isprintable() and " " not in value:
        return value
    char = next(c for c in value if c == " " or not c.isprintable())
    suggestion = "-".join(value.split())
    raise PydanticCustomError("playbook", f"{value!r}: a picture's name holds no spaces or line "
                              f"breaks (it has U+{ord(char):04X}); rename the file, such as "
                              f"'{suggestion}'")


MediaPath = Annotated[SitePath, AfterValidator(_file_name)]
Minutes = Annotated[
    int,
    PlainValidator(_custom(parse_duration)),
    WithJsonSchema({"type": "string", "pattern": DURATION_PATTERN, "examples": ["30m", "1h30m"]}),
]
Every = Annotated[
    Frequency,
    PlainValidator(_custom(parse_frequency)),
    WithJsonSchema({"type": "string", "pattern": FREQUENCY_PATTERN, "examples": ["weekly"]}),
]
IsoDate = Annotated[
    date,
    PlainValidator(_custom(parse_date)),
    WithJsonSchema({"type": "string", "format": "date", "examples": ["2026-10-01"]}),
]
Money = Annotated[float, Field(ge=0)]
TimeZone = Annotated[
    str,
    PlainValidator(_custom(check_timezone)),
    WithJsonSchema({"type": "string", "examples": ["America/New_York", "Asia/Manila"]}),
]
TimeOfDay = Annotated[
    time,
    PlainValidator(_custom(parse_time_of_day)),
    WithJsonSchema({"type": "string", "pattern": r"^([01]?[0-9]|2[0-3]):[0-5][0-9]$",
                    "examples": ["09:00", "14:30"]}),
]
_DAY_SCHEMA = {"type": "string", "examples": ["monday", "day 15", "last workday",
                                              "first tuesday", "december 1"]}


class Record(BaseModel):
    """Shared settings: strict types, no unknown keys. The docstring under each field is
    its description in the JSON Schema; schema.py reads them only when it writes one, as
    pydantic's `use_attribute_docstrings` would parse this file's source at every start."""

    model_config = ConfigDict(
        extra="forbid",
        strict=True,
        frozen=True,
        arbitrary_types_allowed=True,
    )


class BusinessPrivate(Record):
    """Owner-only facts about the business; never in the public build."""

    notes: Prose | None = None
    """Anything the owner keeps to themselves."""
    monthly_budget: Money | None = None
    """What the business can spend on outsourcing per month, in its currency."""


class Business(Record):
    """`business.yml`: the business model, as the article's first step maps it."""

    name: Name
    """The business's name, shown as the site title."""
    model: Prose
    """How the business makes money: who pays, for what, through which channel."""
    customers: Prose | None = None
    """Who buys."""
    deliverables: list[Prose] = Field(min_length=1)
    """What the customers receive: the products and services the roles deliver."""
    revenue: list[Prose] = []
    """Revenue streams, one line each."""
    owner: Slug
    """The person id (in people.yml) of the owner."""
    workweek_days: int = Field(default=5, ge=1, le=7)
    """Working days in a week; a daily task counts this many times a week."""
    currency: str = Field(default="USD", pattern=r"^[A-Z]{3}$")
    """ISO 4217 code of the currency rates and budgets are in, such as USD or EUR."""
    timezone: TimeZone | None = None
    """IANA time zone the business keeps its hours in, such as 'America/New_York'; a task's
    `at:` is in this zone, and calendars show it in each reader's own time."""
    private: BusinessPrivate | None = None
    """Internal only: never published in the public build."""


class PersonPrivate(Record):
    """Owner-only facts about a person; never in the public build."""

    rate: Money | None = None
    """What this person is paid per hour, in the business's currency."""
    email: Name | None = None
    """Private contact address."""
    notes: Prose | None = None
    """Anything the owner keeps to themselves."""


class Person(Record):
    """One entry of `people.yml`: someone who performs roles."""

    id: Slug
    """Lower-case id that roles use in `performer:` and `escalation:`."""
    name: Name
    """Full name as shown on the site."""
    kind: Literal["owner", "staff", "contractor"]
    """owner (runs the business), staff (employed) or contractor (outsourced)."""
    capacity: Minutes | None = None
    """Hours available per week, as a duration such as '40h'."""
    contact: Prose | None = None
    """How contractors reach this person, such as 'Slack @maya'; public."""
    timezone: TimeZone | None = None
    """IANA time zone the person works in, such as 'Asia/Manila'; role pages show task times
    in it too."""
    private: PersonPrivate | None = None
    """Internal only: never published in the public build."""


class Task(Record):
    """One recurring task: the article's chart of daily, weekly, monthly, quarterly work."""

    task: Name
    """What is done, as an imperative: 'Review bids and search terms'."""
    id: Slug | None = None
    """Stable id of the task in its role, such as 'month-end'; calendar events are known by
    it. Defaults to the task's text as a slug, so rewording the task without an id gives its
    events a new identity."""
    every: Every
    """daily, weekly, monthly, quarterly, yearly, as needed, or 'every N days|weeks|months'."""
    on: Annotated[tuple[Day, ...], WithJsonSchema({"anyOf": [
        _DAY_SCHEMA, {"type": "array", "items": _DAY_SCHEMA, "minItems": 1}]})] = ()
    """The day or days it falls on: weekdays for weekly work ('monday' or '[monday,
    thursday]'); for monthly and longer 'day 1' to 'day 31', 'last day', 'first workday',
    'last workday' or 'first tuesday'; for yearly work also 'december 1' or 'last friday of
    march'. A day of the month that is a day off moves to the workday before it."""
    starts: IsoDate | None = None
    """The first occurrence, such as 2026-07-20: 'every N weeks', 'quarterly' and the like
    count from it, and without 'on:' it gives the day."""
    at: TimeOfDay | None = None
    """Time of day in the business's time zone, 24-hour, such as '14:30'; default 09:00."""
    times: int = Field(default=1, ge=1, le=24)
    """How many times a day it is done, such as 4; hours per week count each one."""
    time: Minutes | None = None
    """Time one occurrence takes, such as '30m' or '1h30m'; leave it out while nobody knows,
    and figures that need it say 'at least' instead of inventing one."""
    trigger: Prose | None = None
    """What sets off an as-needed task, such as 'a refund request arrives'."""
    notes: Prose | None = None
    """What the performer should know, such as 'Use the *Q3* template'; may hold links."""
    link: Address | None = None
    """The one page the task is done in, such as 'https://ads.google.com/'."""
    procedure: Slug | None = None
    """Id of the procedure (SOP) that says how; it must belong to this role."""

    @field_validator("on", mode="plain")
    @classmethod
    def _days_fit_frequency(cls, value: object, info: ValidationInfo) -> tuple[Day, ...]:
        every = info.data.get("every")
        if value is None or every is None:
            return ()
        try:
            return parse_days(value, every)
        except TimingError as exc:
            raise PydanticCustomError("playbook", str(exc)) from None

    @field_validator("times", mode="before")
    @classmethod
    def _once_for_as_needed(cls, value: object, info: ValidationInfo) -> object:
        every = info.data.get("every")
        if value != 1 and every is not None and every.unit not in ("workday", "day"):
            raise PydanticCustomError("playbook", "'times:' counts occurrences in a day, for "
                                      "daily work; for weekly work name the days in 'on:'")
        return value

    @property
    def key(self) -> str:
        """The task's id in its role: `id:`, or its text as a slug."""
        return self.id or task_slug(self.task)

    def per_week(self, workweek_days: int) -> float:
        """Occurrences a week: each day named in `on:` and each time a day counts."""
        return self.every.per_week(workweek_days) * max(1, len(self.on)) * self.times


def task_slug(text: str) -> str:
    """'Close the month (books)' -> 'close-the-month-books'; accents are dropped, and text
    with no Latin letter at all gets a short hash so that it still has an id."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    if len(slug) > 60:
        slug = slug[:60].rsplit("-", 1)[0]
    return slug or "task-" + hashlib.sha1(text.encode()).hexdigest()[:8]


def scheduled(value: Frequency, message: str) -> Frequency:
    """Refuse `as needed` where something must recur on a calendar."""
    if value.as_needed:
        raise PydanticCustomError("playbook", message)
    return value


class Kpi(Record):
    """An outcome the role is measured by: outcome-focused, not keeping people busy."""

    name: Name
    """What is measured, such as 'Cost per sale'."""
    target: Name
    """The target value, such as '< $40' or '95% within 24h'."""
    every: Every
    """How often it is checked."""

    @field_validator("every")
    @classmethod
    def _scheduled(cls, value: Frequency) -> Frequency:
        return scheduled(value, "a KPI is checked on a schedule, not 'as needed'; write how "
                         "often, such as 'monthly'")


class Review(Record):
    """When the SOP was last checked against how the work is really done."""

    last: IsoDate
    """Date of the last review, such as 2026-10-01."""
    every: Every
    """How often it should be reviewed, such as quarterly."""

    @field_validator("every")
    @classmethod
    def _scheduled(cls, value: Frequency) -> Frequency:
        return scheduled(value, "a review needs a schedule, not 'as needed', or it is never "
                         "due; write how often, such as 'quarterly'")


class Assessment(Record):
    """The owner's honest view: outsource weaknesses and dislikes first."""

    skill: Literal["strong", "average", "weak"]
    """How good the owner is at this role."""
    enjoyment: Literal["like", "neutral", "dislike"]
    """How much the owner likes doing it."""


class RolePrivate(Record):
    """Owner-only facts about a role; never in the public build."""

    assessment: Assessment | None = None
    """The owner's strength/weakness and like/dislike for this role."""
    budget: Money | None = None
    """The most the owner will pay per hour for this role."""
    notes: Prose | None = None
    """Anything the owner keeps to themselves."""


class Role(Record):
    """`roles/<id>.yml`: one seat in the org chart, the page a contractor is handed."""

    id: Slug = ""
    """Optional: the file name is the id; if given it must equal it."""
    title: Name
    """Name of the role, such as 'PPC management'."""
    parent: Slug | None = None
    """Id of the role this one sits under; root roles (departments) have none."""
    sourcing: Literal["keep", "outsource"]
    """keep (a core competency the owner keeps) or outsource."""
    reason: Prose | None = None
    """Why the role is kept in-house; required when sourcing is keep, unless staff perform
    it or it is a department heading with no tasks of its own."""
    performer: Slug | None = None
    """Person id of who performs the role now; leave out when the seat is vacant."""
    engagement: Literal["contract", "retainer", "project", "part-time", "full-time"] | None = None
    """How the performer is engaged; outsourced roles default to a contract."""
    purpose: Prose | None = None
    """Why the role exists, in one or two sentences."""
    goals: list[Prose] = []
    """What you hope to achieve by outsourcing this role."""
    objectives: list[Prose] = []
    """The outcomes you expect."""
    success_factors: list[Prose] = []
    """What counts as success."""
    expectations: list[Prose] = []
    """What you expect from the person who takes the role."""
    skills: list[Prose] = []
    """The precise skill set: hire one specialist per role."""
    tasks: list[Task] = []
    """Recurring tasks with how often and how long."""
    kpis: list[Kpi] = []
    """Outcomes measured, with target and how often."""
    access: list[Prose] = []
    """Accounts and tools the performer needs."""
    escalation: Slug | None = None
    """Person id to escalate to when something is off."""
    aliases: list[SitePath] = []
    """Old ids or paths of this role; their URLs keep working."""
    review: Review | None = None
    """When this SOP was last reviewed and how often it should be."""
    private: RolePrivate | None = None
    """Internal only: never published in the public build."""

    @property
    def engagement_words(self) -> str:
        """How the performer is engaged, in words ('part time'); a contract by default."""
        return (self.engagement or "contract").replace("-", " ")


def is_heading(role: Role, has_children: bool) -> bool:
    """A department heading: roles below it and no tasks of its own. It holds no work to
    hand over, so it is asked neither the four questions nor a reason to keep it."""
    return has_children and not role.tasks


def _steps(value: object) -> object:
    """Allow `- Export the report` as shorthand for `- do: Export the report`."""
    if isinstance(value, list):
        return [{"do": item} if isinstance(item, str) else item for item in value]
    return value


StepList = Annotated[list["Step"], BeforeValidator(_steps)]


class Step(Record):
    """One checklist step; a plain string is shorthand for `{do: ...}`."""

    do: Prose
    """What to do, as an imperative."""
    check: Prose | None = None
    """The expected result: how the performer knows the step worked."""
    optional: bool = False
    """true when the step may be skipped."""
    id: Slug | None = None
    """Stable anchor for links to this step; defaults to its number."""
    image: MediaPath | None = None
    """A screenshot shown under the step: a PNG, JPEG, GIF or WebP file in the playbook's
    media/ folder, written as 'media/export-button.png'. Needs 'alt:'."""
    alt: Text | None = None
    """What the picture shows, for people who cannot see it: 'The Export button, top right'."""
    video: Address | None = None
    """A video of the step (https://...), shown as a link: the site embeds nothing from
    another host."""
    # A factory, not `= []`: pydantic deep-copies a mutable default for every step that
    # has no sub-steps, tens of thousands of times in a big playbook.
    steps: StepList = Field(default_factory=list, json_schema_extra={"default": []})
    """Sub-steps."""




class ProcedurePrivate(Record):
    """Owner-only facts about a procedure; never in the public build."""

    notes: Prose | None = None
    """Anything the owner keeps to themselves."""


class Procedure(Record):
    """`procedures/<id>.yml`: a standard operating procedure, a checklist for recurring work."""

    id: Slug = ""
    """Optional: the file name is the id; if given it must equal it."""
    title: Name
    """Name of the procedure, such as 'Weekly bid review'."""
    role: Slug
    """Id of the role that performs it."""
    summary: Prose | None = None
    """What the procedure achieves, in a sentence or two."""
    trigger: Prose | None = None
    """When it runs, such as 'Every Monday by 10:00'."""
    time: Minutes | None = None
    """How long one run takes."""
    inputs: list[Prose] = []
    """What the performer needs before starting."""
    steps: StepList = Field(min_length=1)
    """The steps, in order; each may have sub-steps."""
    done_when: list[Prose] = []
    """The definition of done."""
    private: ProcedurePrivate | None = None
    """Internal only: never published in the public build."""


Step.model_rebuild()


@dataclass(frozen=True)
class StepLine:
    """One numbered checklist line of a procedure, flattened with its depth."""

    step: Step
    anchor: str
    number: str
    depth: int


def step_lines(procedure: Procedure) -> list[StepLine]:
    """Steps in reading order with stable anchors: '<procedure>-step-2-1' or '<procedure>-<id>'.
    Without recursion: sub-steps may nest deeper than Python's stack."""
    lines: list[StepLine] = []
    stack: list[tuple[Step, tuple[int, ...]]] = [
        (step, (n,)) for n, step in reversed(list(enumerate(procedure.steps, 1)))]
    while stack:
        step, numbers = stack.pop()
        number = ".".join(map(str, numbers))
        lines.append(StepLine(step, step_anchor(procedure.id, step, number), number,
                              len(numbers) - 1))
        stack.extend((sub, (*numbers, n)) for n, sub in reversed(list(enumerate(step.steps, 1))))
    return lines


def step_anchor(procedure_id: str, step: Step, number: str) -> str:
    """The stable link of a step: '<procedure>-<id>', or '<procedure>-step-2-1' for step 2.1.
    The role page writes it and validation checks it is unique, so both ask here."""
    return f"{procedure_id}-{step.id or 'step-' + number.replace('.', '-')}"
