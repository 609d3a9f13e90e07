"""What a person types into the request form of the web pages."""


def request_form_answers(**changes) -> dict:
    """What a person types into /requests/new/ for an ordinary request, with `changes`."""
    return {
        "category": "shopping",
        "description": "Porter les courses jusqu'au deuxième étage.",
        "postcode": "5000",
        "duration_minutes": "60",
        "recurrence": "weekly",
        "starts_on": "",
        "starts_time": "",
        "for_someone_else": "no",
        "relationship": "",
        "cared_for_age": "",
        "care_hours_per_week": "",
        **changes,
    }
