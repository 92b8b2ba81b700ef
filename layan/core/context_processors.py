from django.conf import settings

from layan.core.navigation import navigation_groups


def layan(request):
    user = getattr(request, "user", None)
    return {
        "LAYAN_DEMO": settings.DEMO_MODE,
        "LAYAN_REGION_NAME": settings.LAYAN_REGION_NAME,
        "nav_groups": navigation_groups(user),
    }
