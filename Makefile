# emlsim - set-up, build and run in two commands:
#   make run    installs missing Debian packages, builds, runs the main job
#   make test   the same set-up, then the whole test suite under ctest
# Other targets: deps, build, clean.  Variables: BUILD (build folder),
# CMAKE_FLAGS (extra cmake options), JOBS (parallel build jobs).

BUILD ?= build
JOBS ?= $(shell nproc 2>/dev/null || echo 2)
CMAKE_FLAGS ?=

# Debian packages the build and the tests use (see README.md).
DEB_PACKAGES = cmake make gcc g++ pkg-config libgsl-dev libcmocka-dev \
  libinih-dev libcjson-dev verilator libsystemc-dev gnuplot-nox yosys

.PHONY: all deps configure build run test clean

all: build

# Installs only what is missing; as root directly, otherwise through sudo.
deps:
	@missing=""; for p in $(DEB_PACKAGES); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "install ok installed" || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  echo "installing:$$missing"; \
	  if [ "$$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi; \
	  $$SUDO apt-get update -q && \
	  DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -q --no-install-recommends $$missing; \
	fi

configure: deps
	cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=Release $(CMAKE_FLAGS)

build: configure
	cmake --build $(BUILD) -j $(JOBS)

run: build
	./$(BUILD)/sim/emlsim analyze alexnet

test: build
	ctest --test-dir $(BUILD) --output-on-failure -j $(JOBS)

clean:
	rm -rf $(BUILD)
