"""Open311 GeoReport v2 of the running demo server, driven by an independent client: the PyPI `open311`
package (see open311_client.py for the Python 3 port of its imports), plus the JSON format checked by hand."""
import uuid

import pytest
import requests

import open311_client
from test_serve import SLUG


@pytest.fixture(scope="module")
def client(demo_server, tmp_path_factory):
    Open311 = open311_client.load(tmp_path_factory.mktemp("open311"))
    c = Open311(endpoint=demo_server["base"] + "/open311/v2", format="xml", jurisdiction=SLUG, api_key=demo_server["token"])
    # The client sends api_key with POST only; reading requests needs it too: its own required_params carry it.
    c.required_params = {"api_key": demo_server["token"]}
    c.keyless = Open311(endpoint=demo_server["base"] + "/open311/v2", format="xml", jurisdiction=SLUG)
    return c


def as_list(x):
    return x if isinstance(x, list) else [x]


def test_services_are_the_rubricator(client):
    # Services are public: the client without a key lists them too.
    assert as_list(client.keyless.service_list())
    services = as_list(client.service_list())
    names = {s["service_name"] for s in services}
    assert {"Дороги", "Ямы на дороге", "Отсутствие холодной воды"} <= names, sorted(names)[:20]
    pit = next(s for s in services if s["service_name"] == "Ямы на дороге")
    assert pit["group"] == "Дороги" and pit["metadata"] == "false"
    assert pit["description"] == "Дороги / Содержание дорог / Ямы на дороге"
    definition = client.service_definition(pit["service_code"])
    assert definition["service_definition"]["service_code"] == pit["service_code"]


def test_post_then_read_back_by_id_and_with_filters(client, demo_server):
    pit = next(s for s in as_list(client.service_list()) if s["service_name"] == "Ямы на дороге")
    marker = uuid.uuid4().hex[:8]
    created = client.post_service_request(service_code=pit["service_code"], lat="56.0153", long="92.8932",
                                          address_string="ул. Вымышленная, 7",
                                          description=f"Яма у подъезда, глубокая (Open311-клиент, {marker})",
                                          first_name="Пётр", last_name="Клиентов (тест)", email="petr@example.org")
    req = created["service_requests"]["request"]
    number = req["service_request_id"]
    assert number.isdigit() and "зарегистрировано" in req["service_notice"]

    one = client.get_service_request(number)["service_requests"]["request"]
    assert one["status"] == "open" and one["status_notes"] == "Новое"
    assert one["service_code"] == pit["service_code"] and one["agency_responsible"]
    assert one["description"].endswith(f"{marker})") and one["address"] == "ул. Вымышленная, 7"
    assert one["expected_datetime"] > one["requested_datetime"], "срок ответа после поступления"
    assert "email" not in one and "first_name" not in one, "личные данные заявителя не выдаются"

    # Reading requests without a key is refused.
    with pytest.raises(Exception) as refused:
        client.keyless.service_requests(service_code=pit["service_code"])
    assert "403" in str(refused.value)
    found = as_list(client.service_requests(service_code=pit["service_code"], status="open"))
    assert number in [r["service_request_id"] for r in found]
    assert all(r["status"] == "open" and r["service_code"] == pit["service_code"] for r in found)
    closed = as_list(client.service_requests(status="closed"))
    assert closed and all(r["status"] == "closed" for r in closed), "в демо есть закрытые обращения"

    # The same request in JSON, and an error in the standard's format.
    base = demo_server["base"] + "/open311/v2"
    params = {"jurisdiction_id": SLUG, "api_key": demo_server["token"]}
    j = requests.get(f"{base}/requests/{number}.json", params=params).json()
    assert j[0]["service_request_id"] == number and j[0]["lat"] == 56.0153
    bad = requests.post(f"{base}/requests.json", params=params, data={"service_code": pit["service_code"]})
    assert bad.status_code == 400 and "Укажите место" in bad.json()[0]["description"]
    discovery = requests.get(demo_server["base"] + "/open311/discovery.json").json()
    assert discovery["endpoints"][0]["url"].endswith("/open311/v2")
