"""Accounts API (CONTRACT.md "Accounts"): register, get a token, read and change oneself."""

from django.contrib.auth import update_session_auth_hash
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils import translation
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts import gates, selectors, services
from accounts.lockout import lockout_response
from accounts.privacy_notice import PRIVACY_NOTICE_VERSION
from accounts.second_factor import (
    second_factor_enrolled,
    second_factor_required,
    second_factor_verify,
)
from accounts.selectors import account_link_base
from accounts.serializers import (
    DetailOutputSerializer,
    EmailChangeInputSerializer,
    EmailVerifyInputSerializer,
    ManagedPersonCreateInputSerializer,
    ManagedPersonLoginInputSerializer,
    ManagedPersonOutputSerializer,
    MeOutputSerializer,
    MeUpdateInputSerializer,
    PasswordChangeInputSerializer,
    PasswordResetConfirmInputSerializer,
    PasswordResetInputSerializer,
    PrivacyNoticeAcceptInputSerializer,
    PrivacyNoticeOutputSerializer,
    RegistrationInputSerializer,
    RegistrationOutputSerializer,
    TokenInputSerializer,
    TokenOutputSerializer,
)
from core.api_errors import NotAllowed
from core.rate_limits import (
    ActionRateLimit,
    RegistrationRateLimit,
    TokenLoginRateLimit,
)

FORBIDDEN_NOT_COORDINATOR = OpenApiResponse(description="Coordinators only.")
NOT_YOURS = OpenApiResponse(description="Unknown, or not managed by the coordinator's team.")


class PasswordResetRateLimit(ActionRateLimit):
    action = "password_reset"


class AccountEmailRateLimit(ActionRateLimit):
    action = "account_email"


def _as_api_error(error: DjangoValidationError) -> serializers.ValidationError:
    """A service's {field: [messages]} as DRF's 400 body of the same shape."""
    if hasattr(error, "error_dict"):
        return serializers.ValidationError(error.message_dict)
    return serializers.ValidationError({"non_field_errors": error.messages})


def _validated(serializer_class, request: Request, **kwargs) -> dict:
    # Anything but a JSON object (null, a list, a number) is a 400 from DRF, never a 500.
    serializer = serializer_class(data=request.data, **kwargs)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


class RegisterApi(APIView):
    # Signing up needs no earlier identity, and no session means no CSRF check to fail.
    authentication_classes: list = []
    permission_classes = [AllowAny]
    throttle_classes = [RegistrationRateLimit]

    @extend_schema(
        request=RegistrationInputSerializer, responses={201: RegistrationOutputSerializer}
    )
    def post(self, request: Request) -> Response:
        data = _validated(RegistrationInputSerializer, request)
        try:
            user = services.user_register(**data)
        except DjangoValidationError as error:
            raise _as_api_error(error) from error
        services.email_verification_send(user=user, link_base=account_link_base(request=request))
        return Response(RegistrationOutputSerializer(user).data, status=status.HTTP_201_CREATED)


class TokenApi(APIView):
    authentication_classes: list = []
    permission_classes = [AllowAny]
    throttle_classes = [TokenLoginRateLimit]

    @extend_schema(
        request=TokenInputSerializer,
        responses={
            200: TokenOutputSerializer,
            400: OpenApiResponse(description="Wrong email or password."),
            401: OpenApiResponse(
                description='{"code": "mfa_required"}: a valid one-time code (`otp`) is needed.'
            ),
            429: OpenApiResponse(description="Locked out after repeated failures."),
        },
    )
    def post(self, request: Request) -> Response:
        data = _validated(TokenInputSerializer, request)
        # axes reads and flags the Django request, not DRF's wrapper around it.
        http_request = request._request
        user = services.user_authenticate(
            request=http_request, email=data["email"], password=data["password"]
        )
        if getattr(http_request, "axes_locked_out", False):
            # AxesMiddleware would answer the same; answering here keeps the view correct
            # even if the middleware were missing.
            return lockout_response(http_request)
        if user is None:
            return Response(
                {
                    "code": "invalid_credentials",
                    "detail": _("Unable to sign in with this email address and password."),
                },
                status=status.HTTP_400_BAD_REQUEST,
            )
        if second_factor_required(user=user):
            # The password was right; without the second factor no token. A coordinator who
            # has no authenticator yet sets one up on the website first.
            code = data.get("otp", "")
            if (
                not second_factor_enrolled(user=user)
                or second_factor_verify(user=user, code=code) is None
            ):
                with translation.override(user.language):
                    detail = gates.mfa_required_detail()
                return Response(
                    {"code": gates.MFA_REQUIRED, "detail": detail},
                    status=status.HTTP_401_UNAUTHORIZED,
                )
        services.user_signal_token_login(request=http_request, user=user)
        return Response({"token": services.token_for(user=user)})


