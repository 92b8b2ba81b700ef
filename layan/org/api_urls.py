from rest_framework.routers import SimpleRouter

from layan.org import api

app_name = "org_api"

router = SimpleRouter()
router.register("employees", api.EmployeeViewSet, basename="employee")
router.register("units", api.UnitViewSet, basename="unit")
router.register("positions", api.PositionViewSet, basename="position")
router.register("office-locations", api.OfficeLocationViewSet, basename="office-location")
urlpatterns = router.urls
