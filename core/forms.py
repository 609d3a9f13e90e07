"""Form helpers shared by every app's pages."""

from django.core.exceptions import ValidationError


class ServiceErrorsMixin:
    """Shows a service's ValidationError({field: [messages]}) next to the matching fields."""

    def add_service_errors(self, error: ValidationError) -> None:
        by_field = error.message_dict if hasattr(error, "error_dict") else {None: error.messages}
        for field, messages in by_field.items():
            target = field if field in self.fields else None
            for message in messages:
                self.add_error(target, message)
