"""The Kemendagri region tree. The code is the key: ``72.01.05.2001`` is inside ``72.01.05`` is inside
``72.01`` is inside ``72``, so "everything under X" is one prefix query (layan.core.scopes.code_prefix_q)."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from layan.core.identifiers import validate_region_code


class Region(models.Model):
    class Level(models.IntegerChoices):
        PROVINSI = 1, _("Provinsi")
        KABUPATEN_KOTA = 2, _("Kabupaten/Kota")
        KECAMATAN = 3, _("Kecamatan")
        DESA_KELURAHAN = 4, _("Desa/Kelurahan")

    code = models.CharField(_("kode"), max_length=13, primary_key=True, validators=[validate_region_code])
    name = models.CharField(_("nama"), max_length=100, db_index=True)
    level = models.PositiveSmallIntegerField(_("tingkat"), choices=Level.choices, db_index=True)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    population = models.PositiveIntegerField(_("jumlah penduduk"), null=True, blank=True)
    population_male = models.PositiveIntegerField(_("penduduk laki-laki"), null=True, blank=True)
    population_female = models.PositiveIntegerField(_("penduduk perempuan"), null=True, blank=True)
    # The year the population figures describe: a rate per 100,000 must say which count it divides by.
    population_year = models.PositiveSmallIntegerField(_("tahun data penduduk"), null=True, blank=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("wilayah")
        verbose_name_plural = pgettext_lazy("plural", "wilayah")

    def __str__(self) -> str:
        return f"{self.kind_label} {self.name}" if self.level in (3, 4) else self.name

    @property
    def kind_label(self) -> str:
        """Kabupaten (01–69) or kota (71–99); kelurahan (1xxx) or desa (2xxx)."""
        if self.level == self.Level.KABUPATEN_KOTA:
            return _("Kota") if int(self.code[3:5]) >= 71 else _("Kabupaten")
        if self.level == self.Level.DESA_KELURAHAN:
            return _("Kelurahan") if self.code[9] == "1" else _("Desa")
        return self.get_level_display()
