"""Shapes of the accounts API. They check types and sizes; accounts.services checks the rest."""

from rest_framework import serializers

from accounts.models import Language, User
from core.strict_fields import StrictCharField


class RegistrationInputSerializer(serializers.Serializer):
    email = serializers.EmailField(max_length=254)
    # Passwords are taken as typed: spaces are allowed and count.
    password = StrictCharField(max_length=4096, trim_whitespace=False, write_only=True)
    display_name = StrictCharField(max_length=80)
    language = serializers.ChoiceField(choices=Language.choices)
    postcode = StrictCharField(max_length=4, min_length=4)


class RegistrationOutputSerializer(serializers.ModelSerializer):
    class Meta:
        model = User
        fields = ["id", "email", "display_name", "language"]


class TokenInputSerializer(serializers.Serializer):
    email = serializers.EmailField(max_length=254)
    password = serializers.CharField(max_length=4096, trim_whitespace=False, write_only=True)


class TokenOutputSerializer(serializers.Serializer):
    token = serializers.CharField()


class MeOutputSerializer(serializers.ModelSerializer):
    class Meta:
        model = User
        fields = ["id", "email", "display_name", "language", "roles", "postcode"]


class MeUpdateInputSerializer(serializers.Serializer):
    display_name = StrictCharField(max_length=80, required=False)
    language = serializers.ChoiceField(choices=Language.choices, required=False)
    postcode = StrictCharField(max_length=4, min_length=4, required=False)
