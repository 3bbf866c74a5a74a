# SPDX-License-Identifier: MIT
# The two commands of the README: `make demo` and `make test`.  Each
# installs missing Debian packages, configures and builds with CMake, then
# runs the demo or every test.

BUILD ?= build
JOBS ?= $(shell nproc 2>/dev/null || echo 2)
CMAKE_FLAGS ?= -DCMAKE_BUILD_TYPE=RelWithDebInfo

.PHONY: all deps test-deps build demo test clean

all: build

deps:
	sh scripts/deps.sh build

test-deps:
	sh scripts/deps.sh test

$(BUILD)/CMakeCache.txt:
	cmake -S . -B $(BUILD) $(CMAKE_FLAGS)

build: deps $(BUILD)/CMakeCache.txt
	cmake --build $(BUILD) -j $(JOBS)

demo: test-deps build
	sh examples/demo-loopback.sh $(BUILD)/cli/rrsandbox
	sh examples/demo-routers.sh $(BUILD)/cli/rrsandbox
	sh examples/demo-bgp.sh $(BUILD)/cli/rrsandbox

test: test-deps build
	cd $(BUILD) && ctest --output-on-failure -j 2 --timeout 600

clean:
	rm -rf $(BUILD)
