"""Our scripts reach visitors without comments and layout (rjsmin, xxgk.mkdocs_plugin): fewer bytes for a
first search, and the same program: node parses the served file and its source to the same syntax tree."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

from conftest import ROOT

SOURCES = [ROOT / "docs" / "assets", ROOT / "src" / "xxgk" / "assets"]
# Both files parsed by acorn (the parser of webpack and terser); positions and raw spellings left out.
COMPARE = """
import * as acorn from "%s";
import fs from "fs";
const tree = (file) => JSON.stringify(acorn.parse(fs.readFileSync(file, "utf8"), {ecmaVersion: "latest", sourceType: "module"}),
  (key, value) => ["start", "end", "raw"].includes(key) ? undefined : value);
const pairs = JSON.parse(process.argv[2]);
console.log(JSON.stringify(pairs.map(([source, served]) => tree(source) === tree(served))));
"""


def _pairs(site: Path) -> list[tuple[Path, Path]]:
    served = sorted((site / "assets").glob("xxgk-*.js"))
    found = []
    for file in served:
        source = next(folder / file.name for folder in SOURCES if (folder / file.name).is_file())
        found.append((source, file))
    return found


def test_our_scripts_are_served_minified_and_mean_the_same(demo_site, tmp_path):
    pairs = _pairs(demo_site)
    assert {served.name for _, served in pairs} >= {"xxgk-search.js", "xxgk-search-worker.js", "xxgk-portal.js",
                                                    "xxgk-apply.js"}
    for source, served in pairs:
        text = served.read_text(encoding="utf-8")
        assert len(text) < 0.8 * len(source.read_text(encoding="utf-8")), served.name
        assert "\n//" not in text and "/**" not in text, served.name

    script = tmp_path / "compare.mjs"
    script.write_text(COMPARE % (ROOT / "node_modules/acorn/dist/acorn.mjs").as_uri(), encoding="utf-8")
    result = subprocess.run(["node", str(script), json.dumps([[str(a), str(b)] for a, b in pairs])],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == [True] * len(pairs)
