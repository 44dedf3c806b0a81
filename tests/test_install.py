"""`pip install .` (not editable) gives a working chiso: the SQL, the reference data and the
bundled mirror ship in the wheel, and the installed CLI runs from any folder, offline."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
import tomllib
import zipfile
from pathlib import Path

import pytest

from flows.core.config import ROOT

# Left out of the copy the wheel is built from: environments, caches and generated data.
NOT_SOURCES = shutil.ignore_patterns(
    ".git", ".venv", ".prefect", "build", "dist", "*.egg-info", "__pycache__", ".*_cache",
    ".hypothesis", "*.duckdb*", "archive", "reports", "report.html", "*.lock",
)
# Builds the project from a local copy, installs it into a new venv and loads a few releases.
TIMEOUT_SECONDS = 600
# Loaded by the installed code itself, from the installed mirror, into ./warehouse.
LOAD = """
from flows.core import config
from flows.archive import Archive
from flows.fetch import get_bytes
from flows.pipeline import fetch_release, load_archived
from flows.sources import SOURCES
from warehouse.connect import writer

assert config.INSTALLED, config.ROOT
mirror = config.BUNDLED_MIRROR
archive = Archive(config.archive_dir())
batches = []
for name, count in (("worldbank", 2), ("gso", 1)):
    refs = SOURCES[name].discover(lambda url: get_bytes(url, mirror=mirror), None)
    batches += [fetch_release(ref, archive, mirror) for ref in list(refs)[:count]]
with writer(config.warehouse_path()) as session:
    for files in batches:
        print(load_archived(files, session).status)
"""


def test_the_wheel_lists_every_package() -> None:
    """pyproject.toml names its packages (sql/ is mapped in); none may be left out."""
    setuptools = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["tool"]["setuptools"]
    found = {str(init.parent.relative_to(ROOT)).replace(os.sep, ".")
             for top in ("flows", "warehouse") for init in (ROOT / top).rglob("__init__.py")}
    assert set(setuptools["packages"]) == found | {"warehouse.sql"}
    assert setuptools["package-dir"] == {"warehouse.sql": "sql"}


def run(args: list[str | Path], cwd: Path, env: dict[str, str]) -> str:
    done = subprocess.run([str(a) for a in args], cwd=cwd, env=env, capture_output=True,
                          text=True, timeout=TIMEOUT_SECONDS, check=False)
    assert done.returncode == 0, f"{args}: exit {done.returncode}\n{done.stdout}\n{done.stderr}"
    return done.stdout


@pytest.mark.install
@pytest.mark.slow
def test_pip_install_gives_a_working_chiso(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("CHISO_", "PYTHON", "VIRTUAL_ENV"))}
    env |= {"PREFECT_HOME": str(tmp_path / "prefect"), "PIP_NO_INDEX": "1",
            "PIP_DISABLE_PIP_VERSION_CHECK": "1"}
    # Build: a copy of the sources, so setuptools' build/ never goes stale in the checkout;
    # no index and no build isolation, so nothing is downloaded.
    source = tmp_path / "source"
    shutil.copytree(ROOT, source, ignore=NOT_SOURCES)
    run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "--no-index",
         "-w", tmp_path / "dist", source], tmp_path, env)
    wheel = next((tmp_path / "dist").glob("chiso-*.whl"))
    names = zipfile.ZipFile(wheel).namelist()
    for path in ("warehouse/sql/schema/001_core.sql", "warehouse/sql/queries/README.md",
                 "flows/reference/README.md", "flows/mirror/README.md",
                 "flows/reference/registers/haiphong_industrial_parks.toml",
                 "flows/mirror/www.gso.gov.vn/bao-cao-tinh-hinh-kinh-te-xa-hoi-hang-thang/index.html@paged=2"):
        assert path in names
    assert sum(n.startswith("flows/mirror/") for n in names) == sum(
        1 for p in (ROOT / "flows" / "mirror").rglob("*") if p.is_file())

    # Install: a new venv with the wheel alone; its dependencies are this environment's,
    # through a .pth line (the editable chiso's own .pth files there are not processed).
    venv = tmp_path / "venv"
    run([sys.executable, "-m", "venv", "--without-pip", venv], tmp_path, env)
    python = venv / "bin" / "python"
    run([sys.executable, "-m", "pip", "--python", python, "install", "--no-deps", "--no-index",
         wheel], tmp_path, env)
    site = Path(run([python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                    tmp_path, env).strip())
    (site / "chiso_dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")

    # Use: from a folder of its own, the warehouse lands in ./warehouse, not site-packages.
    work = tmp_path / "work"
    work.mkdir()
    located = run([python, "-c", "from flows.core import config; print(config.SQL_DIR); "
                   "print(config.warehouse_path())"], work, env).split()
    assert located == [str(site / "warehouse" / "sql"),
                       str(work / "warehouse" / "chiso.duckdb")]
    assert run([python, "-c", LOAD], work, env).split() == ["new", "new", "new"]
    chiso = venv / "bin" / "chiso"
    assert "42" in run([chiso, "sql", "select 42 as answer"], work, env)
    counted = run([chiso, "sql", "select count(distinct source) as sources, "
                   "count(*) > 100 as many from observation"], work, env)
    assert counted.split() == ["sources", "many", "2", "True"], counted
    assert "revision_history" in run([chiso, "query", "--list"], work, env)
    out = run([chiso, "report", "--output", "out/report.html"], work, env)
    assert "out/report.html" in out
    assert "<html" in (work / "out" / "report.html").read_text("utf-8")[:500].lower()
    assert not list(site.rglob("*.duckdb")), "the installed chiso wrote into site-packages"
