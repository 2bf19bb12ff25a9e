"""A fake Stripe API for the real ``stripe`` SDK, and signed webhook events, both built
from Stripe's own example objects.

Stripe is faked only at the HTTP boundary: :class:`FakeStripe` is a small threaded HTTP
server on 127.0.0.1 that the SDK reaches through ``settings.STRIPE_API_BASE``. Every
response and every event starts as a copy of an example object from Stripe's public
OpenAPI ``fixtures3.json`` (kept in ``<repo>/../shared/stripe/``); only ids, amounts,
statuses and metadata are changed, so the code is tested against real shapes.
"""

import copy
import json
import re
import secrets
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

import pytest
import stripe

FIXTURES_PATH = Path(__file__).resolve().parents[1] / ".." / "shared" / "stripe" / "fixtures3.json"

_fixtures_cache = {}


def load_fixtures():
    """Stripe's example objects, keyed by resource name ("checkout.session", "refund", ...)."""
    if "resources" not in _fixtures_cache:
        path = FIXTURES_PATH.resolve()
        if not path.exists():
            pytest.skip(
                f"Stripe's example objects are missing: expected {path} "
                "(shared/stripe/fixtures3.json beside the repository)"
            )
        with open(path, encoding="utf-8") as handle:
            _fixtures_cache["resources"] = json.load(handle)["resources"]
    return _fixtures_cache["resources"]


def example(resource):
    """A fresh deep copy of Stripe's example object for ``resource``."""
    return copy.deepcopy(load_fixtures()[resource])


def new_id(prefix):
    return f"{prefix}_test_{secrets.token_hex(12)}"


def build(resource, **changes):
    """Stripe's example ``resource`` with ``changes`` applied on top (ids, amounts, ...)."""
    obj = example(resource)
    for key, value in changes.items():
        if key not in obj:
            raise KeyError(f"{resource} has no field {key!r} in Stripe's example object")
        obj[key] = value
    return obj


# --- webhook events -----------------------------------------------------------------------


def event_for(obj_type, obj, event_type, *, event_id=None, created=None):
    """A Stripe ``event`` carrying ``obj`` (a dict of changes to the ``obj_type`` example,
    or a complete object built with :func:`build`)."""
    data_object = obj if obj.get("object") == obj_type else build(obj_type, **obj)
    return build(
        "event",
        id=event_id or new_id("evt"),
        type=event_type,
        created=created or int(time.time()),
        data={"object": data_object},
    )


def sign(payload, secret, *, timestamp=None):
    """The ``Stripe-Signature`` header Stripe would send with ``payload``."""
    kwargs = {} if timestamp is None else {"timestamp": timestamp}
    return stripe.WebhookSignature.generate_signature_header(payload, secret, **kwargs)


def signed_payload(event, secret, *, timestamp=None):
    payload = json.dumps(event)
    return payload, sign(payload, secret, timestamp=timestamp)


def checkout_session(
    *,
    pledge_id,
    amount,
    currency="eur",
    session_id=None,
    payment_intent=None,
    payment_status="paid",
    status=None,
    metadata=None,
):
    """A ``checkout.session`` as Stripe sends it in checkout events for one pledge."""
    return build(
        "checkout.session",
        id=session_id or new_id("cs"),
        amount_total=amount,
        amount_subtotal=amount,
        currency=currency,
        payment_intent=payment_intent or new_id("pi"),
        payment_status=payment_status,
        status=status or ("complete" if payment_status == "paid" else "open"),
        metadata=metadata if metadata is not None else {"pledge_id": str(pledge_id)},
    )


def session_event_for(attempt, event_type="checkout.session.completed", **changes):
    """A checkout event for a ``PaymentAttempt`` as Stripe would send it.

    By default the session is paid in full; ``changes`` (``payment_status="unpaid"``,
    ``amount_total=...``, ``metadata=...``) alter the session object.
    """
    payment_status = changes.pop("payment_status", "paid")
    session = checkout_session(
        pledge_id=attempt.pledge_id,
        amount=attempt.amount_cents,
        currency=attempt.currency.lower(),
        session_id=attempt.checkout_session_id or None,
        payment_intent=attempt.payment_intent_id or None,
        payment_status=payment_status,
        status="expired" if event_type == "checkout.session.expired" else None,
    )
    for key, value in changes.items():
        if key not in session:
            raise KeyError(f"checkout.session has no field {key!r}")
        session[key] = value
    return event_for("checkout.session", session, event_type)


