"""Layan's URLs plus ``/api/v1/bench/floor/`` (see bench/floor_settings.py)."""

from django.urls import path
from rest_framework import status
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from layan.urls import urlpatterns as layan_urlpatterns


class FloorView(APIView):
    """Authenticates the token and parses the multipart body (the selfie read in full), then answers 201."""

    parser_classes = [MultiPartParser, FormParser]

    def post(self, request):
        selfie = request.FILES["selfie"]
        return Response(
            {"client_uuid": request.data["client_uuid"], "selfie_bytes": selfie.size},
            status=status.HTTP_201_CREATED,
        )


urlpatterns = [path("api/v1/bench/floor/", FloorView.as_view()), *layan_urlpatterns]
