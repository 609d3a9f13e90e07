import json
import logging

from config.logging_format import JsonLineFormatter


def test_each_log_record_is_one_json_line_with_its_extra_fields():
    record = logging.makeLogRecord(
        {
            "name": "tandem.test",
            "levelname": "WARNING",
            "levelno": logging.WARNING,
            "msg": "offer %s refused",
            "args": (42,),
            "request_id": "abc",
        }
    )
    line = JsonLineFormatter().format(record)
    assert "\n" not in line
    entry = json.loads(line)
    assert entry["level"] == "WARNING"
    assert entry["logger"] == "tandem.test"
    assert entry["message"] == "offer 42 refused"
    assert entry["request_id"] == "abc"
    assert entry["time"].endswith("+00:00")


def test_exceptions_are_kept_inside_the_single_line():
    try:
        raise ValueError("broken")
    except ValueError:
        import sys

        record = logging.makeLogRecord({"msg": "failed", "exc_info": sys.exc_info()})
    entry = json.loads(JsonLineFormatter().format(record))
    assert "ValueError: broken" in entry["exception"]