class MeDeleteInputSerializer(serializers.Serializer):
    password = serializers.CharField(trim_whitespace=False)


class MeApi(APIView):
    # Reading, exporting and erasing one's account stay possible before accepting a changed
    # privacy notice: refusing it must not lock anyone in.
    privacy_notice_exempt = True

    @extend_schema(responses={200: MeOutputSerializer})
    def get(self, request: Request) -> Response:
        return Response(MeOutputSerializer(request.user).data)

    @extend_schema(request=MeUpdateInputSerializer, responses={200: MeOutputSerializer})
    def patch(self, request: Request) -> Response:
        data = _validated(MeUpdateInputSerializer, request)
        try:
            user = services.user_update(user=request.user, **data)
        except DjangoValidationError as error:
            raise _as_api_error(error) from error
        return Response(MeOutputSerializer(user).data)

    @extend_schema(
        request=MeDeleteInputSerializer,
        responses={
            204: OpenApiResponse(description="Account erased."),
            400: OpenApiResponse(description="Wrong password."),
        },
    )
    def delete(self, request: Request) -> Response:
        data = _validated(MeDeleteInputSerializer, request)
        try:
            services.user_erase(user=request.user, password=data["password"])
        except DjangoValidationError as error:
            raise _as_api_error(error) from error
        return Response(status=status.HTTP_204_NO_CONTENT)


class MeExportApi(APIView):
    privacy_notice_exempt = True

    @extend_schema(responses={200: OpenApiResponse(description="All the person's data.")})
    def get(self, request: Request) -> Response:
        data = services.user_data_export(user=request.user)
        # A file to keep, not a page to show: browsers offer to save it.
        return Response(
            data, headers={"Content-Disposition": 'attachment; filename="tandem-my-data.json"'}
        )


# --- Recovery, verification, password and address changes (CONTRACT.md "Accounts", v2) --------


class PasswordResetApi(APIView):
    authentication_classes: list = []
    permission_classes = [AllowAny]
    throttle_classes = [PasswordResetRateLimit]

    @extend_schema(
        request=PasswordResetInputSerializer,
        responses={202: DetailOutputSerializer},
    )
    def post(self, request: Request) -> Response:
        """Sends a reset link if an account uses the address; the same answer either way."""
        data = _validated(PasswordResetInputSerializer, request)
        services.password_reset_request(
            email=data["email"],
            link_base=account_link_base(request=request),
            language=request.LANGUAGE_CODE,
        )
        return Response(
            {
                "detail": _(
                    "If an account uses this address, we have sent it a link to choose a new "
                    "password. Look in your mailbox (and in the spam folder)."
                )
            },
            status=status.HTTP_202_ACCEPTED,
        )


class PasswordResetConfirmApi(APIView):
    authentication_classes: list = []
    permission_classes = [AllowAny]
    throttle_classes = [PasswordResetRateLimit]

    @extend_schema(
        request=PasswordResetConfirmInputSerializer,
        responses={
            200: DetailOutputSerializer,
            400: OpenApiResponse(description="Link expired or used, or weak password."),
        },
    )
    def post(self, request: Request) -> Response:
        """Sets the new password; every session and API token of the account ends."""
        data = _validated(PasswordResetConfirmInputSerializer, request)
        # The answer is in the language of the account the link names (expired or not): the
        # link came from its mailbox, in that language.
        named = services.password_reset_named_user(uid=data["uid"])
        with translation.override(named.language if named else translation.get_language()):
            try:
                services.password_reset_confirm(**data)
            except DjangoValidationError as error:
                raise _as_api_error(error) from error
            return Response({"detail": _("Your password is changed. You can sign in now.")})


class EmailVerifyApi(APIView):
    authentication_classes: list = []
    permission_classes = [AllowAny]
    throttle_classes = [AccountEmailRateLimit]

    @extend_schema(
        request=EmailVerifyInputSerializer,
        responses={
            200: MeOutputSerializer,
            400: OpenApiResponse(description="Link expired, used or replaced."),
        },
    )
    def post(self, request: Request) -> Response:
        data = _validated(EmailVerifyInputSerializer, request)
        try:
            user = services.email_verify(key=data["key"])
        except DjangoValidationError as error:
            raise _as_api_error(error) from error
        return Response(MeOutputSerializer(user).data)


