# Schemathesis hooks for the fuzz tier (api/fuzz/fuzz.ts loads them through
# SCHEMATHESIS_HOOKS).
#
# - Each run fuzzes as one role: the driver serves that role's bearer token at
#   HELPDESK_FUZZ_CREDENTIALS and makes a new one whenever the fuzzing revoked the old (a
#   password change, "sign out everywhere", an erasure...): a 401 refreshes it and retries.
# - A list's `cursor` is opaque (format `opaque-cursor`): only a `nextCursor` the same list
#   gave out is one, and the API answers 400 to anything else. No generator can draw one, so a
#   case that is valid everywhere else sends only a cursor an answer held (the stateful
#   phase follows the `nextPage` links); a made-up cursor still goes out wherever the query
#   is meant to be invalid.
# - A path parameter a link filled from a null field becomes the id of nothing.
# - A header value with spaces or tabs at either end is not sent: HTTP removes them (RFC 9110
#   §5.5), so the API receives another value than the case describes ("\tkey" arrives as
#   "key", valid, though the case counts it invalid).
# - A case with an invalid part is a negative case, and so is one without a required query
#   parameter: schemathesis 4.32.5 labelled such cases positive (the coverage phase, a header
#   boundary case whose body was `0`; the stateful phase, a step whose link filled the path
#   but not the required query), then counted the 400 as a valid request rejected.
import json
import os
import urllib.request
import uuid

import schemathesis
from schemathesis.core.parameters import ParameterLocation
from schemathesis.generation import GenerationMode

CREDENTIALS = os.environ.get("HELPDESK_FUZZ_CREDENTIALS")

if CREDENTIALS:

    @schemathesis.auth(refresh_interval=600)
    class HelpdeskToken:
        def get(self, case, ctx):
            with urllib.request.urlopen(CREDENTIALS, timeout=30) as answer:
                return json.load(answer)["token"]

        def set(self, case, data, ctx):
            case.headers = case.headers or {}
            case.headers["Authorization"] = f"Bearer {data}"


# Every nextCursor an answer held, by the list and the order it pages through (a cursor
# belongs to its sort; a search without one is sorted by relevance): the only cursors there are.
CURSORS = set()


def page_order(case):
    query = case.query or {}
    sort = query.get("sort") or ("relevance" if query.get("q") else None)
    return (case.operation.label, sort)


@schemathesis.hook
def after_call(context, case, response):
    try:
        body = response.json()
    except ValueError:
        return
    if isinstance(body, dict) and isinstance(body.get("nextCursor"), str):
        CURSORS.add((page_order(case), body["nextCursor"]))


@schemathesis.hook
def filter_case(context, case):
    return not any(
        isinstance(value, str) and value != value.strip(" \t")
        for value in (case.headers or {}).values()
    )


@schemathesis.hook
def map_case(context, case):
    name_nothing_for_null_links(case)
    negative_when_any_part_is(case)
    query = case.query
    meta = case.meta
    if not query or "cursor" not in query or meta is None:
        return case
    if meta.is_negative_at(ParameterLocation.QUERY) or (page_order(case), query["cursor"]) in CURSORS:
        return case
    del query["cursor"]
    return case


# A link inferred from a field that may be null (an outgoing mail that belongs to no ticket)
# fills the path with None, which no client sends: the id of nothing stands in for it, and
# the API must answer that with 404.
def name_nothing_for_null_links(case):
    for name, value in (case.path_parameters or {}).items():
        if value is None or value == "None":
            case.path_parameters[name] = str(uuid.uuid4())


def negative_when_any_part_is(case):
    meta = case.meta
    if meta is None or meta.generation.mode == GenerationMode.NEGATIVE:
        return
    sent = case.query or {}
    if any(part.mode == GenerationMode.NEGATIVE for part in meta.components.values()) or any(
        parameter.is_required and sent.get(parameter.name) is None for parameter in case.operation.query
    ):
        meta.generation.mode = GenerationMode.NEGATIVE
