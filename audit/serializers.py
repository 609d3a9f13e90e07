"""The access log as the API shows it (CONTRACT.md, "Service partners and access log")."""

from rest_framework import serializers

from audit.models import AccessKind
from audit.texts import role_text, what_text


class AccessReaderSerializer(serializers.Serializer):
    display_name = serializers.CharField(source="reader_name")
    role = serializers.CharField(source="reader_role")
    role_text = serializers.SerializerMethodField()
    organisation = serializers.CharField()

    def get_role_text(self, record) -> str:
        return role_text(record.reader_role)


class AccessRecordOutputSerializer(serializers.Serializer):
    """One read of the person's data: `at`, `reader`, `what` (a code), `purpose` (a code) as the
    contract lists them; `id`, `what_text` (in the reader's language), `object_id`, `route` and
    the reader's `role_text` extend it."""

    id = serializers.IntegerField()
    at = serializers.DateTimeField()
    reader = AccessReaderSerializer(source="*")
    what = serializers.CharField()
    what_text = serializers.SerializerMethodField()
    object_id = serializers.IntegerField(allow_null=True)
    purpose = serializers.CharField()
    route = serializers.CharField()

    def get_what_text(self, record) -> str:
        return what_text(record.what)


class OrganisationAccessRecordOutputSerializer(AccessRecordOutputSerializer):
    """For coordinators: the same, plus whose data was read and the reader's account id."""

    subject = serializers.IntegerField(source="subject_id", allow_null=True)
    reader_id = serializers.IntegerField(allow_null=True)


class OrganisationAuditQuerySerializer(serializers.Serializer):
    subject = serializers.IntegerField(required=False, min_value=1)
    reader = serializers.IntegerField(required=False, min_value=1)
    what = serializers.ChoiceField(required=False, choices=AccessKind.values)
    since = serializers.DateTimeField(required=False)
    limit = serializers.IntegerField(required=False, min_value=1, max_value=1000, default=200)
