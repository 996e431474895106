"""The compiled (mypyc) build of h11-events, h11-parser and h11-connection, made out of tree.

hatch-mypyc compiles in place: it writes the extension modules beside the sources, where
every later run from the clone (tests with ``src`` on the path, an editable install) would
import them instead of the sources. This hook runs hatch-mypyc on a copy of the package in
a temporary folder, with mypy reading the siblings' sources from the clone (no MYPYPATH to
set), and puts the extension modules in the wheel from there: the clone is left as it was.

Each package's pyproject.toml names this file as its ``custom`` wheel hook, off unless
``HATCH_BUILD_HOOK_ENABLE_CUSTOM=1`` (hatch's switch for it). A disabled hook is never
loaded, so pure builds (also from an sdist, which does not hold this file) do not need it.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path
from typing import Any

from hatch_mypyc import plugin

#: The compiled packages, lowest first: mypy reads each one's siblings from the clone.
COMPILED_PACKAGES = ("h11-events", "h11-parser", "h11-connection")
#: Never copied: build products of earlier runs, and what the wheel does not hold.
NOT_COPIED = shutil.ignore_patterns("__pycache__", "*.so", "*.pyd", "build", "dist", "tests")


class OutOfTreeMypycHook(plugin.MypycBuildHook):  # type: ignore[misc]
    """hatch-mypyc's hook, with its ``root`` a temporary copy of the package while it builds."""

    PLUGIN_NAME = "custom"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._copy: Path | None = None
        self._work: Path | None = None

    @property
    def root(self) -> str:
        return str(self._copy) if self._copy is not None else str(super().root)

    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        if self.target_name != "wheel":
            return
        tree = Path(super().root).resolve()
        packages = tree.parent
        missing = [n for n in COMPILED_PACKAGES if not (packages / n / "src").is_dir()]
        if missing:
            raise RuntimeError(
                f"the compiled build reads its siblings' sources ({', '.join(missing)}) from a"
                f" clone of the repository; {tree} is not in one"
            )
        self._work = Path(tempfile.mkdtemp(prefix=f"{tree.name}-mypyc-"))
        copy = self._work / tree.name
        shutil.copytree(tree, copy, ignore=NOT_COPIED)
        mypypath = [str(copy / "src")]
        mypypath += [str(packages / n / "src") for n in COMPILED_PACKAGES if n != tree.name]
        saved_mypypath = os.environ.get("MYPYPATH")
        saved_cwd = os.getcwd()
        os.environ["MYPYPATH"] = os.pathsep.join(mypypath)
        os.chdir(copy)  # setuptools' --inplace and mypy's cache are relative to it
        self._copy = copy
        try:
            super().initialize(version, build_data)
            # hatch-mypyc names its modules by patterns relative to the root, which is
            # the clone for the wheel builder: include them by path from the copy instead.
            patterns = set(self.artifact_patterns)
            build_data["artifacts"] = [a for a in build_data["artifacts"] if a not in patterns]
            for artifact_glob in self.normalized_artifact_globs:
                for path in copy.glob(artifact_glob):
                    build_data["force_include"][str(path)] = path.relative_to(copy).as_posix()
        except BaseException:
            self.finalize(version, build_data, "")  # no wheel follows: remove the copy now
            raise
        finally:
            self._copy = None
            os.chdir(saved_cwd)
            if saved_mypypath is None:
                del os.environ["MYPYPATH"]
            else:
                os.environ["MYPYPATH"] = saved_mypypath

    def finalize(self, version: str, build_data: dict[str, Any], artifact_path: str) -> None:
        if self._work is not None:
            shutil.rmtree(self._work, ignore_errors=True)
            self._work = None


def get_build_hook() -> type[OutOfTreeMypycHook]:
    """The hook class, named for hatchling (the module also sees hatch-mypyc's own)."""
    return OutOfTreeMypycHook
