"""Reading dashboards to import: files as found, and a live (fake) Grafana with its folders."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from pfm_dash.client import BearerToken, GrafanaClient, GrafanaError
from pfm_dash.errors import ConfigError, DeclarationErrors
from pfm_dash.importing.dashboards import from_grafana, module_name, read_files
from pfm_dash.model.dashboard import Folder
from pfm_dash.testing.fake_grafana import FakeGrafana

TOKEN = "glsa_importTEST_S3CRET_91bb"


@pytest.fixture
def client() -> Iterator[GrafanaClient]:
    with FakeGrafana() as fake:
        fake.add_token(TOKEN)
        api = GrafanaClient(fake.url, BearerToken(TOKEN), timeout=5.0)
        api.create_folder("infra", "Infrastructure")
        api.create_folder("k8s", "Kubernetes", parent_uid="infra")
        for uid, folder in (("a", "k8s"), ("b", "k8s"), ("c", "")):
            board = {"uid": uid, "title": f"Board {uid}", "panels": [], "schemaVersion": 39}
            api.save_dashboard(board, folder, overwrite=False, message="seed")
        yield api
        api.close()


def test_module_names_come_from_titles() -> None:
    assert module_name("Kubernetes / Compute Resources / Pod") == "kubernetes_compute_resources_pod"
    assert module_name("2024 costs") == "dashboard_2024_costs"
    assert module_name("import") == "import_dashboard"


def test_a_dashboard_keeps_its_nested_folder(client: GrafanaClient) -> None:
    found = {item.data["uid"]: item for item in from_grafana(client)}
    assert set(found) == {"a", "b", "c"}
    infra = Folder(uid="infra", title="Infrastructure")
    assert found["a"].folder == Folder(uid="k8s", title="Kubernetes", parent=infra)
    assert found["a"].folder is found["b"].folder  # one Folder per Grafana folder
    assert found["c"].folder is None
    assert found["a"].source == f"{client.base_url}/d/a"


def test_by_folder_title_or_uid_and_by_uid(client: GrafanaClient) -> None:
    assert sorted(i.data["uid"] for i in from_grafana(client, folder="Kubernetes")) == ["a", "b"]
    assert sorted(i.data["uid"] for i in from_grafana(client, folder="k8s")) == ["a", "b"]
    assert [i.data["uid"] for i in from_grafana(client, uids=["c", "a", "c"])] == ["c", "a"]
    with pytest.raises(ConfigError, match="no dashboard with uid 'zz'"):
        from_grafana(client, uids=["zz"])


def test_a_search_that_cannot_list_everything_fails_rather_than_import_part() -> None:
    with FakeGrafana(search_ignores_page=True) as fake:
        fake.add_token(TOKEN)
        api = GrafanaClient(fake.url, BearerToken(TOKEN), timeout=5.0)
        for uid in ("a", "b", "c"):
            api.save_dashboard({"uid": uid, "title": uid}, "", overwrite=False, message="seed")
        assert len(from_grafana(api, page_size=5)) == 3
        with pytest.raises(GrafanaError, match="did not list every dashboard"):
            from_grafana(api, page_size=2)
        api.close()


def test_files_as_exported_or_as_the_api_answers(tmp_path: Path) -> None:
    plain = tmp_path / "plain.json"
    plain.write_text('{"uid": "p", "title": "P"}')
    wrapped = tmp_path / "wrapped.json"
    wrapped.write_text('{"dashboard": {"uid": "w", "title": "W"}, "meta": {}}')
    assert [i.data["uid"] for i in read_files([plain, wrapped])] == ["p", "w"]
    broken = tmp_path / "broken.json"
    broken.write_text("{\n\n  nope")
    with pytest.raises(DeclarationErrors) as caught:
        read_files([plain, broken])
    assert [str(e.location) for e in caught.value.errors] == [f"{broken}:3"]
