"""The conversation store: Rasa's SQL tracker store, with every event encrypted at rest.

Conversations hold personal data (a referral's name, phone number and needs are typed into the
chat), so each event's JSON is stored as a Fernet token under the same data key as referrals
(content/keys.py). Only the columns Rasa needs to query (conversation id, event type,
timestamp, intent and action names) stay readable. Old conversations are deleted after the
configured retention by the delivery worker (content/conversations.py).

endpoints.yml: tracker_store: {type: tracker_store.EncryptedSQLTrackerStore, dialect, db}
"""
from __future__ import annotations

import json
import logging
import sys
from pathlib import Path
from typing import Optional, Text

from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.nlu.constants import INTENT_NAME_KEY

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from content import keys  # noqa: E402  (needs ROOT on the path)

logger = logging.getLogger(__name__)


def seal(data: dict) -> str:
    return keys.encrypt(json.dumps(data).encode("utf-8")).decode("ascii")


def unseal(stored: str) -> dict:
    return json.loads(keys.decrypt(stored.encode("ascii")))


class EncryptedSQLTrackerStore(SQLTrackerStore):
    async def save(self, tracker: DialogueStateTracker) -> None:
        await self.stream_events(tracker)
        with self.session_scope() as session:
            for event in self._additional_events(session, tracker):
                data = event.as_dict()
                session.add(self.SQLEvent(
                    sender_id=tracker.sender_id,
                    type_name=event.type_name,
                    timestamp=data.get("timestamp"),
                    intent_name=data.get("parse_data", {}).get("intent", {}).get(INTENT_NAME_KEY),
                    action_name=data.get("name"),
                    data=seal(data),
                ))
            session.commit()

    async def _retrieve(self, sender_id: Text, fetch_events_from_all_sessions: bool
                        ) -> Optional[DialogueStateTracker]:
        with self.session_scope() as session:
            rows = self._event_query(session, sender_id, fetch_events_from_all_sessions).all()
            events = [unseal(row.data) for row in rows]
        if self.domain and events:
            return DialogueStateTracker.from_dict(sender_id, events, self.domain.slots)
        return None
