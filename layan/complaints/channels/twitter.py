"""X/Twitter: a poller of the account's mentions (API v2), switched on by a bearer token."""

from __future__ import annotations

import json
import urllib.parse
import urllib.request
from datetime import datetime

from layan.complaints.channels.meta import ParsedMessage

API = "https://api.twitter.com/2"


def parse_mentions(payload: dict) -> list[ParsedMessage]:
    users = {u.get("id"): u for u in (payload.get("includes") or {}).get("users") or []}
    messages = []
    for tweet in payload.get("data") or []:
        author = users.get(tweet.get("author_id"), {})
        try:
            at = (
                datetime.fromisoformat(tweet["created_at"].replace("Z", "+00:00"))
                if tweet.get("created_at")
                else None
            )
        except ValueError:
            at = None
        messages.append(
            ParsedMessage(
                "twitter",
                str(tweet.get("id", "")),
                "@" + author["username"] if author.get("username") else str(tweet.get("author_id", "")),
                author.get("name", ""),
                tweet.get("text", ""),
                at,
            )
        )
    return [m for m in messages if m.external_id]


def fetch_mentions(
    *, bearer_token: str, user_id: str, since_id: str = "", opener=urllib.request.urlopen
) -> dict:
    params = {
        "expansions": "author_id",
        "user.fields": "username,name",
        "tweet.fields": "created_at",
        "max_results": "100",
    }
    if since_id:
        params["since_id"] = since_id
    url = f"{API}/users/{urllib.parse.quote(user_id)}/mentions?{urllib.parse.urlencode(params)}"
    request = urllib.request.Request(url, headers={"Authorization": f"Bearer {bearer_token}"})  # noqa: S310
    with opener(request, timeout=20) as response:
        return json.loads(response.read().decode("utf-8"))
