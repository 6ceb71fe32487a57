"""HTTP to a remote SPARQL store: one request at a time, with the store's credentials when it asks
for them, and every failure as a StoreError naming the store and what to do (English and Japanese).

Credentials (a user and a password) answer HTTP Basic and Digest challenges (Virtuoso's
`/sparql-auth` and `/sparql-graph-crud-auth` ask with Digest; Fuseki with Basic); they are sent only
to the store's own host and port, and never appear in a message."""

from __future__ import annotations

import http.client
import socket
import urllib.error
import urllib.request
from urllib.parse import urlsplit

from .dataset import StoreError

# Virtuoso echoes each default-graph-uri / named-graph-uri parameter as a response header (the
# remote store sends it pragmas instead); Python's HTTP client refuses an answer with more than
# 100 headers unless this limit is raised.
MAX_HEADERS = 1_000_000


class _AnsweringDigest(urllib.request.HTTPDigestAuthHandler):
    """HTTP Digest that, once challenged, sends its answer with every later request. A server
    may refuse a request before reading its body (Virtuoso's authenticated graph store closes the
    connection on a PUT of a case, a broken pipe rather than a 401 to answer); the first request
    of a store is a small query, so no request that carries a case has to be challenged."""

    challenge: dict | None = None

    def retry_http_digest_auth(self, req, auth):
        _, challenge = auth.split(" ", 1)
        self.challenge = urllib.request.parse_keqv_list(filter(None, urllib.request.parse_http_list(challenge)))
        return super().retry_http_digest_auth(req, auth)

    def http_request(self, req):
        if self.challenge is not None and not req.has_header(self.auth_header):
            answer = self.get_authorization(req, self.challenge)
            if answer:
                req.add_unredirected_header(self.auth_header, f"Digest {answer}")
        return req

    https_request = http_request


class StoreClient:
    """Sends requests to one store's URLs, answering its authentication challenges."""

    def __init__(self, urls: list[str], user: str | None = None, password: str | None = None):
        self.user = user
        if user is None:
            self.opener = urllib.request.build_opener()
            return
        if password is None:
            raise StoreError(f"a user ({user}) was given for the store but no password; set $CHOSAKU_STORE_PASSWORD",
                             f"ストアのユーザー（{user}）が指定されましたがパスワードがありません。"
                             "$CHOSAKU_STORE_PASSWORD を設定してください")
        # (after one accepted Basic answer, later requests carry it from the start: see _AnsweringDigest)
        passwords = urllib.request.HTTPPasswordMgrWithPriorAuth()
        for url in urls:
            parts = urlsplit(url)
            passwords.add_password(None, f"{parts.scheme}://{parts.netloc}/", user, password)
        self.opener = urllib.request.build_opener(urllib.request.HTTPBasicAuthHandler(passwords),
                                                  _AnsweringDigest(passwords))

    def request(self, method: str, url: str, body: bytes | None, headers: dict, timeout: float):
        """(status, headers, body) of one request; a StoreError for any failure."""
        request = urllib.request.Request(url, data=body, headers=headers, method=method)
        http.client._MAXHEADERS = max(getattr(http.client, "_MAXHEADERS", 100), MAX_HEADERS)
        try:
            with self.opener.open(request, timeout=timeout) as response:
                return response.status, response.headers, response.read()
        except urllib.error.HTTPError as error:
            if error.code == 401:
                raise self._unauthorised(url, method) from error
            text = error.read().decode("utf-8", errors="replace").strip()
            # Virtuoso stops a query at its time limit with "S1T00 … Transaction timed out" or, when it
            # cancels the running statement, SQL state HY008 ("Async statement killed by SQLCancel")
            hint = " (timed out on the server)" if error.code in (503, 504) or "timeout" in text.lower() \
                or "timed out" in text.lower() or "HY008" in text else ""
            raise StoreError(f"the SPARQL store at {url} answered {method} with {error.code} {error.reason}{hint}: "
                             f"{text[:400]}",
                             f"SPARQLストア {url} が {method} に {error.code} {error.reason} を返しました: {text[:400]}") from error
        except (socket.timeout, TimeoutError) as error:
            raise StoreError(f"the SPARQL store at {url} timed out after {timeout:g} s",
                             f"SPARQLストア {url} が {timeout:g} 秒以内に応答しませんでした") from error
        except OSError as error:
            raise StoreError(f"the SPARQL store at {url} cannot be reached: {error}",
                             f"SPARQLストア {url} に接続できません: {error}") from error

    def _unauthorised(self, url: str, method: str) -> StoreError:
        if self.user is None:
            return StoreError(f"the SPARQL store at {url} asks for credentials (401 Unauthorized to {method}); give "
                              "the user with --store-user or $CHOSAKU_STORE_USER and the password in "
                              "$CHOSAKU_STORE_PASSWORD",
                              f"SPARQLストア {url} が認証を求めています（{method} に 401）。--store-user 又は "
                              "$CHOSAKU_STORE_USER でユーザーを、$CHOSAKU_STORE_PASSWORD でパスワードを指定してください")
        return StoreError(f"the SPARQL store at {url} refused the credentials of user {self.user!r} (401 Unauthorized "
                          f"to {method}); check the user and $CHOSAKU_STORE_PASSWORD",
                          f"SPARQLストア {url} がユーザー {self.user!r} の認証を拒否しました（{method} に 401）。"
                          "ユーザーと $CHOSAKU_STORE_PASSWORD を確かめてください")
