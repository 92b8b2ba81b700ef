from django.urls import path
from rest_framework.routers import SimpleRouter

from layan.aid import api

app_name = "aid_api"

router = SimpleRouter()
router.register("aid/residents", api.ResidentViewSet, basename="resident")
router.register("aid/programs", api.ProgramViewSet, basename="program")
router.register("aid/rounds", api.RoundViewSet, basename="round")
router.register("aid/duplicates", api.DuplicatePairViewSet, basename="duplicate")
urlpatterns = [
    *router.urls,
    path("aid/coverage/", api.CoverageView.as_view(), name="coverage"),
    path("aid/distributions/", api.DistributionCreateView.as_view(), name="distribution_create"),
    path("aid/packages/handover/", api.AsnHandOverView.as_view(), name="asn_handover"),
    path("aid/lookup/", api.PublicLookupView.as_view(), name="lookup"),
]
