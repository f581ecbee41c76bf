"""Schemathesis hooks for giro's contract run: sign in as the role under test.

The run acts with a bearer token made for it (POST /api/v1/tokens after
POST /api/v1/login). The fuzzer may delete that token (DELETE /tokens/{id}
with the token's own id); a 401 then makes schemathesis ask for credentials
again, and `get` signs in afresh. GIRO_EMAIL unset: the anonymous run, no auth.
"""

import json
import os
import urllib.request

import schemathesis

BASE = os.environ["GIRO_BASE"]
EMAIL = os.environ.get("GIRO_EMAIL")
PASSWORD = os.environ.get("GIRO_PASSWORD", "")
# The run's own user, so that it does not change its own password (below).
USER_ID = os.environ.get("GIRO_USER_ID")


def _post(path, body, cookie=None):
    req = urllib.request.Request(
        BASE + path,
        data=json.dumps(body).encode(),
        headers={"Content-Type": "application/json", **({"Cookie": cookie} if cookie else {})},
        method="POST",
    )
    with urllib.request.urlopen(req, timeout=30) as r:
        return r.headers, json.loads(r.read() or b"null")


def sign_in():
    """A fresh bearer token for the role's user."""
    headers, _ = _post("/api/v1/login", {"email": EMAIL, "password": PASSWORD})
    cookie = headers["Set-Cookie"].split(";", 1)[0]
    _, made = _post("/api/v1/tokens", {"name": "schemathesis"}, cookie)
    return made["token"]


if EMAIL:

    @schemathesis.auth()
    class Bearer:
        def get(self, case, ctx):
            return sign_in()

        def set(self, case, data, ctx):
            case.headers = case.headers or {}
            case.headers["Authorization"] = f"Bearer {data}"

    # Credentials the run could not get back: a new password on its own user
    # (PUT /users/{own id} with a password) ends its tokens and it would not
    # know the password to sign in again. Only that case is left out; every
    # other update of users, its own included, is tested.
    @schemathesis.hook("filter_case").apply_to(method="PUT", path="/api/v1/users/{id}")
    def keep_own_password(ctx, case):
        own = str((case.path_parameters or {}).get("id")) == USER_ID
        body = case.body if isinstance(case.body, dict) else {}
        return not (own and body.get("password") is not None)
