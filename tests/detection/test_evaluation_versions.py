"""Which halves of the blind sets may be read (detection.evaluation; tests/detection/blind/
README.md): versions 1 and 2 are development entirely; a version added later (v3, carer and
medical only) keeps its held-out half sealed, and `detection_evaluate --errors` refuses it."""

import importlib.util
import json
import shutil
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from detection import evaluation

REAL_BLIND_SETS = evaluation.BLIND_SETS


def _row(set_name: str, number: int, language: str, label: bool) -> dict:
    row = {
        "id": f"{set_name}-{language}-{number}",
        "language": language,
        "description": "Ik ga boodschappen doen voor mijn buurvrouw.",
    }
    if set_name == "carer":
        row |= {
            "likely_carer": label,
            "for_someone_else": False,
            "relationship": "",
            "cared_for_age": None,
            "care_hours_per_week": None,
        }
    elif set_name == "medical":
        row["medical"] = label
    else:
        row["needs"] = ["isolation"] if label else []
    return row


def _write_version(directory: Path, sets: tuple[str, ...]) -> None:
    for set_name in sets:
        folder = directory / set_name
        folder.mkdir(parents=True)
        rows = [
            _row(set_name, number, language, number % 2 == 0)
            for language in evaluation.LANGUAGES
            for number in range(4)
        ]
        (folder / "descriptions.jsonl").write_text(
            "".join(json.dumps(row) + "\n" for row in rows), encoding="utf-8"
        )


def _split_module():
    spec = importlib.util.spec_from_file_location("blind_split", REAL_BLIND_SETS / "split.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def blind_with_v3(tmp_path, monkeypatch):
    """Versions 1 and 2 with their three sets, and a v3 with only carer/ and medical/, split."""
    split = _split_module()
    _write_version(tmp_path, evaluation.SETS)
    _write_version(tmp_path / "v2", evaluation.SETS)
    _write_version(tmp_path / "v3", ("carer", "medical"))
    for version_directory in (tmp_path, tmp_path / "v2", tmp_path / "v3"):
        for set_name in evaluation.SETS:
            if (version_directory / set_name).is_dir():
                split.split(set_name, version_directory)
    monkeypatch.setattr(evaluation, "BLIND_SETS", tmp_path)
    # The state this tree stands for: versions 1 and 2 spent, version 3 new.
    monkeypatch.setattr(evaluation, "SPENT_VERSIONS", {1: "2026-12-07", 2: "2026-12-08"})
    return tmp_path


def test_the_spent_versions_are_development_entirely_in_the_repository():
    assert set(evaluation.available_versions()) >= {1, 2, 3}
    for version in evaluation.SPENT_VERSIONS:
        assert evaluation.readable_halves(version) == frozenset(evaluation.HALVES)
    assert not set(evaluation.SPENT_VERSIONS) & evaluation.sealed_versions()


def test_a_newer_version_folder_is_sealed_as_soon_as_it_is_present(blind_with_v3):
    assert evaluation.available_versions()[3] == ("carer", "medical")
    assert evaluation.sealed_versions() == {3}
    assert evaluation.readable_halves(3) == {"development"}
    assert evaluation.readable_halves(2) == frozenset(evaluation.HALVES)


def test_the_errors_of_a_sealed_held_out_half_are_refused(blind_with_v3, capsys):
    with pytest.raises(CommandError, match="sealed"):
        call_command("detection_evaluate", "--set-version", "3", "--half", "held_out", "--errors")
    with pytest.raises(CommandError, match="sealed"):
        call_command("detection_evaluate", "--set-version", "3", "--half", "all", "--errors")
    # Scoring it (the one reported look) and reading its development half stay possible.
    call_command("detection_evaluate", "--set-version", "3", "--half", "held_out")
    call_command("detection_evaluate", "--set-version", "3", "--half", "development", "--errors")
    call_command("detection_evaluate", "--set-version", "2", "--half", "held_out", "--errors")
    output = capsys.readouterr().out
    assert "carer v3 — held_out" in output and "medical v3 — held_out" in output
    assert "orientation v3" not in output


def test_a_set_a_version_does_not_hold_is_refused(blind_with_v3):
    with pytest.raises(CommandError, match="no orientation set"):
        call_command("detection_evaluate", "--set-version", "3", "--set", "orientation")


def test_split_deals_a_version_folder_without_orientation(blind_with_v3):
    v3 = blind_with_v3 / "v3"
    for set_name in ("carer", "medical"):
        development = (v3 / set_name / "development.jsonl").read_text().splitlines()
        held_out = (v3 / set_name / "held_out.jsonl").read_text().splitlines()
        assert len(development) == len(held_out) == 8
    assert not (v3 / "orientation").exists()


def test_split_reproduces_the_frozen_halves(tmp_path):
    split = _split_module()
    for version_directory in (REAL_BLIND_SETS, REAL_BLIND_SETS / "v2", REAL_BLIND_SETS / "v3"):
        for set_name in evaluation.SETS:
            if not (version_directory / set_name).is_dir():
                continue  # v3 has no orientation set
            copy = tmp_path / version_directory.name / set_name
            shutil.copytree(version_directory / set_name, copy)
            split.split(set_name, copy.parent)
            for half in ("development", "held_out"):
                assert (copy / f"{half}.jsonl").read_bytes() == (
                    version_directory / set_name / f"{half}.jsonl"
                ).read_bytes()
