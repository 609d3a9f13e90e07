"""A refused medical request: the explanation and the professionals to turn to, in the active
language. What counts as a medical or nursing act is detected by detection.medical_tasks.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from detection.medical_tasks import BODY_CARE

# --- Where to turn instead -------------------------------------------------------------------

# Only what the seed documents say (seed 003, AVIQ: CASD and SAFAS in Wallonia; seed 002: the
# GP as a first contact). No phone numbers or addresses: GET /api/services/?postcode= lists the
# local bodies with their sources.
WALLONIA = "wallonia"


def _service(kind: str, name: str, why: str) -> dict[str, str]:
    return {"kind": kind, "name": name, "why": why}


def medical_services(*, codes: tuple[str, ...] | list[str], region: str | None) -> list[dict]:
    """Professional services to turn to for these acts, in the active language.

    `region` ("brussels", "flanders", "wallonia" or None if unknown): the Walloon services of seed
    003 are only listed when the place is in Wallonia or unknown (their text names Wallonia).
    """
    services = [
        _service(
            "gp",
            _("General practitioner (family doctor)"),
            _(
                "Your doctor knows your health, can tell you which care is needed and who "
                "provides it."
            ),
        ),
    ]
    if any(code != BODY_CARE for code in codes):
        services.append(
            _service(
                "home_nursing",
                _("Home nursing"),
                _(
                    "Injections, wound care, medication and other nursing acts at home are "
                    "done by professional nurses."
                ),
            )
        )
    if region in (None, WALLONIA):
        if BODY_CARE in codes:
            services.append(
                _service(
                    "safas",
                    _("Home-help services (SAFAS)"),
                    _(
                        "In Wallonia, home-help services send family aides who help at home "
                        "every day; the person helped pays part of the cost."
                    ),
                )
            )
        services.append(
            _service(
                "casd",
                _("Home-care coordination centre (CASD)"),
                _(
                    "In Wallonia, a home-care coordination centre assesses the needs and finds "
                    "the professional help and care; it is free for the person helped."
                ),
            )
        )
    return services


def medical_refusal_detail() -> str:
    """The explanation of a refusal, in the active language."""
    return _(
        "Tandem is for everyday help between neighbours. Medical and nursing care (injections, "
        "wound care, giving medication, catheters, personal hygiene...) must be done by "
        "professionals. Accompanying someone to the doctor or fetching medicines is welcome."
    )
