"""Probabilistic record linkage of the resident registry: Splink on DuckDB, to find the same person
registered twice with a mistyped, swapped or missing NIK.

The model is fixed (m/u probabilities measured on the benchmark's generated kabupaten, not trained per
run) so that the same registry always gives the same pairs and the run stays within minutes at 1M
records. Lessons applied (ANCHORS.md "Record linkage"):
- a NIK counts as a typo of another only when the serial digits agree *and* one of the two disagrees
  with its own record (the NIK embeds birth date and sex, which the record's own fields already compare:
  two consistent NIKs a digit apart are neighbours born the same day, not one person);
- desa, address and KK are one combined household comparison (separately they triple-count a household
  and match relatives);
- blocking is narrow (desa + birth year + name initial, not desa + birth year alone);
- Levenshtein, not Damerau-Levenshtein (5.5x slower in DuckDB); a day/month swap has its own level.
"""

from __future__ import annotations

import logging
import resource
import time
from dataclasses import asdict, dataclass, field

from django.conf import settings

from layan.aid.models import Resident
from layan.aid.names import name_initial, normalise_address

logger = logging.getLogger(__name__)

# Pairs at or above HIGH are flagged as duplicates; between LOW and HIGH they wait for a person.
HIGH_THRESHOLD = getattr(settings, "LAYAN_AID_LINK_HIGH", 0.95)
LOW_THRESHOLD = getattr(settings, "LAYAN_AID_LINK_LOW", 0.5)
# Roughly 10% duplicates among N records gives about N/10 true pairs among N²/2: for a kabupaten of
# 300,000 people that is ~7e-7. Kept fixed: the prior sets where the thresholds fall.
PRIOR = 1e-6

_COLUMNS = [
    "unique_id",
    "nik",
    "nik_serial",
    "nik_ok",
    "name_key",
    "name_core",
    "initial",
    "birth_date",
    "birth_swap",
    "birth_year",
    "sex",
    "desa",
    "address",
    "kk",
    "is_new",
]


def _level(sql: str, m: float, u: float, label: str) -> dict:
    return {"sql_condition": sql, "label_for_charts": label, "m_probability": m, "u_probability": u}


def _null(sql: str) -> dict:
    return {"sql_condition": sql, "label_for_charts": "null", "is_null_level": True}


BLOCKING_RULES = [
    "l.nik = r.nik",
    # A KK has a handful of members: the whole card is a small block (catches a typo in the first letter).
    "l.kk = r.kk",
    "l.desa = r.desa AND l.birth_date = r.birth_date",
    "l.desa = r.desa AND l.birth_year = r.birth_year AND l.initial = r.initial",
    "l.name_key = r.name_key AND l.birth_year = r.birth_year",
    "l.birth_date = r.birth_date AND l.initial = r.initial",
    "l.birth_swap = r.birth_date AND l.desa = r.desa",
]


def model_settings(*, incremental: bool, prior: float = PRIOR) -> dict:
    new_only = " AND (l.is_new OR r.is_new)" if incremental else ""
    return {
        "link_type": "dedupe_only",
        "unique_id_column_name": "unique_id",
        "probability_two_random_records_match": prior,
        "blocking_rules_to_generate_predictions": [
            {"blocking_rule": rule + new_only, "sql_dialect": "duckdb"} for rule in BLOCKING_RULES
        ],
        "retain_matching_columns": False,
        "retain_intermediate_calculation_columns": False,
        "additional_columns_to_retain": [],
        "comparisons": COMPARISONS,
    }


