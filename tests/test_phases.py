"""The build's timing record for the benchmark guard: written only when XXGK_PHASES asks for it."""

import json
import time

from xxgk import phases


def test_phases_are_written_only_when_asked(tmp_path, monkeypatch):
    target = tmp_path / "phases.json"
    monkeypatch.delenv(phases.ENV, raising=False)
    phases.start("reading")
    phases.enter("rendering")
    phases.write()
    assert not target.exists()

    monkeypatch.setenv(phases.ENV, str(target))
    phases.start("reading")
    time.sleep(0.02)
    phases.enter("rendering")
    phases.enter("rendering")  # staying in a phase changes nothing
    time.sleep(0.01)
    phases.enter("reading")
    phases.write()
    spent = json.loads(target.read_text())
    assert set(spent) == {"reading", "rendering"}
    assert spent["reading"] >= 0.02 and spent["rendering"] >= 0.01
