# emlsim - set-up, build and run in two commands:
#   make run    installs missing Debian packages, builds, runs the main job
#   make test   the same set-up, then the whole test suite under ctest
# Other targets: deps, build, install, test-sanitize, test-memcheck, fuzz, clean.
# Variables: BUILD (build folder), PREFIX (install prefix, default /usr/local),
# CMAKE_FLAGS (extra cmake options), JOBS (parallel build jobs).

BUILD ?= build
JOBS ?= $(shell nproc 2>/dev/null || echo 2)
CMAKE_FLAGS ?=

# Debian packages the build and the main job use (see README.md); the test
# suite also renders the HTML report in headless Chromium.
DEB_PACKAGES = cmake make gcc g++ pkg-config libgsl-dev libcmocka-dev \
  libinih-dev libcjson-dev verilator libsystemc-dev gnuplot-nox yosys \
  libopenmpi-dev openmpi-bin zlib1g-dev dataset-fashion-mnist \
  libprotobuf-c-dev protobuf-c-compiler libonnx-dev
TEST_PACKAGES = chromium libonnx-testdata python3

.PHONY: all deps test-deps install-packages configure build run test test-sanitize test-memcheck \
  fuzz clean install

all: build

# Installs only what is missing; as root directly, otherwise through sudo.
deps:
	@$(MAKE) --no-print-directory install-packages PACKAGES="$(DEB_PACKAGES)"

test-deps:
	@$(MAKE) --no-print-directory install-packages PACKAGES="$(TEST_PACKAGES)"

install-packages:
	@missing=""; for p in $(PACKAGES); do \
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

# The main job: the study of the embedded default (AlexNet on every model at
# fp32, int8, int4 and binary, with a sparsity sweep, and the SimpleCNN with
# its Fashion-MNIST accuracy, trained once and cached in $(BUILD)/cache)
# into $(BUILD)/study.
run: build
	./$(BUILD)/sim/emlsim study -o $(BUILD)/study

# emlsim, its manual page and bash completion, and the library (libemlsim.a,
# headers, emlsim.pc) under PREFIX.
PREFIX ?= /usr/local
install: build
	cmake --install $(BUILD) --prefix $(PREFIX)

test: build test-deps
	ctest --test-dir $(BUILD) --output-on-failure -j $(JOBS)

# The whole suite under AddressSanitizer and UBSan, in its own build folder
# (the Fashion-MNIST training and the one-minute SIMT AlexNet run are left
# out: under the sanitizers they take a quarter of an hour; so is the SIMT
# speed benchmark, whose times mean nothing there and whose kernels the
# SIMT tests run).  The study's SimpleCNN, where `make test` trained it, is
# taken from its cache (the weights only: every width is still evaluated
# under the sanitizers; accuracy.sh trains a small one there); without one
# it trains, as before (2.5 minutes).
SAN_BUILD ?= build-sanitize
test-sanitize: deps test-deps
	cmake -S . -B $(SAN_BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo -DEMLSIM_SANITIZE=ON $(CMAKE_FLAGS)
	cmake --build $(SAN_BUILD) -j $(JOBS)
	@mkdir -p $(SAN_BUILD)/cache; for f in $(BUILD)/cache/simplecnn-*.bin $(BUILD)/cache/simplecnn-*.sum; do \
	  [ -f "$$f" ] && cp "$$f" $(SAN_BUILD)/cache/; done; true
	ASAN_OPTIONS=detect_leaks=1 ctest --test-dir $(SAN_BUILD) --output-on-failure -j $(JOBS) \
	  -LE "quant|simt_slow|bench"

# The golden tests (SCALE-Sim's figures) with emlsim under valgrind memcheck:
# any invalid access, uninitialised read or definite leak fails the test.
MEMCHECK_BUILD ?= build-memcheck
test-memcheck: deps
	@command -v valgrind >/dev/null || $(MAKE) --no-print-directory install-packages PACKAGES=valgrind
	cmake -S . -B $(MEMCHECK_BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo -DEMLSIM_RTL=OFF \
	  -DEMLSIM_MEMCHECK=ON $(CMAKE_FLAGS)
	cmake --build $(MEMCHECK_BUILD) -j $(JOBS) --target emlsim
	ctest --test-dir $(MEMCHECK_BUILD) --output-on-failure -j $(JOBS) -L golden

# libFuzzer targets for every parser (clang), each run FUZZ_SECONDS.
FUZZ_BUILD ?= build-fuzz
FUZZ_SECONDS ?= 60
fuzz: deps test-deps
	@command -v clang >/dev/null || $(MAKE) --no-print-directory install-packages PACKAGES="clang libclang-rt-14-dev"
	CC=clang cmake -S . -B $(FUZZ_BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo -DEMLSIM_FUZZ=ON -DEMLSIM_RTL=OFF
	cmake --build $(FUZZ_BUILD) -j $(JOBS) --target fuzz_topology fuzz_sa_config fuzz_gpu_preset \
	  fuzz_energy_table fuzz_trace fuzz_idx fuzz_onnx fuzz_sweep_spec fuzz_weights
	tests/fuzz/run.sh $(FUZZ_BUILD) $(FUZZ_SECONDS)

clean:
	rm -rf $(BUILD) $(SAN_BUILD) $(MEMCHECK_BUILD) $(FUZZ_BUILD)
