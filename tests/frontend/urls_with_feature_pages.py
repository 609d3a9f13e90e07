"""The site's addresses plus a stand-in /helper/ page, as if the helpers' issue had landed."""

from django.http import HttpResponse
from django.urls import path

from config.urls import urlpatterns as site_urlpatterns

urlpatterns = [path("helper/", lambda request: HttpResponse("helper")), *site_urlpatterns]
