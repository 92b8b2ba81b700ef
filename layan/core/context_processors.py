from django.conf import settings

from layan.core.navigation import navigation_groups
from layan.core.selectors import unread_notification_count


def layan(request):
    user = getattr(request, "user", None)
    return {
        "LAYAN_DEMO": settings.DEMO_MODE,
        "LAYAN_REGION_NAME": settings.LAYAN_REGION_NAME,
        "nav_groups": navigation_groups(user),
        "unread_notifications": unread_notification_count(user),
    }
