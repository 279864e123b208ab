"""What staff read: one referral by reference, and the queue."""
from __future__ import annotations

import pytest

from content.referrals import add_note, assign, count_by_status, get_by_reference, list_referrals, set_status, submit

from .conftest import both, details


@both
def test_the_queue_lists_newest_first_and_filters(referral_db, sessions):
    first = submit(details(name="First", urgency="later")).reference
    second = submit(details(name="Second", urgency="today")).reference
    third = submit(details(name="Third", urgency="today")).reference
    with sessions.begin() as session:
        set_status(session, first, "triaged")
        assign(session, second, "Sam.Duty@castlebridge.example.gov.uk")

    with sessions() as session:
        assert [r["reference"] for r in list_referrals(session)] == [third, second, first]
        assert [r["name"] for r in list_referrals(session, status="new")] == ["Third", "Second"]
        assert [r["reference"] for r in list_referrals(session, urgency="today", limit=1)] == [third]
        assert [r["reference"] for r in list_referrals(session, urgency="today", limit=1, offset=1)] == [second]
        assert [r["reference"] for r in list_referrals(session, assigned_to="sam.duty@castlebridge.example.gov.uk")] \
            == [second]
        assert count_by_status(session) == {"new": 2, "triaged": 1, "in_progress": 0, "closed": 0}


@both
def test_get_by_reference_returns_the_decrypted_referral_with_its_notes(referral_db, sessions):
    reference = submit(details()).reference
    with sessions.begin() as session:
        add_note(session, reference, "sam.duty@castlebridge.example.gov.uk", "Left a voicemail")
        add_note(session, reference, "sam.duty@castlebridge.example.gov.uk", "Spoke to her daughter")
    with sessions() as session:
        found = get_by_reference(session, f" {reference.lower()} ")
        assert found["postcode"] == "CB1 2AB" and found["needs"].startswith("Needs help getting washed")
        assert [n["body"] for n in found["notes"]] == ["Left a voicemail", "Spoke to her daughter"]
        assert get_by_reference(session, "FD-ZZZZZZ") is None
        assert add_note(session, "FD-ZZZZZZ", "x@example.gov.uk", "no such referral") is None
        with pytest.raises(ValueError):
            set_status(session, reference, "lost")
