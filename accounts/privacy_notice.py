"""The privacy notice people accept at sign-up, and its wording version.

The wording lives in accounts/templates/accounts/privacy_notice_text.html, translated like every
page. Whenever its meaning changes, raise PRIVACY_NOTICE_VERSION: everyone who accepted an
earlier version is asked again at their next sign-in on the web, and the API answers 403
`privacy_notice_not_accepted` to them until they accept (accounts/authentication.py).
"""

# A date, so the version tells when the wording was written. Raise it with the wording.
PRIVACY_NOTICE_VERSION = "2025-06-01"
