"""How the admin shows places: as text (WKT), not as GeoDjango's default map widget.

GeoDjango's map widget loads OpenLayers from a third-party CDN (cdn.jsdelivr.net) and starts it
with an inline script. Our Content-Security-Policy (config/security_headers.py) blocks both, and
we do not want staff browsers to call a CDN with the exact address of someone being edited. A
text box with "SRID=4326;POINT (4.8675 50.4669)" is exact, editable and works without scripts.
"""

from django import forms
from django.contrib.gis.db import models

GEOMETRY_AS_TEXT = {
    models.GeometryField: {"widget": forms.Textarea(attrs={"rows": 2, "cols": 60})},
}
