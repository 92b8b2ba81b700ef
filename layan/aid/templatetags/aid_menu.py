"""The aid module's two menus (bansos and ASN Peduli), each entry shown only to those its page lets in:
a link that answers 404 is worse than no link."""

from __future__ import annotations

from django import template
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from layan.core.scopes import has_permission

register = template.Library()

# (label, url name, query string, permissions: any one of them opens the page)
MENUS = {
    "bansos": [
        (_("Penduduk"), "aid:resident_list", "", ("aid.view_resident",)),
        (_("Putaran penyaluran"), "aid:round_list", "", ("aid.view_resident", "aid.approve_round")),
        (_("Cakupan"), "aid:coverage", "", ("aid.view_coverage",)),
        (_("Rentan tanpa bantuan"), "aid:uncovered", "?rentan=on", ("aid.view_coverage",)),
        (_("Duplikat"), "aid:duplicate_list", "", ("aid.manage_resident",)),
        (_("Impor"), "aid:import_list", "", ("aid.manage_resident",)),
        (_("Program"), "aid:program_list", "", ("aid.view_coverage",)),
        (_("Bantuan per NIK"), "aid:aid_by_nik", "", ("aid.view_resident",)),
        (_("Paket ASN Peduli"), "aid:asn_packages", "", ("aid.distribute", "aid.asn_collect")),
    ],
    "asn": [
        (_("Janji saya"), "aid:asn_home", "", ("aid.asn_pledge", "aid.asn_collect", "aid.distribute")),
        (_("Pengumpulan unit"), "aid:asn_collect", "", ("aid.asn_collect",)),
        (_("Paket"), "aid:asn_packages", "", ("aid.distribute", "aid.asn_collect")),
        (_("Serah terima (bisa tanpa sinyal)"), "aid:asn_handover", "", ("aid.distribute",)),
        (_("Galeri publik"), "aid:gallery", "", ()),
    ],
}


@register.inclusion_tag("aid/_menu.html", takes_context=True)
def aid_menu(context, name: str) -> dict:
    user = context["request"].user
    path = context["request"].path
    links = []
    for label, url_name, query, permissions in MENUS[name]:
        if permissions and not any(has_permission(user, p) for p in permissions):
            continue
        url = reverse(url_name)
        links.append({"label": label, "url": url + query, "active": path == url})
    return {"links": links, "name": name}