def refunded_charge(*, payment_intent, amount, currency="eur", refund_id=None, metadata=None):
    """A fully refunded ``charge``, as in ``charge.refunded``."""
    charge_id = new_id("ch")
    refund = build(
        "refund",
        id=refund_id or new_id("re"),
        amount=amount,
        currency=currency,
        charge=charge_id,
        payment_intent=payment_intent,
        status="succeeded",
    )
    refunds = example("charge")["refunds"]
    refunds.update(data=[refund], url=f"/v1/charges/{charge_id}/refunds")
    return build(
        "charge",
        id=charge_id,
        amount=amount,
        amount_captured=amount,
        amount_refunded=amount,
        captured=True,
        currency=currency,
        payment_intent=payment_intent,
        refunded=True,
        refunds=refunds,
        metadata=metadata or {},
    )


# --- the fake API server ------------------------------------------------------------------


@dataclass
class RecordedRequest:
    method: str
    path: str
    params: dict
    headers: dict = field(default_factory=dict)

    def header(self, name):
        return self.headers.get(name.lower())


def parse_form(body):
    """Stripe's form encoding (``a[b][0][c]=1``) back into nested dicts and lists."""
    root = {}
    for key, value in parse_qsl(body, keep_blank_values=True):
        parts = re.findall(r"[^\[\]]+", key)
        node = root
        for part in parts[:-1]:
            node = node.setdefault(part, {})
        node[parts[-1]] = value
    return _lists_from_indexed_dicts(root)


def _lists_from_indexed_dicts(node):
    if not isinstance(node, dict):
        return node
    converted = {key: _lists_from_indexed_dicts(value) for key, value in node.items()}
    if converted and all(key.isdigit() for key in converted):
        return [converted[key] for key in sorted(converted, key=int)]
    return converted


def stripe_error(status, message, *, error_type="api_error", code=None):
    """An error body in Stripe's shape."""
    error = {"type": error_type, "message": message}
    if code:
        error["code"] = code
    return status, {"error": error}


