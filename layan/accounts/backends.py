from django.contrib.auth.backends import ModelBackend

from layan.core.identifiers import normalize_digits
from layan.core.models import User


class NipOrUsernameBackend(ModelBackend):
    """Civil servants type their NIP (18 digits, spaces allowed); others their username."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if username is None or password is None:
            return None
        digits = normalize_digits(username)
        user = None
        if len(digits) == 18 and digits.isdigit():
            user = User.objects.filter(employee__nip=digits).first()
        if user is None:
            user = User.objects.filter(username__iexact=username.strip()).first()
        if user is None:
            User().set_password(password)  # same work as a real check: no timing hint that the user is unknown
            return None
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None
