"""Reads of the aid module, every one limited to the actor's scope (layan.core.scopes)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from django.db.models import BooleanField, Count, Exists, ExpressionWrapper, OuterRef, Q, QuerySet, Sum
from django.db.models.functions import Coalesce
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop as N_

from layan.aid.models import (
    VULNERABLE_MEMBER_Q,
    AsnDonation,
    AsnPackage,
    AsnPledge,
    Distribution,
    DuplicatePair,
    Enrolment,
    Evidence,
    Family,
    Program,
    Resident,
    ResidentImport,
    Round,
    SourceRecord,
)
from layan.aid.names import normalise_name
from layan.aid.rules import RuleBook
from layan.core.identifiers import normalize_digits
from layan.core.personal_data import keyed_hash
from layan.core.scopes import (
    code_prefix_q,
    get_in_scope_or_404,
    has_permission,
    region_prefixes,
    require_permission,
    scope_q,
    scoped,
)
from layan.core.stored_text import message, shown
from layan.regions.models import Region

# Rounds whose list counts as "receiving": the list is at least submitted for approval.
RECEIVING_STATUSES = (Round.Status.TO_APPROVE, Round.Status.APPROVED, Round.Status.DONE)
# What the coverage report counts: approved (frozen) or done lists only.
COVERED_STATUSES = (Round.Status.APPROVED, Round.Status.DONE)
VIEW = "aid.view_resident"
APPROVE = "aid.approve_round"


# --- residents ----------------------------------------------------------------------------------------


def residents_visible(actor) -> QuerySet[Resident]:
    return scoped(Resident.objects.select_related("desa", "family"), actor, VIEW)


def resident_search(
    actor, *, text: str = "", nik: str = "", kk: str = "", desa: str = "", warnings_only: bool = False
) -> QuerySet[Resident]:
    """Search by name (normalised, every word), NIK and KK (exact, through the keyed hash), desa."""
    qs = residents_visible(actor)
    for word in normalise_name(text).split()[:6]:
        qs = qs.filter(name_key__contains=word)
    if nik:
        qs = qs.filter(nik_hash=keyed_hash(normalize_digits(nik)))
    if kk:
        qs = qs.filter(family__kk_hash=keyed_hash(normalize_digits(kk)))
    if desa:
        qs = qs.filter(code_prefix_q("desa__code", desa))
    if warnings_only:
        qs = qs.exclude(data_warnings=[])
    return qs


def own_desa(actor, permission: str) -> Region | None:
    """The one desa an officer works in with ``permission`` (a village operator), to fill in forms for
    them; None for anyone whose area is wider or several."""
    prefixes = set(region_prefixes(actor, permission) or ())
    if len(prefixes) != 1:
        return None
    return Region.objects.filter(code=prefixes.pop(), level=4).first()


def resident_get(actor, pk) -> Resident:
    return get_in_scope_or_404(Resident.objects.select_related("desa", "family"), actor, VIEW, pk=pk)


def family_get(actor, pk) -> Family:
    return get_in_scope_or_404(Family.objects.select_related("desa", "head"), actor, VIEW, pk=pk)


@dataclass
class AidLine:
    program: Program
    round: Round | None  # None for an ASN Peduli package
    enrolment: Enrolment | None
    via: str  # "person" or "family"
    package: AsnPackage | None = None  # an ASN Peduli package handed to the family


def aid_of_resident(resident: Resident) -> list[AidLine]:
    """All aid listed for this person: to them by NIK, to their family by KK, and the ASN Peduli packages
    handed to their family."""
    condition = Q(resident=resident)
    if resident.family_id:
        condition |= Q(family_id=resident.family_id)
    lines = []
    for enrolment in (
        Enrolment.objects.filter(condition)
        .select_related("round__program", "round__area")
        .order_by("-round__period_start")
    ):
        lines.append(
            AidLine(
                program=enrolment.round.program,
                round=enrolment.round,
                enrolment=enrolment,
                via="person" if enrolment.resident_id else "family",
            )
        )
    if resident.family_id:
        packages = AsnPackage.objects.filter(
            family_id=resident.family_id, status=AsnPackage.Status.HANDED_OVER
        ).order_by("-handed_at")
        if packages:
            program = Program.objects.filter(source=Program.Source.ASN).first() or Program(
                code="asn-peduli", name="ASN Peduli", source=Program.Source.ASN
            )
            lines.extend(
                AidLine(program=program, round=None, enrolment=None, via="family", package=package)
                for package in packages
            )
    return lines


def aid_for_nik(actor, nik: str) -> list[tuple[Resident, list[AidLine]]]:
    """Everyone in the actor's scope registered under this NIK, with all their aid."""
    residents = residents_visible(actor).filter(nik_hash=keyed_hash(normalize_digits(nik)))
    return [(r, aid_of_resident(r)) for r in residents]


def source_records_of(resident: Resident):
    return resident.source_records.order_by("source", "source_id")