class EmailVerificationResendApi(APIView):
    privacy_notice_exempt = True
    throttle_classes = [AccountEmailRateLimit]

    @extend_schema(request=None, responses={202: DetailOutputSerializer})
    def post(self, request: Request) -> Response:
        """Sends the verification link again (to the new address if a change is waiting)."""
        services.email_verification_send(
            user=request.user, link_base=account_link_base(request=request)
        )
        return Response(
            {"detail": _("If your address still needs to be confirmed, we have sent a new link.")},
            status=status.HTTP_202_ACCEPTED,
        )


class MeEmailApi(APIView):
    throttle_classes = [AccountEmailRateLimit]

    @extend_schema(
        request=EmailChangeInputSerializer,
        responses={
            202: DetailOutputSerializer,
            400: OpenApiResponse(description="Wrong password, or address invalid or taken."),
        },
    )
    def post(self, request: Request) -> Response:
        """Asks to change the address: a link goes to the new one, a notice to the old one."""
        data = _validated(EmailChangeInputSerializer, request)
        try:
            services.email_change_request(
                user=request.user, link_base=account_link_base(request=request), **data
            )
        except DjangoValidationError as error:
            raise _as_api_error(error) from error
        return Response(
            {
                "detail": _(
                    "Open the link we sent to your new address to confirm it. Until then you "
                    "sign in with your current address."
                )
            },
            status=status.HTTP_202_ACCEPTED,
        )


class MePasswordApi(APIView):
    privacy_notice_exempt = True

    @extend_schema(
        request=PasswordChangeInputSerializer,
        responses={
            200: TokenOutputSerializer,
            400: OpenApiResponse(description="Wrong current password, or weak new one."),
        },
    )
    def post(self, request: Request) -> Response:
        """Changes the password; every other session and every API token ends, and the answer
        carries a new token for the caller."""
        data = _validated(PasswordChangeInputSerializer, request)
        try:
            services.password_change(user=request.user, **data)
        except DjangoValidationError as error:
            raise _as_api_error(error) from error
        if request.user.is_authenticated and request._request.session.session_key:
            update_session_auth_hash(request._request, request.user)
        return Response({"token": services.token_for(user=request.user)})


