"""Builds the extension imbal._core with this repository's CMake tree (target imbal_python) for
the running Python, then lets setuptools package python/imbal around it. Configured by
pyproject.toml; see docs/python.md (pip install --no-build-isolation .)."""
import os
import shutil
import subprocess
import sys
from pathlib import Path

from setuptools import Extension, setup
from setuptools.command.build_ext import build_ext

ROOT = Path(__file__).resolve().parent


class CMakeBuild(build_ext):
    def build_extension(self, ext):
        build = Path(self.build_temp).resolve() / "cmake"
        build.mkdir(parents=True, exist_ok=True)
        generator = ["-G", "Ninja"] if shutil.which("ninja") else []
        subprocess.check_call(["cmake", "-S", str(ROOT), "-B", str(build), *generator, "-DCMAKE_BUILD_TYPE=Release",
                               "-DIMBAL_BUILD_TESTS=OFF", "-DIMBAL_BUILD_BENCH=OFF", "-DIMBAL_BUILD_CLI=OFF",
                               "-DIMBAL_INSTALL=OFF", "-DIMBAL_BUILD_PYTHON=ON",
                               f"-DIMBAL_PYTHON_EXECUTABLE={sys.executable}"])
        jobs = os.environ.get("CMAKE_BUILD_PARALLEL_LEVEL", str(os.cpu_count() or 1))
        subprocess.check_call(["cmake", "--build", str(build), "--target", "imbal_python", "-j", jobs])
        built = sorted((build / "python" / "imbal").glob("_core*.so"))
        if not built:
            raise RuntimeError("the CMake build produced no imbal/_core extension (is pybind11 installed?)")
        target = Path(self.get_ext_fullpath(ext.name))
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(built[-1], target)


setup(ext_modules=[Extension("imbal._core", sources=[])], cmdclass={"build_ext": CMakeBuild})