def duplicate_pairs_of(resident: Resident) -> QuerySet[DuplicatePair]:
    return DuplicatePair.objects.filter(Q(resident_a=resident) | Q(resident_b=resident)).select_related(
        "resident_a", "resident_b"
    )


# --- imports ------------------------------------------------------------------------------------------


def imports_visible(actor) -> QuerySet[ResidentImport]:
    return scoped(ResidentImport.objects.all(), actor, "aid.manage_resident")


def import_get(actor, pk) -> ResidentImport:
    return get_in_scope_or_404(ResidentImport.objects.all(), actor, "aid.manage_resident", pk=pk)


# --- programs, rounds, exclusivity --------------------------------------------------------------------


def programs_all() -> QuerySet[Program]:
    return Program.objects.prefetch_related("exclusivity_rules__other_program")


# Who may open a round (its list, its page, its PDF): those who see residents in the area, and those who
# legalise the area's lists (a bupati approves without seeing the resident registry).
ROUND_VIEW_PERMISSIONS = (VIEW, APPROVE)


def _scoped_any(queryset: QuerySet, actor, permissions=ROUND_VIEW_PERMISSIONS) -> QuerySet:
    """``queryset`` narrowed to what ``actor`` may see with any one of ``permissions`` (by default: the
    residents' officers of an area, and those who legalise its lists)."""
    conditions = [c for c in (scope_q(queryset.model, actor, p) for p in permissions) if c is not None]
    if not conditions:
        return queryset.none()
    combined = conditions[0]
    for condition in conditions[1:]:
        combined |= condition
    return queryset.filter(combined)


def _rounds_scoped(queryset: QuerySet[Round], actor) -> QuerySet[Round]:
    return _scoped_any(queryset, actor)


def can_view_rounds(actor) -> bool:
    return any(has_permission(actor, p) for p in ROUND_VIEW_PERMISSIONS)


def rounds_visible(actor) -> QuerySet[Round]:
    return (
        _rounds_scoped(Round.objects.select_related("program", "area"), actor)
        .annotate(recipients=Count("enrolments"))
        .order_by("-period_start", "program_id", "area_id", "pk")
    )


