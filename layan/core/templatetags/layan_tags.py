"""Template helpers of the shell: the user's roles for the user menu, the active menu entry, stored
messages in the reader's language."""

from __future__ import annotations

from django import template

from layan.core.roles import Role
from layan.core.selectors import ordered_roles
from layan.core.stored_text import shown as shown_message

register = template.Library()


@register.simple_tag
def user_role_labels(user) -> list[str]:
    """Labels of the roles the user holds, widest first (for the user menu)."""
    return [str(Role(role).label) for role in ordered_roles(user)]


@register.filter
def is_active_for(url: str, path: str) -> bool:
    """Whether the menu entry ``url`` is the current page or one of its sub-pages."""
    if not url or not path:
        return False
    return path == url if url == "/" else path.startswith(url)


@register.filter
def shown(value) -> str:
    """A message kept in the database (a reason, conflict or warning) in the reader's language."""
    return shown_message(value)
