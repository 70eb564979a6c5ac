# SPDX-License-Identifier: MIT
# virtio-argo: top-level entry points. `make demo` and `make check` set up
# everything on a fresh Debian machine (they run scripts/deps first).

BUILD := $(CURDIR)/build
export BUILD

.PHONY: all deps modules tools lib install-lib lab-inputs xen xen-pristine xen-tree xen-patches xen-check-series policy \
	unit check demo bench shell dkms-install clean

all: modules tools lib

deps:
	@scripts/deps

modules: deps
	@$(MAKE) -s -C linux
	@rm -rf $(BUILD)/linux && mkdir -p $(BUILD)/linux
	@cp linux/argo/*.ko $(BUILD)/linux/

# Install argo.ko and argo_char.ko through DKMS for the installed headers.
dkms-install: deps
	@scripts/dkms-install

tools: deps
	@$(MAKE) -s -C tools OUT=$(BUILD)/tools
	@$(MAKE) -s -C backends/discovery OUT=$(BUILD)/tools

# libargo: build/lib/libargo.{a,so} and libargo.pc. install-lib takes
# PREFIX (default /usr/local) and DESTDIR, and installs what lib built.
lib: deps
	@$(MAKE) -s -C lib/libargo OUT=$(BUILD)/lib

install-lib: lib
	@$(MAKE) -s -C lib/libargo OUT=$(BUILD)/lib install

# What lab images carry from this tree.
lab-inputs: modules tools

xen: deps
	@scripts/xen-build

xen-pristine: deps
	@scripts/xen-build --pristine

# Git-based patch workflow: xen-tree lays out pristine source + series as
# commits in build/xen-tree; xen-patches writes the commits back.
xen-tree: deps
	@scripts/xen-tree
xen-patches:
	@scripts/xen-patches
# Each prefix of the series must apply with no fuzz and build without
# warnings, as upstream review expects of every patch.
xen-check-series: deps
	@scripts/xen-check-series

# The Argo firewall: xen/policy/ compiled into build/policy/argo-firewall.30,
# argo-portcon checked, xen/policy/argo-firewall.tests decided.
policy: deps
	@scripts/policy-build

unit: deps
	@$(MAKE) -s -C tests/unit

# The tests: host unit tests, then the lab scenarios, each in one boot.
CHECK_SCENARIOS ?= smoke smoke@pristine flow flow@pristine \
	conformance conformance@pristine peers peers@pristine \
	lifecycle lifecycle@pristine argo-off \
	firewall firewall-permissive firewall-badmap cables discovery \
	xen-fixes xen-fixes@pristine \
	xen-fixes-debug@patched-debug xen-fixes-debug@pristine-debug
check: deps unit lab-inputs
	@lab/run --no-build $(CHECK_SCENARIOS)

demo: deps lab-inputs
	@lab/run --no-build --narrate demo

bench: deps lab-inputs
	@lab/bench

shell: deps lab-inputs
	@lab/run --no-build --shell

clean:
	@$(MAKE) -s -C linux clean
	rm -rf build
