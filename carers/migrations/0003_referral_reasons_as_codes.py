"""Referral reasons from a help request were stored as the sentences the requester was shown, in
the requester's language (`{"code": "signal", "params": {}, "text": "..."}`). They become codes
with parameters (`signal.<code>`), rendered in each reader's language (carers.referral_reasons).

A stored sentence is matched against the detector's catalogue in every language, the care-hours
sentence with its number; a sentence that matches nothing is kept as `legacy_text` with the
sentence as its parameter, shown as it was written. The catalogue is copied here (English
msgids, translated through the project's catalogues) so that this migration does not change
when the detector does.
"""

import re

from django.conf import settings
from django.db import migrations
from django.utils import translation
from django.utils.translation import gettext

# detection.carer_situation.REASONS as they were when reasons became codes.
SIGNAL_REASONS = {
    "carer_role": "You describe yourself as someone who cares for a relative or a close person.",
    "relative": "You are asking on behalf of a relative.",
    "close_person": "You are asking on behalf of someone close to you.",
    "relative_mentioned": "Your request is about a member of your family.",
    "condition": (
        "The description mentions a long-term illness, a disability or a condition such as "
        "dementia or a stroke."
    ),
    "dependency": "The person you help seems unable to manage alone or to be left alone.",
    "constant_presence": "Someone has to be there day and night, or all the time.",
    "exhaustion": "You sound tired or worn out.",
    "regular_care": "You seem to help this person regularly, for example every day.",
    "care_hours": "You give about %(hours)s hours of care a week.",
    "older_age": "The person you help is of an advanced age.",
}
LANGUAGES = ("fr", "nl", "de", "en")
HOURS = "%(hours)s"


def _sentence_patterns():
    """(code, compiled pattern) for every reason in every language; care hours capture a number."""
    patterns = []
    for language in LANGUAGES:
        with translation.override(language):
            for code, msgid in SIGNAL_REASONS.items():
                sentence = gettext(msgid)
                pattern = re.escape(sentence).replace(
                    re.escape(HOURS), r"(?P<hours>\d+(?:[.,]\d+)?)"
                )
                patterns.append((code, re.compile(pattern)))
    return patterns


def reason_from_text(text, patterns):
    """A stored sentence → {"code", "params"}."""
    text = " ".join(str(text).split())
    for code, pattern in patterns:
        match = pattern.fullmatch(text)
        if match is None:
            continue
        if code == "care_hours":
            return {
                "code": "signal.care_hours",
                "params": {"hours": float(match.group("hours").replace(",", "."))},
            }
        return {"code": f"signal.{code}", "params": {}}
    return {"code": "legacy_text", "params": {"text": str(text)}}


def reasons_as_codes(reasons, patterns):
    """Reasons of one referral with every stored sentence replaced by a code."""
    converted = []
    for reason in reasons or []:
        if not isinstance(reason, dict):
            converted.append(reason_from_text(reason, patterns))
            continue
        code = str(reason.get("code") or "")
        text = reason.get("text")
        if code in ("", "signal") and text:
            converted.append(reason_from_text(text, patterns))
        elif text and not code.startswith(("assessment.", "concern", "manual", "signal.")):
            # A code the readers cannot render: keep what was shown.
            converted.append({"code": "legacy_text", "params": {"text": str(text)}})
        else:
            converted.append({"code": code or "signal", "params": dict(reason.get("params") or {})})
    return converted


def forwards(apps, schema_editor):
    Referral = apps.get_model("carers", "Referral")
    patterns = _sentence_patterns()
    for referral in Referral.objects.exclude(reasons=[]).only("pk", "reasons").iterator():
        converted = reasons_as_codes(referral.reasons, patterns)
        if converted != referral.reasons:
            Referral.objects.filter(pk=referral.pk).update(reasons=converted)


def backwards(apps, schema_editor):
    """Codes back to sentences, in the site's default language (the requester's is not known)."""
    Referral = apps.get_model("carers", "Referral")
    with translation.override(settings.LANGUAGE_CODE):
        for referral in Referral.objects.exclude(reasons=[]).only("pk", "reasons").iterator():
            reverted = []
            for reason in referral.reasons:
                code = str(reason.get("code", ""))
                params = reason.get("params") or {}
                if code == "legacy_text":
                    reverted.append(
                        {"code": "signal", "params": {}, "text": params.get("text", "")}
                    )
                elif code.startswith("signal.") and code[len("signal.") :] in SIGNAL_REASONS:
                    msgid = SIGNAL_REASONS[code[len("signal.") :]]
                    sentence = gettext(msgid)
                    if HOURS in msgid:
                        sentence = sentence % {"hours": params.get("hours", "")}
                    reverted.append({"code": "signal", "params": {}, "text": sentence})
                else:
                    reverted.append(reason)
            Referral.objects.filter(pk=referral.pk).update(reasons=reverted)


class Migration(migrations.Migration):
    dependencies = [("carers", "0002_directory_referrals_diary")]

    operations = [migrations.RunPython(forwards, backwards)]