COMPARISONS = [
    {
        "output_column_name": "nik",
        "comparison_levels": [
            _null("nik_l IS NULL OR nik_r IS NULL"),
            _level("nik_l = nik_r AND nik_ok_l AND nik_ok_r", 0.60, 1e-7, "exact"),
            # The same NIK where one side disagrees with its own record: often a typo that hit another
            # real person's NIK, so weaker than an exact match of two consistent NIKs.
            _level("nik_l = nik_r", 0.05, 1e-7, "exact, one inconsistent"),
            # Only a typo when the serial digits agree and one NIK disagrees with its record (ANCHORS.md).
            _level(
                "nik_serial_l = nik_serial_r AND NOT (nik_ok_l AND nik_ok_r)"
                " AND levenshtein(nik_l, nik_r) <= 2",
                0.30,
                1e-6,
                "typo",
            ),
            _level("ELSE", 0.05, 0.9999989, "different"),
        ],
    },
    {
        "output_column_name": "name",
        "comparison_levels": [
            _null("name_key_l IS NULL OR name_key_r IS NULL"),
            _level("name_key_l = name_key_r", 0.70, 0.001, "exact"),
            _level("jaro_winkler_similarity(name_key_l, name_key_r) >= 0.94", 0.14, 0.002, "jw94"),
            _level(
                "name_core_l = name_core_r OR jaro_winkler_similarity(name_core_l, name_core_r) >= 0.9",
                0.08,
                0.006,
                "core",
            ),
            _level("jaro_winkler_similarity(name_key_l, name_key_r) >= 0.84", 0.05, 0.02, "jw84"),
            _level("ELSE", 0.03, 0.971, "different"),
        ],
    },
    {
        "output_column_name": "birth_date",
        "comparison_levels": [
            _null("birth_date_l IS NULL OR birth_date_r IS NULL"),
            _level("birth_date_l = birth_date_r", 0.86, 6e-5, "exact"),
            _level("birth_swap_l = birth_date_r", 0.06, 6e-5, "day/month swap"),
            _level("levenshtein(birth_date_l, birth_date_r) <= 1", 0.05, 0.003, "one digit"),
            _level("birth_year_l = birth_year_r", 0.01, 0.015, "same year"),
            _level("ELSE", 0.02, 0.98187, "different"),
        ],
    },
    {
        "output_column_name": "sex",
        "comparison_levels": [
            _null("sex_l IS NULL OR sex_r IS NULL"),
            _level("sex_l = sex_r", 0.97, 0.5, "same"),
            _level("ELSE", 0.03, 0.5, "different"),
        ],
    },
    {
        # One household comparison: KK, else desa with address, else desa alone.
        "output_column_name": "household",
        "comparison_levels": [
            _level("kk_l = kk_r", 0.55, 2e-5, "same KK"),
            _level(
                "desa_l = desa_r AND address_l <> ''"
                " AND jaro_winkler_similarity(address_l, address_r) >= 0.9",
                0.30,
                0.0008,
                "same address",
            ),
            _level("desa_l = desa_r", 0.12, 0.004, "same desa"),
            _level("ELSE", 0.03, 0.99518, "different"),
        ],
    },
]


def _swap(day_month: str) -> str | None:
    year, month, day = day_month.split("-")
    if int(day) > 12 or day == month:
        return None
    return f"{year}-{day}-{month}"


def _nik_consistent(nik: str, birth: str, sex: str, kecamatan: set[str]) -> bool:
    """Whether a NIK is well formed and says what the record says (kecamatan known, birth date
    ``YYYY-MM-DD``, sex: a woman's NIK day is her birth day + 40)."""
    if len(nik) != 16 or not nik.isdigit() or nik[12:] == "0000" or nik[:6] not in kecamatan:
        return False
    return nik[8:12] == birth[5:7] + birth[2:4] and int(nik[6:8]) == int(birth[8:10]) + (
        40 if sex == "P" else 0
    )


