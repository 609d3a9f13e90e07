"""Where to turn for the needs beyond the task that a request suggests (issue 16, item 4;
detection.orientation finds the needs), in plain words and the active language.

Seed 002 asks the platform to point people, from their first request, to the CPAS, the GP or a
psychologist. Only routes the sources describe, and never a phone number or an address that a
source does not give:

- the CPAS/OCMW/ÖSHZ of the person's municipality (the public social-welfare centre, one per
  municipality: social aid, debt mediation, help with housing, the communes' and CPAS's social
  cohesion activities — seed 002, seed 003; organic law of 8 July 1976, art. 1), from the
  service directory when it has the entry;
- first-line psychological care: since 2022 sessions with a psychologist who has an agreement
  with the local mental-health network are largely reimbursed through the mutualité, with no
  referral needed (INAMI/RIZIV convention with the mental-health networks; e.g.
  https://reseau107bw.be/faq-fonctions-psychologiques-patients/);
- the GP, who knows the person and can refer them (seed 002: "jusqu'où le médecin généraliste
  peut-il agir").
"""

from __future__ import annotations

from collections.abc import Callable

from django.utils.translation import gettext as _

# Which routes each need calls for, in the order they are shown.
CPAS_NEEDS = frozenset({"isolation", "money", "housing", "distress"})
PSYCHOLOGICAL_CARE_NEEDS = frozenset({"isolation", "distress"})
GP_NEEDS = frozenset({"isolation", "distress"})


def _cpas_why(needs: set[str]) -> str:
    if needs & {"money", "housing"}:
        return _(
            "The public social welfare centre of your municipality helps when money or housing "
            "becomes hard: social aid, debt mediation, help with your home. It is free and "
            "confidential."
        )
    return _(
        "The public social welfare centre of your municipality can help with what weighs on "
        "you and tell you about activities near you. It is free and confidential."
    )


def orientation_services(
    *, needs: list[str], cpas_of: Callable[[], dict | None] | None = None
) -> list[dict]:
    """Where to turn for these needs, in the active language: `{"kind", "name", "why"}` each,
    the CPAS with its directory entry under "service" when `cpas_of()` finds one. [] when no
    need."""
    wanted = set(needs)
    routes: list[dict] = []
    if wanted & CPAS_NEEDS:
        entry = cpas_of() if cpas_of else None
        route = {
            "kind": "cpas",
            "name": (entry or {}).get("name")
            or _("The public social welfare centre (CPAS/OCMW/ÖSHZ) of your municipality"),
            "why": _cpas_why(wanted),
        }
        if entry:
            route["service"] = entry
        routes.append(route)
    if wanted & PSYCHOLOGICAL_CARE_NEEDS:
        routes.append(
            {
                "kind": "psychological_care",
                "name": _("First-line psychological care"),
                "why": _(
                    "You can talk to a psychologist for a few sessions, largely reimbursed by "
                    "your health insurance fund (mutualité) when the psychologist works with the "
                    "local mental-health network. You do not need a referral: your mutualité or "
                    "your GP can tell you who to contact."
                ),
            }
        )
    if wanted & GP_NEEDS:
        routes.append(
            {
                "kind": "gp",
                "name": _("Your general practitioner (family doctor)"),
                "why": _(
                    "Your doctor knows you and can help with sleep, worry or low mood, and refer "
                    "you further."
                ),
            }
        )
    return routes
