"""The open-data files are built by a job and served as stored; requests never build them."""

import gzip
import json
from datetime import timedelta

import pytest
from django.conf import settings
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from campaigns.models import Campaign
from tasks import jobs
from tasks.capital import exports, files, stored
from tests.capital.helpers import download
from tests.celery_broker import broker_down, celery_conf
from tests.factories import make_initiative, pay, site_tree

pytestmark = pytest.mark.django_db

PERIOD = 3600
FILES_PER_PLACE = 8  # 2 kinds x 2 formats x 2 languages


def _place(page):
    return page.url_path.split("/", 2)[2].strip("/")


def _read(language, place, kind, fmt):
    blocks = stored.PlainBlocks(*stored.open_newest(stored.file_key(language, place, kind, fmt)))
    try:
        return b"".join(blocks).decode()
    finally:
        blocks.close()


def _refuse_to_build(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("built inside the request")

    monkeypatch.setattr(exports, "initiative_rows", refuse)
    monkeypatch.setattr(exports, "month_rows", refuse)


def test_the_job_builds_and_stores_every_file_of_a_place():
    _home, city, neighbourhood = site_tree()
    campaign = make_initiative(neighbourhood, title="Geveltuinen")
    for amount in (10_00, 20_00, 30_00):
        pay(campaign, amount)
    place = _place(city)
    assert jobs.build_open_data.delay(place).get() == FILES_PER_PLACE
    assert "Geveltuinen" in _read("nl", place, "initiatives", "csv")
    dutch = json.loads(_read("nl", place, "initiatives", "json"))
    english = json.loads(_read("en", place, "initiatives", "json"))
    assert dutch["documentation"] == "http://testserver/open-data/"
    assert english["documentation"] == "http://testserver/en/open-data/"
    assert dutch["initiatives"][0]["url"].startswith("http://testserver/")
    assert english["initiatives"][0]["url"].startswith("http://testserver/en/")
    assert dutch["initiatives"][0]["raised_cents"] == 60_00
    assert dutch["generated_at"]
    assert json.loads(_read("en", place, "months", "json"))["months"]


def test_each_kind_is_read_once_for_all_its_languages_and_formats(monkeypatch):
    _home, _city, neighbourhood = site_tree()
    make_initiative(neighbourhood, title="Geveltuinen")
    reads = []
    for name in ("initiative_rows", "month_rows"):
        original = getattr(exports, name)

        def counted(*args, _original=original, _name=name):
            reads.append(_name)
            return _original(*args)

        monkeypatch.setattr(exports, name, counted)
    assert len(files.build("all")) == FILES_PER_PLACE
    assert sorted(reads) == ["initiative_rows", "month_rows"]
    assert "Geveltuinen" in _read("en", "all", "initiatives", "csv")
    assert "/en/" in _read("en", "all", "initiatives", "csv")
    assert "/en/" not in _read("nl", "all", "initiatives", "csv")


def test_duplicate_runs_are_harmless_and_keep_at_most_two_files_a_download():
    _home, city, neighbourhood = site_tree()
    make_initiative(neighbourhood, title="Geveltuinen")
    assert jobs.build_open_data.delay("all").get() == FILES_PER_PLACE
    assert jobs.build_open_data.delay("all").get() == 0  # fresh: nothing built again
    for _ in range(3):
        assert jobs.build_open_data.delay("all", fresh_seconds=0).get() == FILES_PER_PLACE
    key = stored.file_key("nl", "all", "initiatives", "csv")
    _dirs, names = default_storage.listdir(stored.folder_of(key))
    assert len(names) == stored.KEEP
    assert stored.newest(key).name.endswith(max(names))
    assert "Geveltuinen" in _read("nl", "all", "initiatives", "csv")


def test_a_place_unpublished_since_it_was_queued_is_dropped():
    site_tree()
    assert jobs.build_open_data.delay("nergens/meer").get() == 0


@pytest.mark.parametrize("kind", ["initiatives", "months"])
@pytest.mark.parametrize("fmt", ["csv", "json"])
def test_a_download_is_the_stored_file_without_queries(client, kind, fmt):
    _home, city, neighbourhood = site_tree()
    campaign = make_initiative(neighbourhood, title="Geveltuinen")
    for amount in (10_00, 20_00, 30_00):
        pay(campaign, amount)
    jobs.build_open_data.delay(_place(city)).get()
    url = f"/open-data/{_place(city)}/{kind}.{fmt}"
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
        body = b"".join(response.streaming_content).decode()
    assert len(queries) == 0, [query["sql"] for query in queries]
    assert body == _read("nl", _place(city), kind, fmt)
    assert "max-age=3600" in response["Cache-Control"]
    assert response["Last-Modified"].endswith("GMT")
    assert (
        f'filename="wijkkapitaal-{_place(city).replace("/", "-")}-{kind}.{fmt}"'
        in (response["Content-Disposition"])
    )


def test_a_request_never_builds_when_a_file_exists_even_an_old_one(client, monkeypatch):
    site_tree()
    old = timezone.now() - timedelta(seconds=PERIOD * 1.5)
    key = stored.file_key("nl", "all", "initiatives", "csv")
    stored.store(key, iter(["title\r\n", "Van vorige keer\r\n"]), "csv", old)
    _refuse_to_build(monkeypatch)
    queued = []
    monkeypatch.setattr(jobs.build_open_data, "delay", lambda *args: queued.append(args))
    response = client.get("/open-data/all/initiatives.csv")
    assert b"".join(response.streaming_content) == b"title\r\nVan vorige keer\r\n"
    assert queued == []  # beat builds the next one
    cache.clear()  # the cache lost the name: the storage still has the file
    response = client.get("/open-data/all/initiatives.csv")
    assert b"Van vorige keer" in b"".join(response.streaming_content)
    assert queued == []


def test_a_file_older_than_two_periods_is_served_and_a_build_queued(client, monkeypatch):
    site_tree()
    key = stored.file_key("nl", "all", "months", "csv")
    very_old = timezone.now() - timedelta(seconds=PERIOD * 3)
    stored.store(key, iter(["month\r\n"]), "csv", very_old)
    _refuse_to_build(monkeypatch)
    queued = []
    monkeypatch.setattr(jobs.build_open_data, "delay", lambda *args: queued.append(args))
    for _ in range(2):
        assert b"".join(client.get("/open-data/all/months.csv").streaming_content) == b"month\r\n"
    assert queued == [("all",)]  # once, while it is queued


def test_old_files_of_a_place_unpublished_since_are_no_longer_served(client):
    _home, city, _neighbourhood = site_tree()
    key = stored.file_key("nl", _place(city), "months", "csv")
    stored.store(key, iter(["month\r\n"]), "csv", timezone.now() - timedelta(seconds=PERIOD))
    very_old = timezone.now() - timedelta(seconds=PERIOD * 3)
    stored.store(key, iter(["month\r\n"]), "csv", very_old)
    city.unpublish()
    assert client.get(f"/open-data/{_place(city)}/months.csv").status_code == 200  # not old
    default_storage.delete(stored.newest(key).name)
    cache.clear()
    assert client.get(f"/open-data/{_place(city)}/months.csv").status_code == 404


def _queued(app, queue):
    with app.connection_for_read() as connection_, connection_.SimpleQueue(queue) as simple:
        messages = []
        while simple.qsize():
            message = simple.get(timeout=1)
            messages.append((message.headers["task"], json.loads(message.body)[0]))
            message.ack()
    return messages


def test_without_a_file_a_request_queues_the_build_and_answers_503(client):
    _home, city, _neighbourhood = site_tree()
    with celery_conf(task_always_eager=False, broker_url="memory://") as app:
        _queued(app, "bulk")
        dutch = client.get(f"/open-data/{_place(city)}/initiatives.csv")
        english = client.get(f"/en/open-data/{_place(city)}/months.json")
        assert _queued(app, "bulk") == [("tasks.jobs.build_open_data", [_place(city)])]
    assert dutch.status_code == english.status_code == 503
    assert int(dutch["Retry-After"]) > 0
    assert "no-store" in dutch["Cache-Control"]
    assert "wordt klaargemaakt" in dutch.content.decode()
    assert "being prepared" in english.content.decode()


def test_with_the_broker_down_a_request_without_a_file_still_answers_503(client):
    site_tree()
    with broker_down():
        response = client.get("/open-data/all/initiatives.csv")
    assert response.status_code == 503
    assert cache.get(jobs._building_key("all")) is None  # the next request tries again


def test_an_unknown_place_is_404_and_queues_nothing(client):
    site_tree()
    with celery_conf(task_always_eager=False, broker_url="memory://") as app:
        _queued(app, "bulk")
        assert client.get("/open-data/nergens/initiatives.csv").status_code == 404
        assert _queued(app, "bulk") == []


def test_with_jobs_in_process_the_first_request_builds_and_serves(client):
    """The embedded default (no REDIS_URL) runs jobs eagerly: the build happens at once."""
    _home, city, neighbourhood = site_tree()
    make_initiative(neighbourhood, title="Geveltuinen")
    assert "Geveltuinen" in download(client, f"/open-data/{_place(city)}/initiatives.csv")
    assert stored.newest(stored.file_key("en", _place(city), "months", "json")) is not None


def test_a_build_that_fails_in_process_answers_503_and_can_be_asked_again(client, monkeypatch):
    site_tree()

    def broken(*args, **kwargs):
        raise RuntimeError("database gone")

    monkeypatch.setattr(exports, "month_rows", broken)
    response = client.get("/open-data/all/months.csv")
    assert response.status_code == 503
    monkeypatch.undo()
    assert download(client, "/open-data/all/months.csv").startswith("month,")


def test_the_next_period_serves_the_next_build(client):
    _home, city, neighbourhood = site_tree()
    make_initiative(neighbourhood, title="Geveltuinen")
    url = f"/open-data/{_place(city)}/initiatives.json"
    assert len(json.loads(download(client, url))["initiatives"]) == 1
    make_initiative(neighbourhood, title="Speeltuin")
    assert len(json.loads(download(client, url))["initiatives"]) == 1  # this period's file
    later = timezone.now() + timedelta(seconds=PERIOD)
    assert len(files.build(_place(city), fresh_seconds=PERIOD // 2, now=later)) == 8
    assert len(json.loads(download(client, url))["initiatives"]) == 2


def test_beat_refreshes_every_place_more_often_than_the_period():
    _home, city, neighbourhood = site_tree()
    (entry,) = [
        entry
        for entry in settings.CELERY_BEAT_SCHEDULE.values()
        if entry["task"] == "tasks.jobs.refresh_open_data"
    ]
    assert entry["schedule"] < settings.WIJKKAPITAAL["OPEN_DATA_CACHE_SECONDS"]
    assert settings.CELERY_TASK_ROUTES["tasks.jobs.build_open_data"] == {"queue": "bulk"}
    assert jobs.refresh_open_data.delay().get() == 3
    for place in ("all", _place(city), _place(neighbourhood)):
        assert stored.newest(stored.file_key("nl", place, "initiatives", "csv")) is not None


def test_without_a_period_nothing_is_stored(client, settings):
    settings.WIJKKAPITAAL = {**settings.WIJKKAPITAAL, "OPEN_DATA_CACHE_SECONDS": 0}
    _home, city, neighbourhood = site_tree()
    make_initiative(neighbourhood, title="Geveltuinen")
    url = f"/open-data/{_place(city)}/initiatives.csv"
    download(client, url)
    make_initiative(neighbourhood, title="Speeltuin")
    assert "Speeltuin" in download(client, url)
    assert stored.newest(stored.file_key("nl", _place(city), "initiatives", "csv")) is None


def test_the_rows_are_read_in_chunks_with_a_query_count_that_does_not_grow():
    """Two grouped queries for the rule and one streamed query, whatever the number."""
    _home, city, neighbourhood = site_tree()
    lonely = make_initiative(neighbourhood, title="Een gift")
    pay(lonely, 10_00)  # one donor: withheld, and the fewest of the others joins it
    exports_of = []
    for size in (2, 6):
        while Campaign.objects.count() < size:
            campaign = make_initiative(neighbourhood, title=f"Initiatief {size}")
            for amount in (10_00, 20_00, 30_00):
                pay(campaign, amount)
        list(exports.initiative_rows(city, lambda page: page.url))  # per-process caches
        with CaptureQueriesContext(connection) as queries:
            rows = list(exports.initiative_rows(city, lambda page: page.url))
        exports_of.append((len(rows), len(queries)))
    assert rows[-1]["title"] == exports.COMBINED and rows[-1]["combined_rows"] == 2
    assert [count for _, count in exports_of] == [4, 4]
    assert [length for length, _ in exports_of] == [3, 7]


def test_files_are_stored_compressed_and_sent_compressed_to_who_accepts_gzip(client):
    _home, _city, neighbourhood = site_tree()
    make_initiative(neighbourhood, title="Geveltuinen")
    jobs.build_open_data.delay("all").get()
    found = stored.newest(stored.file_key("nl", "all", "initiatives", "csv"))
    assert found.name.endswith(".csv.gz")

    plain = client.get("/open-data/all/initiatives.csv")
    assert "Content-Encoding" not in plain
    body = b"".join(plain.streaming_content)
    assert b"Geveltuinen" in body

    compressed = client.get("/open-data/all/initiatives.csv", HTTP_ACCEPT_ENCODING="br, gzip")
    assert compressed["Content-Encoding"] == "gzip"
    assert compressed["Content-Type"] == "text/csv; charset=utf-8"
    raw = b"".join(compressed.streaming_content)
    assert int(compressed["Content-Length"]) == len(raw)
    assert gzip.decompress(raw) == body
    for response in (plain, compressed):
        assert "Accept-Encoding" in response["Vary"]
        assert "attachment" in response["Content-Disposition"]


def test_a_plain_file_from_before_compression_is_still_served_plain(client):
    site_tree()
    key = stored.file_key("nl", "all", "months", "csv")
    name = default_storage.save(
        f"{stored.folder_of(key)}/{timezone.now().strftime(stored.STAMP)}.csv",
        ContentFile(b"month\r\n"),
    )
    cache.clear()
    assert stored.newest(key).name == name
    response = client.get("/open-data/all/months.csv", HTTP_ACCEPT_ENCODING="gzip")
    assert "Content-Encoding" not in response
    assert b"".join(response.streaming_content) == b"month\r\n"