class MeLogoutEverywhereApi(APIView):
    privacy_notice_exempt = True

    @extend_schema(request=None, responses={204: OpenApiResponse(description="Signed out.")})
    def post(self, request: Request) -> Response:
        """Ends every session and API token of the account, this one included."""
        services.user_sessions_revoke(user=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


class PrivacyNoticeApi(APIView):
    authentication_classes: list = []
    permission_classes = [AllowAny]

    @extend_schema(responses={200: PrivacyNoticeOutputSerializer})
    def get(self, request: Request) -> Response:
        """The current version of the privacy notice, and the page where it is shown."""
        return Response({"version": PRIVACY_NOTICE_VERSION, "url": "/privacy/"})


class MePrivacyNoticeApi(APIView):
    privacy_notice_exempt = True

    @extend_schema(
        request=PrivacyNoticeAcceptInputSerializer,
        responses={
            200: MeOutputSerializer,
            400: OpenApiResponse(description="Not the current version."),
        },
    )
    def post(self, request: Request) -> Response:
        """Records that the person accepted the current privacy notice."""
        data = _validated(PrivacyNoticeAcceptInputSerializer, request)
        try:
            services.privacy_notice_accept(
                user=request.user, version=data["version"], language=request.LANGUAGE_CODE
            )
        except DjangoValidationError as error:
            raise _as_api_error(error) from error
        return Response(MeOutputSerializer(request.user).data)


# --- People without e-mail (CONTRACT.md "Accounts", v2; issue 15, item 3) ---------------------


class CoordinatorApi(APIView):
    """Coordinators only: anyone else signed in gets 403 (the role, not an object, is refused)."""

    def initial(self, request: Request, *args, **kwargs) -> None:
        super().initial(request, *args, **kwargs)
        if not request.user.is_coordinator:
            raise NotAllowed("not_allowed", _("Only coordinators manage people without e-mail."))

    def person_or_404(self, request: Request, person_id: int):
        person = selectors.managed_person_of(coordinator=request.user, person_id=person_id)
        if person is None:
            raise Http404
        return person


class ManagedPeopleApi(CoordinatorApi):
    @extend_schema(
        responses={200: ManagedPersonOutputSerializer(many=True), 403: FORBIDDEN_NOT_COORDINATOR}
    )
    def get(self, request: Request) -> Response:
        """The people without e-mail the coordinator manages (as one of their team)."""
        people = selectors.managed_people_of(coordinator=request.user)[:500]
        return Response(ManagedPersonOutputSerializer(people, many=True).data)

    @extend_schema(
        request=ManagedPersonCreateInputSerializer,
        responses={
            201: ManagedPersonOutputSerializer,
            400: OpenApiResponse(description="{field: [messages]}: e.g. a malformed phone."),
            403: FORBIDDEN_NOT_COORDINATOR,
        },
    )
    def post(self, request: Request) -> Response:
        """Records a person who phoned and has no e-mail: an account without login, managed
        by the coordinator (and the colleagues in `managed_by`)."""
        data = _validated(ManagedPersonCreateInputSerializer, request)
        consent = data.pop("consent")
        try:
            person = services.managed_person_create(
                created_by=request.user,
                consent_wording_version=consent["wording_version"],
                consent_note=consent.get("recorded_by_note", ""),
                co_manager_ids=data.pop("managed_by", []),
                **data,
            )
        except DjangoValidationError as error:
            raise _as_api_error(error) from error
        person = selectors.managed_person_of(coordinator=request.user, person_id=person.pk)
        return Response(ManagedPersonOutputSerializer(person).data, status=status.HTTP_201_CREATED)


class ManagedPersonApi(CoordinatorApi):
    @extend_schema(
        responses={
            200: ManagedPersonOutputSerializer,
            403: FORBIDDEN_NOT_COORDINATOR,
            404: NOT_YOURS,
        }
    )
    def get(self, request: Request, person_id: int) -> Response:
        return Response(ManagedPersonOutputSerializer(self.person_or_404(request, person_id)).data)

    @extend_schema(
        request=None,
        responses={
            204: OpenApiResponse(description="Erased."),
            403: FORBIDDEN_NOT_COORDINATOR,
            404: NOT_YOURS,
        },
    )
    def delete(self, request: Request, person_id: int) -> Response:
        """Erases the person's account as they would erase it themselves (DELETE /api/me/)."""
        person = self.person_or_404(request, person_id)
        services.managed_person_erase(person=person, acting_user=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


class ManagedPersonExportApi(CoordinatorApi):
    @extend_schema(
        responses={
            200: OpenApiResponse(description="All the person's data."),
            403: FORBIDDEN_NOT_COORDINATOR,
            404: NOT_YOURS,
        }
    )
    def get(self, request: Request, person_id: int) -> Response:
        """The person's export, as GET /api/me/export/ gives it: for their team to hand over
        (by post, on paper, on a stick), since they cannot sign in to fetch it."""
        person = self.person_or_404(request, person_id)
        data = services.managed_person_data_export(
            person=person, acting_user=request.user, route=request.path
        )
        return Response(
            data,
            headers={
                "Content-Disposition": (
                    f'attachment; filename="tandem-person-{person.pk}-data.json"'
                )
            },
        )


class ManagedPersonLoginApi(CoordinatorApi):
    @extend_schema(
        request=ManagedPersonLoginInputSerializer,
        responses={
            202: ManagedPersonOutputSerializer,
            400: OpenApiResponse(description="Bad or taken address."),
            403: FORBIDDEN_NOT_COORDINATOR,
            404: NOT_YOURS,
            409: OpenApiResponse(description="They already have an address."),
        },
    )
    def post(self, request: Request, person_id: int) -> Response:
        """Gives the person a login: the address gets the verification link; then they choose
        a password ("forgotten password"). Their history stays theirs."""
        person = self.person_or_404(request, person_id)
        data = _validated(ManagedPersonLoginInputSerializer, request)
        try:
            services.managed_person_login_give(
                person=person,
                acting_user=request.user,
                email=data["email"],
                link_base=account_link_base(request=request),
            )
        except DjangoValidationError as error:
            raise _as_api_error(error) from error
        person = self.person_or_404(request, person_id)
        return Response(ManagedPersonOutputSerializer(person).data, status=status.HTTP_202_ACCEPTED)
