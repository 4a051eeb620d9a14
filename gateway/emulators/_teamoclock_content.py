"""The Team O'clock demo's fixed words and numbers, and its seeded ids, Jira links and averages."""

from __future__ import annotations

import hashlib
import random

QUESTIONS = {
    "q1": "What did you do yesterday",
    "q2": "What will you do today",
    "q3": "Do you have any impediments",
}
COLUMNS = [
    {"id": "c_well", "name": "Went well", "description": "What went well"},
    {"id": "c_improve", "name": "To improve", "description": "What could be improved"},
    {"id": "c_ideas", "name": "Ideas", "description": "What should we try next"},
]
FIBONACCI = (1, 2, 3, 5, 8, 13)
ORIGINS = ("window", "slack", "msteams")
LETTERS = "abcdefghijklmnopqrstuvwxyz"

DONE = ("Finished the API review", "Fixed the flaky login test", "Paired on the migration",
        "Closed three support tickets", "Wrote the rollout plan")  # fmt: skip
NEXT = ("Start on the billing export", "Deploy the cache change", "Review open pull requests",
        "Work on the signup page", "Update the runbook")  # fmt: skip
BLOCKERS = ("None", "Waiting for design feedback", "Staging is down", "None so far")
ROUNDUPS = ("Demo moved to Thursday", "Remember to log your time", "Release freeze on Friday")
STORIES = ("As a user I would like to reset my password", "Create a landing page",
           "Export reports as CSV", "Add dark mode to settings", "Paginate the audit log",
           "Cache team lookups", "Show upcoming shifts", "Retry failed webhooks")  # fmt: skip
NOTES = {
    "c_well": ("Fast code reviews", "Great pairing sessions", "The release went smoothly"),
    "c_improve": ("Too many meetings", "Flaky CI pipeline", "Unclear ticket scope"),
    "c_ideas": ("Try mob programming", "Rotate the release captain", "Write an ADR per change"),
}
ACTIONS = ("Fix the flaky CI job", "Document the deploy process", "Book a design review",
           "Add alerts for queue depth", "Split the monolith module", "Clean up feature flags",
           "Automate the changelog", "Set a WIP limit", "Upgrade the database driver",
           "Share on-call learnings")  # fmt: skip


def code(seed: str, length: int, *, alphabet: str = "0123456789" + LETTERS) -> str:
    """A random-looking but deterministic id, like the real API's `r204c36ysi7z7x`."""
    number = int.from_bytes(hashlib.sha256(seed.encode()).digest(), "big")
    chars = []
    for _ in range(length):
        number, index = divmod(number, len(alphabet))
        chars.append(alphabet[index])
    return "".join(chars)


def jira_url(org: str, slug: str, rng: random.Random) -> str:
    key = "".join(c for c in slug.split("-")[0].upper() if c.isalpha())[:4]
    return f"https://{org}.atlassian.net/browse/{key}-{rng.randint(100, 999)}"


def average(votes: list[int]) -> float | int | None:
    """Mean vote, shown as an integer when whole (the docs' `"avg_vote": 5`)."""
    if not votes:
        return None
    mean = round(sum(votes) / len(votes), 1)
    return int(mean) if mean.is_integer() else mean
