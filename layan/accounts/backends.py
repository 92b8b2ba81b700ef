from django.contrib.auth.backends import ModelBackend

from layan.core.identifiers import normalize_digits
from layan.core.models import User


def _looks_like_nip(value: str) -> bool:
    digits = normalize_digits(value)
    return len(digits) == 18 and digits.isdigit()


def user_for_login(identifier: str | None) -> User | None:
    """The account a login name points at: an 18-digit NIP (spaces/dots allowed) or a username."""
    if not identifier:
        return None
    user = None
    if _looks_like_nip(identifier):
        user = User.objects.filter(employee__nip=normalize_digits(identifier)).first()
    if user is None:
        user = User.objects.filter(username__iexact=identifier.strip()).first()
    return user


def canonical_login_name(identifier: str | None) -> str:
    """One spelling per account for the lockout counter (django-axes keys on what was typed).

    Without this, "1990 0605 ..." and "199006052015032001", or "Budi" and "budi", would each get their
    own allowance of failed attempts against the same account."""
    identifier = (identifier or "").strip()
    user = user_for_login(identifier)
    if user is not None:
        return user.username
    if _looks_like_nip(identifier):
        return normalize_digits(identifier)
    return identifier.lower()


class NipOrUsernameBackend(ModelBackend):
    """Civil servants type their NIP (18 digits, spaces allowed); others their username."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if username is None or password is None:
            return None
        user = user_for_login(username)
        if user is None:
            # Same work as a real check: no timing hint that the account does not exist.
            User().set_password(password)
            return None
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None
