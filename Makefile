# imbal: the two commands of the README do every step of the set-up on a fresh Debian 12 machine.
#   make demo   installs what is missing, builds, runs `imbal demo`
#   make test   installs what is missing, builds, runs every test
BUILD      ?= build
ASAN_BUILD ?= build-asan
JOBS       ?= $(shell nproc)
PYTHON     := /usr/bin/python3
CMAKE_FLAGS ?=

.PHONY: all setup configure build demo test test-asan bench python docs format clean

all: build

setup:
	@scripts/setup.sh

configure: setup
	@cmake -S . -B $(BUILD) -G Ninja -DCMAKE_BUILD_TYPE=Release $(CMAKE_FLAGS) > /dev/null

build: configure
	@cmake --build $(BUILD) -j $(JOBS)

# The Python module only: build/python/imbal (PYTHONPATH=build/python /usr/bin/python3 -c "import imbal").
python: setup
	@cmake -S . -B $(BUILD) -G Ninja -DCMAKE_BUILD_TYPE=Release -DIMBAL_BUILD_PYTHON=ON $(CMAKE_FLAGS) > /dev/null
	@cmake --build $(BUILD) -j $(JOBS) --target imbal_python

demo: build
	@./$(BUILD)/imbal demo

test: build
	@ctest --test-dir $(BUILD) --output-on-failure -j $(JOBS)

# The test suite again under AddressSanitizer + UndefinedBehaviorSanitizer: every C++ test, and the
# Python files that drive the CLI's own code (tests/CMakeLists.txt lists them and says why the
# parity files, whose time goes into imbalanced-learn, and the Python module are left out).
# -O1 -g1 instead of RelWithDebInfo's -O2 -g: the sanitized build compiles in less than half the
# CPU time (decision_tree_test.cpp 60 -> 28 s, logistic_regression.cpp 89 -> 38 s, cmd_train.cpp
# 70 -> 34 s) and reports still name function, file and line.
ASAN_CXX_FLAGS ?= -O1 -g1 -DNDEBUG
test-asan: setup
	@cmake -S . -B $(ASAN_BUILD) -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DIMBAL_SANITIZE=ON \
	  "-DCMAKE_CXX_FLAGS_RELWITHDEBINFO=$(ASAN_CXX_FLAGS)" -DIMBAL_BUILD_BENCH=OFF > /dev/null
	@cmake --build $(ASAN_BUILD) -j $(JOBS)
	@ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
	  ctest --test-dir $(ASAN_BUILD) --output-on-failure -j $(JOBS)

# Side by side with imbalanced-learn; writes docs/benchmarks.md.
bench: build
	@$(PYTHON) bench/run.py --imbal ./$(BUILD)/imbal --bench-bin ./$(BUILD)/imbal_bench

docs: build
	@$(PYTHON) scripts/gen_cli_reference.py ./$(BUILD)/imbal > docs/cli-reference.md

format:
	@clang-format -i $$(git ls-files '*.cpp' '*.hpp')

clean:
	rm -rf $(BUILD) $(ASAN_BUILD)
