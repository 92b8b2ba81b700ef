"""Exclusivity between programs as dated data: may a recipient of one program also receive another?

Read-only; used at entry (the warning "already receives X; allowed / not allowed"), before approval
(conflicts) and in the coverage report (double recipients against the rules).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Q
from django.utils.translation import gettext_noop as N_

from layan.aid.models import ExclusivityRule, Program
from layan.core.stored_text import message


@dataclass(frozen=True)
class Combination:
    allowed: bool
    explicit: bool  # a rule says so (otherwise: no rule forbids it)
    reason: dict  # a stored message (core.stored_text): it goes into a round's conflicts
    legal_basis: str = ""


def _rules_in_force(on: date) -> list[ExclusivityRule]:
    return list(
        ExclusivityRule.objects.filter(
            Q(valid_to__isnull=True) | Q(valid_to__gte=on), valid_from__lte=on
        ).select_related("program", "other_program")
    )


class RuleBook:
    """The rules in force on one day, loaded once and asked many times (a list check, a report)."""

    def __init__(self, on: date):
        self.on = on
        self.rules = _rules_in_force(on)

    def combination(self, program: Program, other: Program) -> Combination:
        if program.pk == other.pk:
            return Combination(allowed=True, explicit=False, reason=message(""))
        pair = {program.pk, other.pk}
        for rule in self.rules:
            if (
                rule.kind == ExclusivityRule.Kind.EXCLUDES
                and {rule.program_id, rule.other_program_id} == pair
            ):
                return Combination(
                    allowed=False,
                    explicit=True,
                    legal_basis=rule.legal_basis,
                    reason=message(
                        N_("%(a)s tidak boleh bersamaan dengan %(b)s"),
                        a=rule.program.name,
                        b=rule.other_program.name,
                    ),
                )
        for rule in self.rules:
            if rule.kind != ExclusivityRule.Kind.ONE_ONLY or rule.program_id not in pair:
                continue
            # ASN Peduli is the civil servants' own giving, not a government program: not "another aid".
            if Program.Source.ASN in (program.source, other.source):
                continue
            return Combination(
                allowed=False,
                explicit=True,
                legal_basis=rule.legal_basis,
                reason=message(
                    N_("Penerima %(a)s hanya boleh menerima satu jenis bantuan"), a=rule.program.name
                ),
            )
        for rule in self.rules:
            if rule.kind == ExclusivityRule.Kind.ALLOWS and {rule.program_id, rule.other_program_id} == pair:
                return Combination(
                    allowed=True,
                    explicit=True,
                    legal_basis=rule.legal_basis,
                    reason=message(
                        N_("%(a)s boleh bersamaan dengan %(b)s"),
                        a=rule.program.name,
                        b=rule.other_program.name,
                    ),
                )
        return Combination(
            allowed=True,
            explicit=False,
            reason=message(
                N_("Tidak ada aturan yang melarang %(a)s bersamaan dengan %(b)s"),
                a=program.name,
                b=other.name,
            ),
        )


def combination(program: Program, other: Program, on: date) -> Combination:
    return RuleBook(on).combination(program, other)
