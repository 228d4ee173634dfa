"""hw's build: its modules compiled to C by Cython where a C compiler is at hand.

The sources stay plain Python and run as they are wherever they are not compiled:
a module whose compiling fails is installed as Python (with a warning), and nothing
is compiled in an editable install (the tree is being edited, so the tree runs) or
with HW_PURE_PYTHON=1 set when installing. Compiled, the same code runs in about a
fifth fewer instructions (docs/performance.md); what it writes is the same, byte
for byte (tests/test_compiled.py).

Cython reads the modules as Python 3 and ignores their annotations
(annotation_typing=False): typed as their annotations say, a list argument would
refuse a tuple, and a compiled module would behave otherwise than its source.
"""
from __future__ import annotations

import os
from pathlib import Path

from setuptools import Extension, setup
from setuptools.command.build_ext import build_ext

PACKAGES = ("grader", "problems", "templates")
# Not compiled: problems/yamlio.py holds lone surrogates in its string literals (it refuses them in
# YAML), which C source cannot carry; it reads templates once, off the hot path.
AS_PYTHON = {"problems/yamlio.py"}


def _modules() -> list[str]:
    return [path.as_posix() for package in PACKAGES for path in sorted(Path(package).glob("*.py"))
            if path.name != "__init__.py" and path.as_posix() not in AS_PYTHON]


class CompiledWherePossible(build_ext):
    """build_ext that turns the modules into C first, and builds nothing where they are to run as Python."""

    def finalize_options(self) -> None:
        super().finalize_options()
        if self.parallel is None:
            self.parallel = os.cpu_count() or 1

    def run(self) -> None:
        if self.editable_mode or os.environ.get("HW_PURE_PYTHON"):
            self._remove_built()
            return
        try:
            from Cython.Build import cythonize
        except ImportError:         # built without the build's requirements (pip's --no-build-isolation)
            self.warn("Cython is not installed: hw's modules are installed as plain Python")
            self._remove_built()
            return
        compiled = cythonize(self.extensions, build_dir="build/cython", quiet=True, nthreads=self.parallel,
                             compiler_directives={"language_level": 3, "annotation_typing": False})
        for extension, c in zip(self.extensions, compiled, strict=True):     # the same modules, from C now
            extension.sources = c.sources
        super().run()

    def build_extension(self, ext: Extension) -> None:
        try:
            super().build_extension(ext)
        except Exception:           # an optional module that did not compile: it is installed as Python
            self._remove_built([ext])
            raise

    def _remove_built(self, extensions: list[Extension] | None = None) -> None:
        """Delete what an earlier build of the same tree compiled (pip builds in build/ of the tree,
        and installs all it finds there): a module left compiled would be imported before its
        source, which may have changed since, and a plain build would not be plain."""
        for ext in self.extensions if extensions is None else extensions:
            built = Path(self.get_ext_fullpath(ext.name))
            if built.is_file():
                built.unlink()


setup(
    ext_modules=[Extension(module[:-3].replace("/", "."), [module], optional=True,
                           extra_compile_args=["-O2", "-g0"]) for module in _modules()],
    cmdclass={"build_ext": CompiledWherePossible},
)
