"""A small region tree built through the import service (the way real data arrives).

It holds the pair that a careless prefix query confuses: kecamatan 72.01.01 and 72.01.10."""

from __future__ import annotations

import pytest

from layan.regions import files
from layan.regions.models import Region
from layan.regions.services import regions_import

SAMPLE_CSV = """kode,nama
72,Sulawesi Tengah
72.01,Kabupaten Banggai
72.71,Kota Palu
72.01.01,Toili
72.01.10,Nuhon
72.01.01.2001,Singkoyo
72.01.01.1002,Sentral Toili
72.01.10.2001,Bonebobakal
72.71.01,Palu Barat
72.71.01.1001,Lere
"""

POPULATION_CSV = """kode,nama,pria,wanita,total
0,INDONESIA,143863392,141110251,284973643
72,Sulawesi Tengah,1652891,1566603,3219494
72.01,Kabupaten Banggai,191889,185915,377804
"""


def csv_rows(text: str) -> list[list[str]]:
    return files.read_region_rows(text.encode())


def population_rows(text: str) -> list[list[str]]:
    return files.read_population_rows(text.encode())


@pytest.fixture
def tree(db) -> dict[str, Region]:
    regions_import(
        actor=None, rows=csv_rows(SAMPLE_CSV), population_rows=population_rows(POPULATION_CSV),
        population_year=2025,
    )  # fmt: skip
    return {region.code: region for region in Region.objects.all()}
