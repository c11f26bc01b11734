"""Store URLs that cannot work stop the service with a sentence naming the setting to fix."""

from __future__ import annotations

import pytest

from shared.errors import StartupError
from shared.storage import open_store

pytestmark = pytest.mark.unit


@pytest.mark.parametrize(
    "url",
    [
        "mongodb://intake:secret-password@mongo:port/dialogue_intake",  # a port that is not a number
        "mongodb://",  # no host
        "postgresql://intake:secret-password@db/dialogue",  # a store the platform has no adapter for
        "127.0.0.1:27017",  # no scheme at all
    ],
)
@pytest.mark.parametrize("setting", ["DIALOGUE_STORE_URL", "DIALOGUE_STORE_URL_FILE"])
async def test_an_unusable_store_url_stops_the_service_naming_the_setting(url: str, setting: str) -> None:
    with pytest.raises(StartupError) as refused:
        await open_store(url, "dialogue_intake", setting=setting)
    assert refused.value.setting == setting
    assert setting in refused.value.message
    assert "secret-password" not in refused.value.message  # the sentence goes to logs and /readyz