class FakeStripe:
    """The few Stripe endpoints the platform calls, served over real HTTP.

    - ``POST /v1/checkout/sessions`` and ``GET /v1/checkout/sessions/<id>``
    - ``POST /v1/refunds`` and ``GET /v1/refunds/<id>``

    Every POST is idempotent by its ``Idempotency-Key`` header, as at Stripe: the same key
    returns the stored response and creates nothing new. ``fail_refunds(n)`` and
    ``fail_checkouts(n)`` make the next ``n`` calls (per idempotency key for refunds) answer
    HTTP 500 with a Stripe error body. Every request is recorded in ``requests``.
    """

    def __init__(self, api_key_prefix="sk_test_"):
        self.api_key_prefix = api_key_prefix
        self.requests = []
        self.sessions = {}
        self.refunds = {}
        self.refund_status = "succeeded"
        self.session_payment_intent = True
        self._idempotent = {}
        self._refund_failures_per_key = 0
        self._refund_failures_seen = {}
        self._checkout_failures = 0
        self._lock = threading.Lock()
        self._server = None
        self._thread = None

    # control -------------------------------------------------------------------------

    def start(self):
        fake = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self):
                fake._handle(self, "GET")

            def do_POST(self):
                fake._handle(self, "POST")

            def do_DELETE(self):
                fake._handle(self, "DELETE")

            def log_message(self, format, *args):  # noqa: A002 - keep test output quiet
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()
        return self

    def stop(self):
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._thread.join(timeout=5)
            self._server = None

    @property
    def url(self):
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def fail_refunds(self, times):
        """Each refund idempotency key gets ``times`` HTTP 500 answers before it succeeds."""
        with self._lock:
            self._refund_failures_per_key = times

    def fail_checkouts(self, times):
        """The next ``times`` Checkout Session creations answer HTTP 500."""
        with self._lock:
            self._checkout_failures = times

    # inspection ----------------------------------------------------------------------

    def requests_to(self, method, path):
        return [r for r in self.requests if r.method == method and r.path == path]

    @property
    def checkout_requests(self):
        return self.requests_to("POST", "/v1/checkout/sessions")

    @property
    def refund_requests(self):
        return self.requests_to("POST", "/v1/refunds")

    # serving -------------------------------------------------------------------------

    def _handle(self, handler, method):
        path = urlsplit(handler.path).path
        length = int(handler.headers.get("Content-Length") or 0)
        body = handler.rfile.read(length).decode() if length else ""
        query = urlsplit(handler.path).query
        params = parse_form(body if method == "POST" else query)
        headers = {name.lower(): value for name, value in handler.headers.items()}
        with self._lock:
            self.requests.append(RecordedRequest(method, path, params, headers))
        status, payload = self._respond(method, path, params, headers)
        data = json.dumps(payload).encode()
        handler.send_response(status)
        handler.send_header("Content-Type", "application/json")
        handler.send_header("Content-Length", str(len(data)))
        handler.send_header("Request-Id", new_id("req"))
        # One connection per request, so that stop() really makes Stripe unreachable.
        handler.send_header("Connection", "close")
        handler.end_headers()
        handler.wfile.write(data)

    def _respond(self, method, path, params, headers):
        authorization = headers.get("authorization", "")
        if not authorization.startswith(f"Bearer {self.api_key_prefix}"):
            return stripe_error(
                401, "Invalid API Key provided.", error_type="invalid_request_error"
            )
        routes = {
            ("POST", "/v1/checkout/sessions"): self._create_session,
            ("POST", "/v1/refunds"): self._create_refund,
        }
        if (method, path) in routes:
            return self._idempotent_post(path, params, headers, routes[(method, path)])
        if method == "GET":
            for prefix, store in (
                ("/v1/checkout/sessions/", self.sessions),
                ("/v1/refunds/", self.refunds),
            ):
                if path.startswith(prefix):
                    with self._lock:
                        obj = store.get(path[len(prefix) :])
                    if obj is None:
                        return stripe_error(
                            404,
                            f"No such object: '{path[len(prefix) :]}'",
                            error_type="invalid_request_error",
                            code="resource_missing",
                        )
                    return 200, obj
        return stripe_error(
            404, f"Unrecognized request URL ({method}: {path}).", error_type="invalid_request_error"
        )

    def _idempotent_post(self, path, params, headers, create):
        key = headers.get("idempotency-key")
        with self._lock:
            if key and (path, key) in self._idempotent:
                stored_params, response = self._idempotent[(path, key)]
                if stored_params != params:
                    return stripe_error(
                        400,
                        "Keys for idempotent requests can only be used with the same "
                        "parameters they were first used with.",
                        error_type="idempotency_error",
                    )
                return response
            response = create(params, key)
            if key and response[0] < 500:
                self._idempotent[(path, key)] = (params, response)
            return response

    def _create_session(self, params, key):
        if self._checkout_failures > 0:
            self._checkout_failures -= 1
            return stripe_error(500, "An unknown error occurred (fake Stripe outage).")
        item = params["line_items"][0]
        amount = int(item["price_data"]["unit_amount"]) * int(item.get("quantity", 1))
        session_id = new_id("cs")
        session = build(
            "checkout.session",
            id=session_id,
            amount_total=amount,
            amount_subtotal=amount,
            currency=item["price_data"]["currency"],
            metadata=params.get("metadata", {}),
            client_reference_id=params.get("client_reference_id"),
            customer_email=params.get("customer_email"),
            locale=params.get("locale"),
            mode=params.get("mode", "payment"),
            payment_method_types=params.get("payment_method_types", ["card"]),
            payment_intent=new_id("pi") if self.session_payment_intent else None,
            payment_status="unpaid",
            status="open",
            success_url=params.get("success_url"),
            cancel_url=params.get("cancel_url"),
            created=int(time.time()),
            expires_at=int(time.time()) + 24 * 3600,
            url=f"https://checkout.stripe.com/c/pay/{session_id}",
        )
        self.sessions[session_id] = session
        return 200, session

    def _create_refund(self, params, key):
        seen = self._refund_failures_seen.get(key, 0)
        if seen < self._refund_failures_per_key:
            self._refund_failures_seen[key] = seen + 1
            return stripe_error(500, "An unknown error occurred (fake Stripe outage).")
        if not params.get("payment_intent") and not params.get("charge"):
            return stripe_error(
                400,
                "One of the following params should be provided for this request: "
                "payment_intent or charge.",
                error_type="invalid_request_error",
                code="parameter_missing",
            )
        refund = build(
            "refund",
            id=new_id("re"),
            amount=int(params["amount"]),
            currency="eur",
            charge=new_id("ch"),
            payment_intent=params.get("payment_intent"),
            metadata=params.get("metadata", {}),
            status=self.refund_status,
            created=int(time.time()),
        )
        self.refunds[refund["id"]] = refund
        return 200, refund
