import pytest

pytestmark = pytest.mark.django_db


def test_openapi_schema_is_served_and_lists_the_contract_endpoints(client):
    response = client.get("/api/schema/", HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    for path in (
        "/api/auth/register/",
        "/api/auth/token/",
        "/api/me/",
        "/api/geo/postcodes/{code}/",
    ):
        assert path in schema["paths"], path


def test_api_docs_page_is_served_without_any_external_script(client):
    response = client.get("/api/docs/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "swagger-ui" in html
    assert "cdn.jsdelivr.net" not in html and "unpkg.com" not in html
