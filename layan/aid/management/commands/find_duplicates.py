"""``manage.py find_duplicates``: exact NIK/KK and probabilistic (Splink/DuckDB) duplicate finding."""

from django.core.management.base import BaseCommand

from layan.aid.linkage import HIGH_THRESHOLD, LOW_THRESHOLD, find_duplicates


class Command(BaseCommand):
    help = "Find residents registered twice; flag likely pairs and queue uncertain ones for a person."

    def add_arguments(self, parser):
        parser.add_argument("--high", type=float, default=HIGH_THRESHOLD)
        parser.add_argument("--low", type=float, default=LOW_THRESHOLD)

    def handle(self, *args, high, low, **options):
        if not 0 < low <= high <= 1:
            self.stderr.write("thresholds must satisfy 0 < low <= high <= 1")
            return
        result = find_duplicates(high=high, low=low)
        c = result.counts
        self.stdout.write(
            f"records {result.records}, pairs scored above {low} {len(result.scored)}, flagged {c.flagged}, "
            f"queued {c.queued}, decisions kept {c.kept_decisions}, "
            f"time {result.seconds:.1f} s, peak memory {result.peak_memory_mb:.0f} MB"
        )