def round_get(actor, pk, permission: str = VIEW) -> Round:
    """One round in the actor's scope, or 404. With the default (``VIEW``), a round the actor may
    legalise counts as visible too."""
    queryset = Round.objects.select_related("program", "area")
    if permission != VIEW:
        return get_in_scope_or_404(queryset, actor, permission, pk=pk)
    try:
        return _rounds_scoped(queryset, actor).get(pk=pk)
    except (Round.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


@dataclass
class AidWarning:
    program: Program
    round: Round
    allowed: bool
    reason: dict  # stored message (core.stored_text)
    legal_basis: str = ""

    @property
    def as_message(self) -> dict:
        """The warning as a stored message: a round keeps it among its conflicts."""
        return message(
            N_("Sudah menerima %(program)s (%(round)s): %(status)s — %(reason)s."),
            program=self.program.name,
            round=message(N_("tahap %(n)s, %(year)s"), n=self.round.stage, year=self.round.period_start.year),
            status=message(N_("boleh") if self.allowed else N_("TIDAK boleh")),
            reason=self.reason,
        )

    @property
    def text(self) -> str:
        return shown(self.as_message)


def _receipts_q(*, resident: Resident | None, family: Family | None) -> Q:
    """Enrolments that give aid to this person or family: directly, via the family, via a member."""
    condition = Q(pk__in=[])
    if resident is not None:
        condition |= Q(resident=resident)
        if resident.family_id:
            condition |= Q(family_id=resident.family_id)
    if family is not None:
        condition |= Q(family=family) | Q(resident__family=family)
    return condition


def aid_warnings(
    *,
    program: Program,
    period_start: date,
    period_end: date,
    resident: Resident | None = None,
    family: Family | None = None,
    exclude_round: Round | None = None,
    rulebook: RuleBook | None = None,
) -> list[AidWarning]:
    """The entry warning: every other aid this person/family receives in the period, allowed or not."""
    rulebook = rulebook or RuleBook(period_start)
    receipts = (
        Enrolment.objects.filter(_receipts_q(resident=resident, family=family))
        .filter(
            round__status__in=RECEIVING_STATUSES,
            round__period_start__lte=period_end,
            round__period_end__gte=period_start,
        )
        .exclude(round__program=program)
        .select_related("round__program")
    )
    if exclude_round is not None:
        receipts = receipts.exclude(round=exclude_round)
    warnings, seen = [], set()
    for enrolment in receipts:
        other = enrolment.round.program
        if other.pk in seen:
            continue
        seen.add(other.pk)
        combo = rulebook.combination(program, other)
        warnings.append(
            AidWarning(
                program=other,
                round=enrolment.round,
                allowed=combo.allowed,
                reason=combo.reason,
                legal_basis=combo.legal_basis,
            )
        )
    return warnings


def enrolment_conflicts(enrolment: Enrolment, *, rulebook: RuleBook | None = None) -> list[dict]:
    """Conflicts shown before approval: an excluded program, a possible duplicate person, a bad NIK."""
    rnd = enrolment.round
    conflicts = []
    for warning in aid_warnings(
        program=rnd.program,
        period_start=rnd.period_start,
        period_end=rnd.period_end,
        resident=enrolment.resident,
        family=enrolment.family,
        exclude_round=rnd,
        rulebook=rulebook,
    ):
        if not warning.allowed:
            conflicts.append({"kind": "exclusivity", **warning.as_message})
    people = (
        [enrolment.resident]
        if enrolment.resident_id
        else list(Resident.objects.filter(family=enrolment.family_id))
    )
    for person in people:
        if not person.nik:
            conflicts.append({"kind": "nik", **message(N_("%(name)s: NIK kosong."), name=person.name)})
        elif person.data_warnings:
            conflicts.append(
                {"kind": "nik", **message(N_("%(name)s: %(w)s"), name=person.name, w=person.data_warnings)}
            )
    ids = [p.pk for p in people]
    pairs = (
        DuplicatePair.objects.filter(Q(resident_a_id__in=ids) | Q(resident_b_id__in=ids))
        .exclude(status=DuplicatePair.Status.REJECTED)
        .select_related("resident_a__desa", "resident_b__desa")
    )
    for pair in pairs:
        other = pair.resident_b if pair.resident_a_id in ids else pair.resident_a
        same_round = (
            Enrolment.objects.filter(round=rnd)
            .filter(Q(resident=other) | (Q(family_id=other.family_id) if other.family_id else Q(pk__in=[])))
            .exclude(pk=enrolment.pk)
            .exists()
        )
        wording = (
            N_(
                "Kemungkinan orang yang sama dengan %(name)s (%(desa)s), skor %(score).2f — %(status)s. "
                "Keduanya ada di daftar ini."
            )
            if same_round
            else N_("Kemungkinan orang yang sama dengan %(name)s (%(desa)s), skor %(score).2f — %(status)s.")
        )
        possible = message(
            wording,
            name=other.name,
            desa=other.desa.name,
            score=pair.score,
            status=message(DuplicatePair.STATUS_WORDING[pair.status]),
        )
        conflicts.append({"kind": "duplicate", **possible})
    if enrolment.resident_id is None and enrolment.family_id and not enrolment.family.kk:
        conflicts.append({"kind": "nik", **message(N_("Nomor KK kosong."))})
    return conflicts


# --- coverage -----------------------------------------------------------------------------------------


def _handed_over_family_ids(year: int | None) -> set[int]:
    """Families with a handover recorded in a covered round (directly or through a member), or given an
    ASN Peduli package (a package is only ever recorded when handed over)."""
    distributions = Distribution.objects.filter(enrolment__round__status__in=COVERED_STATUSES)
    packages = AsnPackage.objects.filter(status=AsnPackage.Status.HANDED_OVER, family__isnull=False)
    if year:
        distributions = distributions.filter(
            enrolment__round__period_start__year__lte=year, enrolment__round__period_end__year__gte=year
        )
        packages = packages.filter(handed_at__year=year)
    ids: set[int] = set(packages.values_list("family_id", flat=True).order_by())
    for family_id, member_family in distributions.values_list(
        "enrolment__family_id", "enrolment__resident__family_id"
    ).order_by():
        if family_id or member_family:
            ids.add(family_id or member_family)
    return ids


def _in_area(field: str, area: str) -> Q:
    """Records of desa inside ``area`` as one plain index range: a desa code is never a kecamatan's or
    kabupaten's own code, so the "or equal to" half of ``code_prefix_q`` is only needed for a desa. The
    OR made SQLite merge two index scans and sort (0.5 s for a kabupaten's residents instead of 0.1 s)."""
    if not area:
        return Q()
    if area.count(".") >= 3:
        return Q(**{field: area})
    return code_prefix_q(field, area + ".")


def _covered_family_ids(year: int | None) -> list[QuerySet]:
    """Subqueries of the ids of families receiving something: enrolled as a family, through a member, or
    given an ASN Peduli package. Each is uncorrelated, so the database builds it once per query instead of
    probing it once per family (three correlated EXISTS per family took 2.6 s for a kabupaten)."""
    rounds = Q(round__status__in=COVERED_STATUSES)
    if year:
        rounds &= Q(round__period_start__year__lte=year, round__period_end__year__gte=year)
    packages = Q(status=AsnPackage.Status.HANDED_OVER)
    if year:
        packages &= Q(handed_at__year=year)
    # No NULLs in the lists: "NOT IN (… NULL …)" is never true and would hide every uncovered family.
    return [
        Enrolment.objects.filter(rounds, family__isnull=False).values("family_id").order_by(),
        Enrolment.objects.filter(rounds, resident__family__isnull=False)
        .values("resident__family_id")
        .order_by(),
        AsnPackage.objects.filter(packages, family__isnull=False).values("family_id").order_by(),
    ]


def _covered_q(year: int | None) -> Q:
    condition = Q(pk__in=[])
    for ids in _covered_family_ids(year):
        condition |= Q(pk__in=ids)
    return condition


def _vulnerable_members() -> QuerySet:
    """Family ids of members with any vulnerability flag: served by the partial index
    ``aid_resident_vulnerable`` (same condition), not a scan of every resident."""
    return Resident.objects.filter(VULNERABLE_MEMBER_Q, family__isnull=False).values("family_id").order_by()


def _vulnerable_q() -> Q:
    return Q(pk__in=_vulnerable_members())


def _families_in_scope(actor, *, area: str = "") -> QuerySet[Family]:
    qs = scoped(Family.objects.all(), actor, "aid.view_coverage")
    if area:
        qs = qs.filter(_in_area("desa__code", area))
    return qs


@dataclass
class CoverageRow:
    code: str
    name: str
    families: int = 0
    covered: int = 0
    # Families whose aid was handed over (a distribution recorded), of those covered.
    handed_over: int = 0
    vulnerable_uncovered: int = 0
    people: int = 0
    by_program: dict[str, int] = field(default_factory=dict)

    @property
    def uncovered(self) -> int:
        return self.families - self.covered


def coverage_by_area(actor, *, area: str = "", year: int | None = None, level: int = 4) -> list[CoverageRow]:
    """Per desa (level 4) or kecamatan (3): families, those receiving something, the true number receiving
    nothing (each family counted once, whatever it receives), vulnerable families receiving nothing,
    people, and families per program."""
    require_permission(actor, "aid.view_coverage")
    width = 13 if level == 4 else 8
    # The ids of families receiving something and of vulnerable families, fetched once (registry-wide
    # ids, used only to test the in-scope families below), then one pass over the families in scope.
    # One SQL aggregate with these as IN-subqueries ran them twice and took 1.3 s for a kabupaten.
    covered: set[int] = set()
    for ids in _covered_family_ids(year):
        covered.update(ids.values_list(ids.query.values_select[0], flat=True))
    vulnerable = set(_vulnerable_members().values_list("family_id", flat=True))
    handed = _handed_over_family_ids(year)
    rows: dict[str, CoverageRow] = {}
    families = _families_in_scope(actor, area=area).values_list("pk", "desa_id").order_by()
    for pk, desa_id in families.iterator(chunk_size=20000):
        code = desa_id[:width]
        row = rows.get(code) or rows.setdefault(code, CoverageRow(code=code, name=""))
        row.families += 1
        if pk in covered:
            row.covered += 1
            if pk in handed:
                row.handed_over += 1
        elif pk in vulnerable:
            row.vulnerable_uncovered += 1
    people = scoped(Resident.objects.all(), actor, "aid.view_coverage")
    if area:
        people = people.filter(_in_area("desa__code", area))
    for item in people.values("desa_id").annotate(n=Count("pk")).order_by():
        rows.setdefault(
            item["desa_id"][:width], CoverageRow(code=item["desa_id"][:width], name="")
        ).people += item["n"]
    enrolments = scoped(
        Enrolment.objects.filter(round__status__in=COVERED_STATUSES), actor, "aid.view_coverage"
    )
    if area:
        enrolments = enrolments.filter(_in_area("desa__code", area))
    if year:
        enrolments = enrolments.filter(round__period_start__year__lte=year, round__period_end__year__gte=year)
    # Families per program, each once (enrolled as a family or through a member), counted by the database.
    per_program = (
        enrolments.values("desa_id", "round__program__code")
        .annotate(n=Count(Coalesce("family_id", "resident__family_id"), distinct=True))
        .values_list("desa_id", "round__program__code", "n")
        .order_by()
    )
    for desa_id, code, n in per_program:
        if n:
            row = rows.setdefault(desa_id[:width], CoverageRow(code=desa_id[:width], name=""))
            row.by_program[code] = row.by_program.get(code, 0) + n
    names = dict(Region.objects.filter(code__in=list(rows)).values_list("code", "name"))
    for code, row in rows.items():
        row.name = names.get(code, code)
    return [rows[k] for k in sorted(rows)]


def coverage_grid(rows: list[CoverageRow]) -> list[tuple[str, list]]:
    """Desa grouped by kecamatan, each ``(row, shade, covered_percent)``: the shade is the share of its
    families receiving nothing (a map that needs no tiles and no coordinates: the region list has none);
    the percentage (None without families) names the square for those who cannot see the colour."""
    names = dict(Region.objects.filter(code__in={r.code[:8] for r in rows}).values_list("code", "name"))
    grid: dict[str, list] = {}
    for row in rows:
        share = row.uncovered / row.families if row.families else 0
        percent = round(100 * row.covered / row.families) if row.families else None
        grid.setdefault(row.code[:8], []).append((row, min(4, int(share * 5)), percent))
    return [(names.get(code, code), items) for code, items in sorted(grid.items())]


def coverage_totals(rows: list[CoverageRow]) -> CoverageRow:
    total = CoverageRow(code="", name=_("Jumlah"))
    for row in rows:
        total.families += row.families
        total.covered += row.covered
        total.handed_over += row.handed_over
        total.vulnerable_uncovered += row.vulnerable_uncovered
        total.people += row.people
        for code, n in row.by_program.items():
            total.by_program[code] = total.by_program.get(code, 0) + n
    return total


def families_receiving_nothing(
    actor, *, area: str = "", year: int | None = None, vulnerable_only: bool = False
) -> QuerySet[Family]:
    """The true list of families receiving nothing (the target list of ASN Peduli and the village)."""
    require_permission(actor, "aid.view_coverage")
    vulnerable = _vulnerable_q()
    qs = _families_in_scope(actor, area=area).exclude(_covered_q(year))
    if vulnerable_only:
        qs = qs.filter(vulnerable)
    return (
        qs.annotate(vulnerable=ExpressionWrapper(vulnerable, output_field=BooleanField()))
        .select_related("desa", "head")
        .order_by("desa_id", "id")
    )


@dataclass
class DoubleRecipient:
    family: Family
    first: Enrolment
    second: Enrolment
    reason: dict  # stored message (core.stored_text)

    @property
    def pair(self) -> tuple[Enrolment, Enrolment]:
        return self.first, self.second


def double_recipients(
    actor, *, area: str = "", year: int | None = None, limit: int = 500
) -> list[DoubleRecipient]:
    """Families receiving two programs together that the rules in force at the time forbid.

    Reads plain tuples for every enrolment in scope and loads model instances only for the pairs found:
    a kabupaten has tens of thousands of enrolments and the coverage page shows this list."""
    require_permission(actor, "aid.view_coverage")
    # The lists the coverage counts (legalised): a list still waiting for legalisation shows its conflicts
    # on its own page.
    enrolments = scoped(
        Enrolment.objects.filter(round__status__in=COVERED_STATUSES), actor, "aid.view_coverage"
    )
    if area:
        enrolments = enrolments.filter(_in_area("desa__code", area))
    if year:
        enrolments = enrolments.filter(round__period_start__year__lte=year, round__period_end__year__gte=year)
    by_family: dict[int, list[tuple]] = defaultdict(list)
    for pk, family_id, member_family, program_id, start, end in enrolments.values_list(
        "pk",
        "family_id",
        "resident__family_id",
        "round__program_id",
        "round__period_start",
        "round__period_end",
    ).order_by():
        key = family_id or member_family
        if key:
            by_family[key].append((pk, program_id, start, end))
    programs = {p.pk: p for p in Program.objects.all()}
    books: dict[date, RuleBook] = {}
    pairs: list[tuple[int, int, dict]] = []
    for items in by_family.values():
        if len(items) < 2:
            continue
        for i, (first, program_a, start_a, end_a) in enumerate(items):
            for second, program_b, start_b, end_b in items[i + 1 :]:
                if program_a == program_b or start_a > end_b or start_b > end_a:
                    continue
                on = max(start_a, start_b)
                book = books.setdefault(on, RuleBook(on))
                combo = book.combination(programs[program_a], programs[program_b])
                if not combo.allowed:
                    pairs.append((first, second, combo.reason))
                    if len(pairs) >= limit:
                        break
            if len(pairs) >= limit:
                break
        if len(pairs) >= limit:
            break
    loaded = Enrolment.objects.select_related("round__program", "family", "resident__family").in_bulk(
        {pk for first, second, _reason in pairs for pk in (first, second)}
    )
    found = []
    for first, second, reason in pairs:
        a, b = loaded[first], loaded[second]
        family = a.family or a.resident.family
        found.append(DoubleRecipient(family=family, first=a, second=b, reason=reason))
    return found


# --- duplicates ---------------------------------------------------------------------------------------


def duplicate_pairs_visible(actor, *, status: str = "") -> QuerySet[DuplicatePair]:
    qs = scoped(
        DuplicatePair.objects.select_related("resident_a__desa", "resident_b__desa"),
        actor,
        "aid.manage_resident",
    )
    return qs.filter(status=status) if status else qs


# The tab the duplicate list opens on when none is asked for: the queue, else the first with pairs.
DUPLICATE_TAB_ORDER = (
    DuplicatePair.Status.QUEUED,
    DuplicatePair.Status.FLAGGED,
    DuplicatePair.Status.CONFIRMED,
    DuplicatePair.Status.REJECTED,
)


def duplicate_pair_counts(actor) -> dict[str, int]:
    """How many pairs the actor sees per status (every status present, zero when none)."""
    counts = dict.fromkeys(DuplicatePair.Status.values, 0)
    rows = duplicate_pairs_visible(actor).order_by().values("status").annotate(n=Count("pk"))
    for row in rows:
        counts[row["status"]] = row["n"]
    return counts


def duplicate_default_tab(counts: dict[str, int]) -> str:
    for status in DUPLICATE_TAB_ORDER:
        if counts.get(status):
            return status
    return DuplicatePair.Status.QUEUED


def nik_difference(nik_a: str, nik_b: str) -> list[int] | None:
    """The 1-based positions where two NIKs differ (both present and of equal length), else None. The
    positions tell a checker where a typing slip is without showing any digit."""
    if not nik_a or not nik_b or len(nik_a) != len(nik_b):
        return None
    return [i for i, (a, b) in enumerate(zip(nik_a, nik_b, strict=True), start=1) if a != b]


def duplicate_pair_get(actor, pk) -> DuplicatePair:
    pair = get_in_scope_or_404(
        DuplicatePair.objects.select_related("resident_a", "resident_b"), actor, "aid.manage_resident", pk=pk
    )
    # Both records must be in scope: a desa operator does not see another desa's resident through a pair.
    get_in_scope_or_404(Resident.objects.all(), actor, "aid.manage_resident", pk=pair.resident_b_id)
    return pair


# --- public lookup ------------------------------------------------------------------------------------


def public_lookup(*, nik: str, name: str) -> Resident | None:
    """The resident with exactly this NIK and this name (normalised), or None: no partial answers."""
    key = normalise_name(name)
    if not key:
        return None
    for resident in Resident.objects.filter(nik_hash=keyed_hash(normalize_digits(nik))):
        if resident.name_key == key:
            return resident
    return None


# --- ASN Peduli ---------------------------------------------------------------------------------------


@dataclass
class AsnUnitTotal:
    """ASN Peduli in one unit (or the kabupaten): aggregates only, no donor's or recipient's name."""

    name: str
    donors: int = 0
    collected: int = 0
    packages: int = 0
    packages_value: int = 0


def asn_totals() -> tuple[list[AsnUnitTotal], AsnUnitTotal]:
    """Per unit and for the kabupaten: employees who gave, money collected, packages handed over and
    their value (public: seed 002 asks officials to share what ASN Peduli does)."""
    rows: dict[int, AsnUnitTotal] = {}
    for unit_id, name, donors, collected in (
        AsnDonation.objects.values("unit_id", "unit__name")
        .annotate(donors=Count("employee", distinct=True), collected=Sum("amount"))
        .values_list("unit_id", "unit__name", "donors", "collected")
        .order_by()
    ):
        row = rows.setdefault(unit_id, AsnUnitTotal(name=name))
        row.donors, row.collected = donors, int(collected or 0)
    for unit_id, name, packages, value in (
        AsnPackage.objects.filter(status=AsnPackage.Status.HANDED_OVER)
        .values("unit_id", "unit__name")
        .annotate(packages=Count("pk"), value=Sum("value"))
        .values_list("unit_id", "unit__name", "packages", "value")
        .order_by()
    ):
        row = rows.setdefault(unit_id, AsnUnitTotal(name=name))
        row.packages, row.packages_value = packages, int(value or 0)
    units = sorted(rows.values(), key=lambda r: (-r.collected, -r.packages_value, r.name))
    total = AsnUnitTotal(
        name=_("Kabupaten"),
        # An employee gives through one unit at a time; a move mid-year would count twice (acceptable).
        donors=sum(r.donors for r in units),
        collected=sum(r.collected for r in units),
        packages=sum(r.packages for r in units),
        packages_value=sum(r.packages_value for r in units),
    )
    return units, total


def evidence_get(actor, pk) -> Evidence:
    """A handover's photo or video, or 404: for the officers of its desa's area and those who legalise the
    area's lists. It shows the family, so an ASN Peduli collector (who sees a package, not its family) does
    not get it."""
    evidence = _scoped_any(Evidence.objects.all(), actor).filter(pk=pk).first()
    if evidence is None:
        raise Http404
    return evidence


def evidence_public(token, pk) -> Evidence:
    """A photo or video of a handed-over package whose family agreed to its publication, or 404: the public
    gallery and the share link show only these."""
    return get_object_or_404(
        Evidence,
        pk=pk,
        package__share_token=token,
        package__status=AsnPackage.Status.HANDED_OVER,
        package__consent_public=True,
    )


def packages_public() -> QuerySet[AsnPackage]:
    return AsnPackage.objects.filter(status=AsnPackage.Status.HANDED_OVER).select_related("unit", "desa")


# Suggested monthly pledge by kelas jabatan (optional tiers by rank; an employee may give more or less).
ASN_PLEDGE_TIERS = [(1, 5, 25_000), (6, 8, 50_000), (9, 11, 100_000), (12, 14, 200_000), (15, 17, 300_000)]


def asn_pledge_tier(employee) -> Decimal | None:
    """The suggested monthly cash pledge for the employee's kelas jabatan; None without a position."""
    position = getattr(employee, "position", None)
    if position is None:
        return None
    for low, high, amount in ASN_PLEDGE_TIERS:
        if low <= position.kelas_jabatan <= high:
            return Decimal(amount)
    return None


def asn_own_pledges(actor) -> QuerySet[AsnPledge]:
    """The actor's own pledges with what they gave so far."""
    return (
        scoped(AsnPledge.objects.select_related("unit"), actor, "aid.asn_pledge")
        .annotate(given=Coalesce(Sum("donations__amount"), Decimal(0)), months=Count("donations"))
        .order_by("-start_month", "id")
    )


def asn_pledges_collected(actor, *, month: date | None) -> QuerySet[AsnPledge]:
    """Pledges of the units where the actor collects, running in ``month`` and marked paid or not for it
    (``month=None``: every pledge, for choosing one)."""
    require_permission(actor, "aid.asn_collect")
    qs = scoped(AsnPledge.objects.select_related("employee", "unit"), actor, "aid.asn_collect")
    if month is not None:
        paid = AsnDonation.objects.filter(pledge=OuterRef("pk"), month=month)
        qs = (
            qs.filter(start_month__lte=month)
            .filter(Q(end_month__isnull=True) | Q(end_month__gte=month))
            .annotate(paid=Exists(paid))
        )
    return qs.order_by("unit__name", "employee__name", "id")


def asn_pledge_get(actor, pk) -> AsnPledge:
    return get_in_scope_or_404(
        AsnPledge.objects.select_related("employee", "unit"), actor, "aid.asn_collect", pk=pk
    )


def asn_donations_collected(actor) -> QuerySet[AsnDonation]:
    require_permission(actor, "aid.asn_collect")
    return scoped(AsnDonation.objects.select_related("employee", "unit"), actor, "aid.asn_collect").order_by(
        "-month", "-id"
    )


def asn_collector_units(actor):
    """The units where the actor collects ASN Peduli."""
    from layan.org.selectors import units_visible_to

    return units_visible_to(actor, "aid.asn_collect").order_by("name")


def asn_collectable_employees_matching(actor, text: str) -> list:
    """At most two active employees of the units where the actor collects ASN Peduli whose NIP (spaces
    ignored) or full name (case and spacing ignored) is ``text``: one is the match, two are ambiguous."""
    from layan.org.models import Employee

    name = " ".join(text.split())
    nip = "".join(text.split())
    return list(
        Employee.objects.filter(unit__in=asn_collector_units(actor), employment_end__isnull=True)
        .filter(Q(nip=nip) | Q(name__iexact=name))
        .select_related("unit")[:2]
    )


@dataclass
class AsnBalance:
    collected: int = 0  # cash recorded as given
    committed: int = 0  # value of the packages assembled from it

    @property
    def available(self) -> int:
        return self.collected - self.committed


def asn_unit_balance(unit) -> AsnBalance:
    return asn_unit_balances([unit])[0][1]


def asn_unit_balances(units) -> list[tuple[object, AsnBalance]]:
    """Each unit with its balance, in two grouped queries whatever the number of units."""
    units = list(units)
    ids = [unit.pk for unit in units]

    def per_unit(model, field: str) -> dict[int, int]:
        rows = model.objects.filter(unit_id__in=ids).order_by().values("unit_id").annotate(n=Sum(field))
        return {row["unit_id"]: int(row["n"] or 0) for row in rows}

    collected, committed = per_unit(AsnDonation, "amount"), per_unit(AsnPackage, "value")
    return [
        (unit, AsnBalance(collected=collected.get(unit.pk, 0), committed=committed.get(unit.pk, 0)))
        for unit in units
    ]


def asn_packages_visible(actor) -> QuerySet[AsnPackage]:
    """Packages of the units where the actor collects; packages not yet aimed at anyone for whoever hands
    aid over (they hold no personal data); and packages aimed at or handed to families the actor sees."""
    condition = Q(pk__in=[])
    collect = scope_q(AsnPackage, actor, "aid.asn_collect")
    if collect is not None:
        condition |= collect
    if has_permission(actor, "aid.distribute"):
        condition |= Q(status=AsnPackage.Status.ASSEMBLED, family__isnull=True)
    if scope_q(Family, actor, VIEW) is not None:
        condition |= Q(family__in=scoped(Family.objects.all(), actor, VIEW).values("pk"))
    return AsnPackage.objects.filter(condition).select_related("unit", "family__head", "desa")


def asn_package_get(actor, pk) -> AsnPackage:
    from django.http import Http404

    try:
        return asn_packages_visible(actor).get(pk=pk)
    except (AsnPackage.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def asn_packages_to_hand_over(actor) -> list[AsnPackage]:
    """The packages the actor can take to their families: aimed at a family the actor sees, not yet
    handed over, and those handed over in the last week (marked done on the field page)."""
    week_ago = timezone.now() - timedelta(days=7)
    packages = list(
        asn_packages_visible(actor)
        .filter(family__isnull=False)
        .filter(Q(status=AsnPackage.Status.ASSEMBLED) | Q(handed_at__gte=week_ago))
        .select_related("family__head", "desa", "unit")
        .order_by("desa_id", "pk")
    )
    visible = visible_family_ids(actor, [p.family_id for p in packages])
    return [p for p in packages if p.family_id in visible]


def visible_family_ids(actor, ids) -> set[int]:
    """Which of these families the actor may see (a collector sees a package's desa, not its family)."""
    return set(scoped(Family.objects.filter(pk__in=ids), actor, VIEW).values_list("pk", flat=True))


def family_aid_received(family: Family, *, year: int) -> list[str]:
    """What the family receives in ``year`` on a legalised list (as a family or through a member) or as an
    ASN Peduli package handed over: empty for a family receiving nothing."""
    rounds = Q(
        round__status__in=COVERED_STATUSES,
        round__period_start__year__lte=year,
        round__period_end__year__gte=year,
    )
    names = set(
        Enrolment.objects.filter(rounds)
        .filter(Q(family=family) | Q(resident__family=family))
        .values_list("round__program__name", flat=True)
    )
    if AsnPackage.objects.filter(
        family=family, status=AsnPackage.Status.HANDED_OVER, handed_at__year=year
    ).exists():
        names.add(str(_("ASN Peduli")))
    return sorted(names)


def asn_target_families(actor, *, year: int, area: str = "") -> QuerySet[Family]:
    """Vulnerable families receiving nothing in ``year`` (the coverage list), not aimed at by a package."""
    aimed = AsnPackage.objects.filter(status=AsnPackage.Status.ASSEMBLED, family__isnull=False).values(
        "family_id"
    )
    return families_receiving_nothing(actor, area=area, year=year, vulnerable_only=True).exclude(pk__in=aimed)


def family_is_vulnerable(family: Family) -> bool:
    return Resident.objects.filter(VULNERABLE_MEMBER_Q, family=family).exists()


def round_recipients(actor, rnd: Round) -> QuerySet[Enrolment]:
    """The recipients of a round the actor hands aid to (a desa officer: their desa's part of the list)."""
    return scoped(
        rnd.enrolments.select_related("resident", "family__head", "desa", "distribution"),
        actor,
        "aid.distribute",
    ).order_by("desa_id", "id")


@dataclass
class Legaliser:
    title: str
    name: str
    place: str


def round_legaliser(rnd: Round) -> Legaliser:
    """Who legalised the list, as the sign-off names them: "Camat Toili", "Bupati Banggai"…"""
    from layan.core.roles import Role
    from layan.core.scopes import active_assignments

    user = rnd.approved_by
    name = (user.full_name or user.username) if user else ""
    titles = {
        Role.CAMAT: _("Camat %(name)s"),
        Role.KEPALA_DESA: _("Kepala Desa %(name)s"),
        Role.LURAH: _("Lurah %(name)s"),
        Role.PIMPINAN: _("Bupati %(name)s"),
    }
    on = rnd.approved_at.date() if rnd.approved_at else None
    for assignment in active_assignments(user, on) if user else []:
        if assignment.role in titles and assignment.scope_region:
            if not rnd.area_id.startswith(assignment.scope_region):
                continue
            region = Region.objects.filter(code=assignment.scope_region).first()
            place = region.name.removeprefix("Kabupaten ").removeprefix("Kota ") if region else ""
            return Legaliser(title=titles[assignment.role] % {"name": place}, name=name, place=place)
    return Legaliser(title=str(_("Yang mengesahkan")), name=name, place="")


def enrolment_for_distribution(actor, pk) -> Enrolment:
    """A recipient the actor may hand aid to (a list in their area), with what the handover shows; 404
    otherwise. The one lookup behind the handover page, its API and ``distribution_record``."""
    return get_in_scope_or_404(
        Enrolment.objects.select_related("round__program", "resident", "family__head"),
        actor,
        "aid.distribute",
        pk=pk,
    )


def round_pdf_rows(rnd: Round) -> QuerySet[Enrolment]:
    """The frozen list in print order: desa, then recipient."""
    return rnd.enrolments.select_related("resident", "family__head", "desa").order_by("desa_id", "id")


def duplicate_source_pairs():
    """(id_sumber_1, id_sumber_2, score, status) for every pair of source ids Layan holds to be, or
    suspects to be, one person: pairs flagged, queued or confirmed, and ids attached to one person."""
    sources: dict[int, list[str]] = defaultdict(list)
    for resident_id, source_id in (
        SourceRecord.objects.values_list("resident_id", "source_id")
        .order_by("resident_id", "source_id")
        .iterator(chunk_size=10000)
    ):
        sources[resident_id].append(source_id)
    for ids in sources.values():
        for i, first in enumerate(ids):
            for second in ids[i + 1 :]:
                yield (first, second, "1.0000", "attached")
    pairs = (
        DuplicatePair.objects.exclude(status=DuplicatePair.Status.REJECTED)
        .values_list("resident_a_id", "resident_b_id", "score", "status")
        .order_by("resident_a_id", "resident_b_id")
    )
    for a, b, score, status in pairs.iterator(chunk_size=10000):
        for first in sources.get(a, []):
            for second in sources.get(b, []):
                yield (first, second, f"{score:.4f}", status)
