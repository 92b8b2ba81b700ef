"""The menu by role: each entry shows when the user holds its permission (or always, with none)."""

from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from layan.core.scopes import employee_record, has_permission


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    permission: str | None = None
    icon: str = ""
    public: bool = False  # shown to citizens without an account too
    own: bool = False  # the user's own records as an employee: shown only to someone with an employee record


# Menu groups, in order; an entry's group is its first word in GROUPS' keys.
GROUPS = {
    "home": _("Beranda"),
    "staff": _("Kepegawaian"),
    "attendance": _("Presensi"),
    "performance": _("Kinerja"),
    "complaints": _("Pengaduan"),
    "aid": _("Bansos"),
    "admin": _("Administrasi"),
    "account": _("Akun"),
    "public": _("Layanan publik"),
}

# Modules append their entries here, with their group.
NAV_ITEMS: list[tuple[str, NavItem]] = [
    ("home", NavItem(_("Beranda"), "core:home")),
    ("staff", NavItem(pgettext_lazy("plural", "Pegawai"), "org:employee_list", "org.view_employee")),
    ("staff", NavItem(_("Unit kerja"), "org:unit_list", "org.view_unit")),
    (
        "attendance",
        NavItem(
            pgettext_lazy("check-in page", "Presensi"), "attendance:checkin", "attendance.view", own=True
        ),
    ),
    ("attendance", NavItem(_("Presensi saya"), "attendance:my_attendance", "attendance.view", own=True)),
    ("attendance", NavItem(_("Jadwal saya"), "attendance:my_roster", "attendance.view", own=True)),
    ("attendance", NavItem(_("Cuti dan izin"), "attendance:leave", "attendance.view", own=True)),
    ("attendance", NavItem(_("Koreksi presensi"), "attendance:corrections", "attendance.view", own=True)),
    ("attendance", NavItem(_("Panggilan siaga"), "attendance:standby", "attendance.view", own=True)),
    ("attendance", NavItem(_("Presensi tim"), "attendance:board", "attendance.review")),
    ("attendance", NavItem(_("Siaga WFH tim"), "attendance:team_standby", "attendance.review")),
    ("attendance", NavItem(_("Presensi per unit"), "attendance:units", "attendance.view_units")),
    ("attendance", NavItem(_("Persetujuan cuti"), "attendance:leave_approvals", "attendance.review")),
    ("attendance", NavItem(_("Persetujuan koreksi"), "attendance:correction_approvals", "attendance.review")),
    ("attendance", NavItem(_("Persetujuan tukar jadwal"), "attendance:swap_approvals", "attendance.review")),
    ("attendance", NavItem(_("Jadwal WFO/WFH"), "attendance:rosters", "attendance.manage_roster")),
    ("attendance", NavItem(_("Daftar hadir manual"), "attendance:manual_list", "attendance.manage_roster")),
    ("attendance", NavItem(_("Rekap presensi"), "attendance:recap", "attendance.view")),
    ("performance", NavItem(_("Laporan harian"), "performance:report_new", "performance.view", own=True)),
    ("performance", NavItem(_("Laporan saya"), "performance:my_reports", "performance.view", own=True)),
    ("performance", NavItem(_("Laporan tim"), "performance:team", "performance.review")),
    ("performance", NavItem(_("SKP saya"), "performance:my_skp", "performance.view", own=True)),
    ("performance", NavItem(_("SKP tim"), "performance:team_skp", "performance.review")),
    ("performance", NavItem(_("SKP pimpinan unit"), "performance:team_skp", "performance.agree_top_skp")),
    ("performance", NavItem(_("Cascading SKP unit"), "performance:cascade", "performance.view_unit")),
    ("performance", NavItem(_("Evaluasi saya"), "performance:my_evaluations", "performance.view", own=True)),
    ("performance", NavItem(_("Evaluasi tim"), "performance:evaluation_team", "performance.review")),
    (
        "performance",
        NavItem(_("Distribusi predikat"), "performance:evaluation_unit", "performance.view_unit"),
    ),
    (
        "performance",
        NavItem(_("Predikat organisasi"), "performance:org_ratings", "performance.rate_organisation"),
    ),
    ("performance", NavItem(_("TPP saya"), "performance:my_tpp", "performance.view", own=True)),
    ("performance", NavItem(_("Perhitungan TPP"), "performance:run_list", "performance.manage_tpp")),
    ("performance", NavItem(_("Pagu TPP"), "performance:budgets", "performance.manage_tpp")),
    ("performance", NavItem(_("Kinerja (pimpinan)"), "performance:leaders", "performance.view_unit")),
    ("complaints", NavItem(_("Kotak masuk pengaduan"), "complaints:inbox", "complaints.handle")),
    ("complaints", NavItem(_("Laporan terlambat"), "complaints:overdue", "complaints.handle")),
    ("complaints", NavItem(_("Pesan masuk"), "complaints:message_list", "complaints.verify")),
    ("complaints", NavItem(_("Kategori pengaduan"), "complaints:category_list", "complaints.manage")),
    ("complaints", NavItem(_("Templat tanggapan"), "complaints:template_list", "complaints.manage")),
    ("complaints", NavItem(_("Pengaduan (pimpinan)"), "complaints:leaders", "complaints.view_stats")),
    ("aid", NavItem(_("Penduduk & bansos"), "aid:resident_list", "aid.view_resident")),
    ("aid", NavItem(_("Cakupan bansos"), "aid:coverage", "aid.view_coverage")),
    ("aid", NavItem(_("ASN Peduli"), "aid:asn_home", "aid.asn_pledge")),
    ("aid", NavItem(_("Pengumpulan ASN Peduli"), "aid:asn_collect", "aid.asn_collect")),
    ("aid", NavItem(_("Paket ASN Peduli"), "aid:asn_packages", "aid.distribute")),
    ("admin", NavItem(pgettext_lazy("plural", "Wilayah"), "regions:region_list")),
    ("admin", NavItem(_("Kalender kerja"), "core:calendar", "core.manage_calendar")),
    ("admin", NavItem(_("Peran & akses"), "accounts:role_list", "core.manage_roles")),
    ("admin", NavItem(_("Akun pengguna"), "accounts:user_list", "core.manage_users")),
    ("admin", NavItem(_("Jejak audit"), "core:audit_list", "core.view_audit")),
    ("account", NavItem(_("Akun saya"), "accounts:account")),
    ("public", NavItem(_("Lapor"), "complaints:submit", public=True)),
    ("public", NavItem(_("Lacak laporan"), "complaints:track", public=True)),
    ("public", NavItem(_("Laporan warga"), "complaints:public_list", public=True)),
    ("public", NavItem(_("Cek bansos"), "aid:public_lookup", public=True)),
    ("public", NavItem(_("Galeri ASN Peduli"), "aid:gallery", public=True)),
]


def navigation_groups(user) -> list[dict]:
    """The menu grouped: ``[{"label", "items": [{"label", "url"}]}]``, empty groups left out."""
    items = navigation_for(user)
    by_group: dict[str, list[dict]] = {}
    for item in items:
        by_group.setdefault(item["group"], []).append(item)
    return [
        {"key": key, "label": label, "items": by_group[key]}
        for key, label in GROUPS.items()
        if key in by_group
    ]


def navigation_for(user) -> list[dict]:
    """The menu for ``user``; citizens without an account (or None) get the public entries only."""
    signed_in = user is not None and user.is_authenticated
    items = []
    for group, item in NAV_ITEMS:
        if not signed_in and not item.public:
            continue
        if signed_in and item.public:
            continue  # staff reach the citizens' pages from the public site, not their work menu
        if item.permission and not has_permission(user, item.permission):
            continue
        if item.own and employee_record(user) is None:
            continue
        try:
            url = reverse(item.url_name)
        except NoReverseMatch:
            continue
        items.append({"label": item.label, "url": url, "icon": item.icon, "group": group})
    return items
