#!/usr/bin/env python3
"""A partner's program, using only the documented API and a token (standard library only):
it keeps a copy of an edition's registrations up to date, asking each time only for what
changed since its last run (and dropping the people erased since), and checks people in by
their badge's code.

    python3 examples/api_sync.py --base https://site --token rct_… --edition 15 [--state s.json]
    python3 examples/api_sync.py ... --check-in "<badge code>"
"""

import argparse
import json
import pathlib
import urllib.error
import urllib.parse
import urllib.request
import uuid


class Api:
    def __init__(self, base, token):
        self.base, self.token = base.rstrip("/"), token

    def call(self, method, url, body=None, key=None):
        if not url.startswith("http"):
            url = f"{self.base}/api/v1/{url}"
        headers = {"Authorization": f"Bearer {self.token}", "Accept": "application/json"}
        data = None
        if body is not None:
            data = json.dumps(body).encode()
            headers["Content-Type"] = "application/json"
            headers["Idempotency-Key"] = key or str(uuid.uuid4())  # a retry creates nothing twice
        if not url.startswith(("https://", "http://")):
            raise ValueError("the API is reached over HTTP(S) only")
        request = urllib.request.Request(url, data=data, headers=headers, method=method)  # noqa: S310
        try:
            with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
                return response.status, json.load(response)
        except urllib.error.HTTPError as error:
            return error.code, json.load(error)


def sync(api, edition, state):
    """Fetch every registration changed since `state["since"]` into `state["people"]`."""
    query = {"status": "all"}
    if state.get("since"):
        query["modified_since"] = state["since"]
    url = f"editions/{edition}/registrations/?{urllib.parse.urlencode(query)}"
    fetched = 0
    while url:
        status, page = api.call("GET", url)
        if status != 200:
            raise RuntimeError(f"{status}: {page}")
        for person in page["results"]:
            state.setdefault("people", {})[person["id"]] = person
            state["since"] = max(state.get("since") or "", person["updated_at"])
            fetched += 1
        url = page["next"]
    forget_erased(api, edition, state)
    return fetched


def forget_erased(api, edition, state):
    """Drop the people erased since the last run (at their request or at the end of their
    retention): the API lists their former ids."""
    query = {"modified_since": state["erased_since"]} if state.get("erased_since") else {}
    url = f"editions/{edition}/erasures/?{urllib.parse.urlencode(query)}"
    while url:
        status, page = api.call("GET", url)
        if status != 200:
            raise RuntimeError(f"{status}: {page}")
        for erased in page["results"]:
            state.get("people", {}).pop(erased["id"], None)
            state["erased_since"] = max(state.get("erased_since") or "", erased["erased_at"])
        url = page["next"]


def check_in(api, edition, badge, key=None):
    return api.call("POST", f"editions/{edition}/checkins/", {"badge": badge}, key=key)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--base", required=True)
    parser.add_argument("--token", required=True)
    parser.add_argument("--edition", type=int, required=True)
    parser.add_argument("--state", default="registrations.json")
    parser.add_argument("--check-in", dest="badge")
    args = parser.parse_args()
    api = Api(args.base, args.token)
    if args.badge:
        status, answer = check_in(api, args.edition, args.badge)
        print(status, answer.get("status"), answer.get("reason", ""))
        return
    path = pathlib.Path(args.state)
    state = json.loads(path.read_text()) if path.exists() else {}
    fetched = sync(api, args.edition, state)
    path.write_text(json.dumps(state, ensure_ascii=False, indent=1))
    print(f"fetched={fetched} held={len(state.get('people', {}))} since={state.get('since')}")


if __name__ == "__main__":
    main()
