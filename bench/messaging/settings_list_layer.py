"""Server settings for `ws_load.py --layer list`: messaging on channels_redis' list-based layer
(the "default" alias) instead of publish/subscribe, to compare the two."""

from config.settings import *  # noqa: F403

CHANNEL_LAYERS = {"default": CHANNEL_LAYERS["default"]}  # noqa: F405
