# The two commands of the README. Everything else is CMake (see CMakePresets.json).
BUILD_DIR ?= build
JOBS ?= $(shell nproc)

.PHONY: run test build deps clean

deps:
	@scripts/install-deps

build: deps
	@cmake --preset default >/dev/null
	@cmake --build $(BUILD_DIR) -j $(JOBS)

# The main job on the embedded default: a hub on run/data fed with the bundled
# sample intakes, then what a user looks at.
run: build
	@scripts/run-demo $(BUILD_DIR)

test: build
	@cd $(BUILD_DIR) && ctest --output-on-failure -j 2 --timeout 600

clean:
	rm -rf $(BUILD_DIR)
