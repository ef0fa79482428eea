#!/usr/bin/env bash
# Installs what imbal needs on Debian 12 with apt-get, only when something is missing
# (and runs `apt-get update` only then). Safe to run again: it does nothing when all is present.
set -euo pipefail

packages=(
  g++ cmake ninja-build make pkg-config
  libeigen3-dev libnanoflann-dev libcli11-dev nlohmann-json3-dev
  pybind11-dev python3-pybind11 python3-dev python3-numpy
  libgtest-dev libbenchmark-dev
  python3-pytest python3-sklearn python3-imblearn python3-pandas
  libopenblas0-pthread
  libsvm-dev  # svm-smote's support vector machine (src/samplers/svm_libsvm.cpp)
  chromium  # tests only: renders the HTML report to PNG (tests/python/test_compare.py)
  libxgboost-dev  # gradient-boosting's trees (src/models/gradient_boosting.cpp)
  python3-xgboost  # tests only: gradient-boosting's quality test against XGBClassifier (same 1.7.4 library)
  jq  # tests only: the tutorials' shell commands (tests/python/test_tutorials.py)
)

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

echo "imbal setup: installing missing packages: ${missing[*]}" >&2
if [ "$(id -u)" -eq 0 ]; then
  sudo=()
elif command -v sudo >/dev/null 2>&1; then
  sudo=(sudo)
else
  echo "imbal setup: these Debian packages are missing and I am not root: ${missing[*]}" >&2
  echo "run as root: apt-get update && apt-get install -y ${missing[*]}" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
"${sudo[@]}" apt-get update -qq
"${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