def registry_table(new_ids: set[int] | None = None, *, chunk_size: int = 50_000):
    """The registry as an Arrow table of linkage columns (NIK decrypted in memory only).

    Read with the ORM's SQL but the driver's values (NIK ciphertext decrypted a batch at a time with
    ``decrypt_many``, dates as text on SQLite), a chunk at a time; a household's address and a name are
    normalised once. At a million residents this is most of the Python work of a run."""
    import pyarrow as pa
    from django.db import connection

    from layan.core.personal_data import decrypt_many
    from layan.regions.models import Region

    kecamatan = {
        code.replace(".", "") for code in Region.objects.filter(level=3).values_list("code", flat=True)
    }
    data = {name: [] for name in _COLUMNS}
    query = (
        Resident.objects.values_list(
            "pk", "nik", "name_key", "birth_date", "sex", "desa_id", "address", "rt", "rw", "family__kk_hash"
        )
        .order_by()
        .query
    )
    sql, params = query.sql_with_params()
    addresses: dict[tuple[str, str, str], str] = {}
    names: dict[str, tuple[str | None, str]] = {}
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        while rows := cursor.fetchmany(chunk_size):
            tokens = [row[1] for row in rows if row[1]]
            plain = iter(decrypt_many(tokens))
            niks = [next(plain) if row[1] else "" for row in rows]
            births = [b if isinstance(b := row[3], str) else b.isoformat() for row in rows]
            data["unique_id"].extend(row[0] for row in rows)
            data["nik"].extend(nik or None for nik in niks)
            data["nik_serial"].extend(nik[12:] if nik else None for nik in niks)
            data["nik_ok"].extend(
                _nik_consistent(nik, birth, row[4], kecamatan) if nik else None
                for nik, birth, row in zip(niks, births, rows, strict=True)
            )
            for row in rows:
                name_key = row[2]
                known = names.get(name_key)
                if known is None:
                    core = " ".join(w for w in name_key.split() if w != "muhammad") or name_key
                    known = names[name_key] = (core or None, name_initial(name_key))
                data["name_key"].append(name_key or None)
                data["name_core"].append(known[0])
                data["initial"].append(known[1])
            data["birth_date"].extend(births)
            data["birth_swap"].extend(_swap(birth) for birth in births)
            data["birth_year"].extend(int(birth[:4]) for birth in births)
            data["sex"].extend(row[4] for row in rows)
            data["desa"].extend(row[5] for row in rows)
            for row in rows:
                key = (row[6], row[7], row[8])
                address = addresses.get(key)
                if address is None:
                    address = addresses[key] = f"{normalise_address(row[6])} {row[7]}/{row[8]}".strip()
                data["address"].append(address)
            data["kk"].extend(row[9] or None for row in rows)
            data["is_new"].extend(new_ids is None or row[0] in new_ids for row in rows)
    return pa.table(data)


@dataclass
class LinkageResult:
    records: int = 0
    scored: list[tuple[int, int, float]] = field(default_factory=list)
    seconds: float = 0.0
    peak_memory_mb: float = 0.0
    counts: object = None

    def as_dict(self) -> dict:
        data = {
            "records": self.records,
            "pairs_above_low": len(self.scored),
            "seconds": round(self.seconds, 1),
            "peak_memory_mb": round(self.peak_memory_mb),
        }
        if self.counts is not None:
            data.update(asdict(self.counts))
        return data


def score_pairs(
    table, *, incremental: bool = False, low: float = LOW_THRESHOLD, threads: int | None = None
) -> list[tuple[int, int, float]]:
    """Scored pairs (id, id, match probability >= ``low``) of an Arrow table of linkage columns."""
    import duckdb
    from splink import DuckDBAPI, Linker

    if table.num_rows < 2:
        return []
    connection = duckdb.connect(":memory:")
    connection.execute(f"SET threads TO {int(threads or getattr(settings, 'LAYAN_AID_LINK_THREADS', 2))}")
    connection.execute("SET preserve_insertion_order = false")
    db_api = DuckDBAPI(connection=connection)
    frame = db_api.register(table, table_name="residents")
    # The household comparison has no null level on purpose (desa is never empty): silence that advice.
    logging.getLogger("splink").setLevel(logging.ERROR)
    linker = Linker(frame, model_settings(incremental=incremental), log_level=logging.ERROR)
    predictions = linker.inference.predict(threshold_match_probability=low, warning_mode="never")
    result = (
        predictions.as_duckdbpyrelation().select("unique_id_l, unique_id_r, match_probability").fetchall()
    )
    connection.close()
    return [(int(a), int(b), float(p)) for a, b, p in result]


def find_duplicates(
    *, actor=None, new_ids: set[int] | None = None, high: float = HIGH_THRESHOLD, low: float = LOW_THRESHOLD
) -> LinkageResult:
    """Run the linkage over the registry (or only the pairs touching ``new_ids``) and store the pairs.
    Pairs a person already decided keep their decision."""
    from layan.aid.services import duplicates_store

    started = time.perf_counter()
    table = registry_table(new_ids)
    scored = score_pairs(table, incremental=new_ids is not None, low=low)
    result = LinkageResult(records=table.num_rows, scored=scored)
    result.counts = duplicates_store(actor=actor, scored=scored, high=high, low=low)
    result.seconds = time.perf_counter() - started
    result.peak_memory_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return result
