"""The menu by role: each entry shows when the user holds its permission (or always, with none)."""

from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from layan.core.scopes import has_permission


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    permission: str | None = None
    icon: str = ""
    public: bool = False  # shown to citizens without an account too


# Modules append their entries here.
NAV_ITEMS: list[NavItem] = [
    NavItem(_("Beranda"), "core:home"),
    NavItem(_("Pegawai"), "org:employee_list", "org.view_employee"),
    NavItem(_("Unit kerja"), "org:unit_list", "org.view_unit"),
    NavItem(_("Presensi"), "attendance:checkin", "attendance.view"),
    NavItem(_("Presensi saya"), "attendance:my_attendance", "attendance.view"),
    NavItem(_("Presensi tim"), "attendance:board", "attendance.review"),
    NavItem(_("Rekap presensi"), "attendance:recap", "attendance.view"),
    NavItem(_("Wilayah"), "regions:region_list"),
    NavItem(_("Kalender kerja"), "core:calendar", "core.manage_calendar"),
    NavItem(_("Peran & akses"), "accounts:role_list", "core.manage_roles"),
    NavItem(_("Jejak audit"), "core:audit_list", "core.view_audit"),
    NavItem(_("Kotak masuk pengaduan"), "complaints:inbox", "complaints.handle"),
    NavItem(_("Laporan terlambat"), "complaints:overdue", "complaints.handle"),
    NavItem(_("Pesan masuk"), "complaints:message_list", "complaints.verify"),
    NavItem(_("Kategori pengaduan"), "complaints:category_list", "complaints.manage"),
    NavItem(_("Pengaduan (pimpinan)"), "complaints:leaders", "complaints.view_stats"),
    NavItem(_("Penduduk & bansos"), "aid:resident_list", "aid.view_resident"),
    NavItem(_("Cakupan bansos"), "aid:coverage", "aid.view_coverage"),
    NavItem(_("Akun saya"), "accounts:account"),
    NavItem(_("Lapor"), "complaints:submit", public=True),
    NavItem(_("Lacak laporan"), "complaints:track", public=True),
    NavItem(_("Laporan warga"), "complaints:public_list", public=True),
    NavItem(_("Cek bansos"), "aid:public_lookup", public=True),
    NavItem(_("Galeri ASN Peduli"), "aid:gallery", public=True),
]


def navigation_for(user) -> list[dict]:
    """The menu for ``user``; citizens without an account (or None) get the public entries only."""
    signed_in = user is not None and user.is_authenticated
    items = []
    for item in NAV_ITEMS:
        if not signed_in and not item.public:
            continue
        if signed_in and item.public:
            continue  # staff reach the citizens' pages from the public site, not their work menu
        if item.permission and not has_permission(user, item.permission):
            continue
        try:
            url = reverse(item.url_name)
        except NoReverseMatch:
            continue
        items.append({"label": item.label, "url": url, "icon": item.icon})
    return items
