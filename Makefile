# SPDX-License-Identifier: MIT
# virtio-argo: top-level entry points. `make demo` and `make check` set up
# everything on a fresh Debian machine (they run scripts/deps first).

BUILD := $(CURDIR)/build
export BUILD

.PHONY: all deps modules modules-all trixie-root tools lib backends install-lib lab-inputs xen xen-pristine xen-tree xen-patches xen-check-series policy \
	unit fuzz fuzz-check fuzz-xen mutate check demo bench profile shell dkms-install clean

all: modules tools lib backends

deps:
	@scripts/deps

# The modules for one kernel, into build/linux/<abi>/: KVER=6.1 (the
# default: Debian 12's, the host's headers) or KVER=6.12 (Debian 13's, built
# in the build root that scripts/trixie-root makes), or an ABI name.
KVER ?= 6.1
modules: deps
	@scripts/modules-build $(KVER) >/dev/null

# Every module under linux/ for every supported kernel, with -Werror: a
# module that does not build on one of them fails make check.
modules-all: deps
	@scripts/modules-build all >/dev/null

# The Debian 13 build root (cached in build/roots/); REFRESH=1 makes it anew
# from the archive as it is now (a new point release's kernel).
trixie-root: deps
	@scripts/trixie-root $(if $(REFRESH),--refresh) >/dev/null

# Install argo.ko and argo_char.ko through DKMS for the installed headers
# (Debian 12 or 13: it needs only dkms and linux-headers-amd64).
dkms-install:
	@scripts/dkms-install

tools: deps
	@$(MAKE) -s -C tools OUT=$(BUILD)/tools
	@$(MAKE) -s -C backends/discovery OUT=$(BUILD)/tools
	@$(MAKE) -s -C backends/virtio-argo OUT=$(BUILD)/tools LDFLAGS=-static

# libargo: build/lib/libargo.{a,so} and libargo.pc. install-lib takes
# PREFIX (default /usr/local) and DESTDIR, and installs what lib built.
lib: deps
	@$(MAKE) -s -C lib/libargo OUT=$(BUILD)/lib

# virtio-argo-backend: build/backends/virtio-argo-backend.
backends: deps
	@$(MAKE) -s -C backends/virtio-argo OUT=$(BUILD)/backends

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

# Host fuzzers (tests/fuzz, docs/fuzzing.md): each target for FUZZ_SECONDS;
# fuzz-check runs each briefly over the committed corpus, for make check.
FUZZ_SECONDS ?= 60
fuzz: deps
	@$(MAKE) -s -C tests/fuzz run FUZZ_SECONDS=$(FUZZ_SECONDS)
fuzz-check: deps
	@$(MAKE) -s -C tests/fuzz check

# Argo's hypercalls fuzzed from two guests on a debug Xen (lab scenario
# argo-fuzz): make check runs the default seed; this runs any.
SEED ?= 1
CALLS ?= 20000
ROUNDS ?= 4
XEN_VARIANT ?= patched-debug
fuzz-xen: deps lab-inputs
	@lab/run --no-build --timeout 3600 --set fuzz_seed=$(SEED) --set fuzz_calls=$(CALLS) \
		--set fuzz_rounds=$(ROUNDS) argo-fuzz@$(XEN_VARIANT)

# Each validation of the parsers guests attack broken in turn (the list is
# tests/mutate/mutants): a test must notice every one (docs/testing.md).
mutate: deps
	@scripts/mutate

# The tests: host unit tests, the host fuzzers over their corpora, the ring
# parser's mutants (about two minutes), every module for both kernels, then
# the lab scenarios. Scenarios joined with + share one boot, run in turn and
# each judged as if alone (docs/lab.md, "Several scenarios in one boot"):
# a new scenario joins the group whose XEN_ARGS, XEN_MODULES,
# EXPECT_XEN_PANIC* and variant it shares (lab/run refuses a mismatch,
# naming the key), and gets its own entry only when none matches
# (`lab/run --regroup TARGETS...` prints the fewest boots for a list).
# One boot at a time: two side by side (LAB_JOBS=2) each ran at half
# speed or worse on this 2-CPU host (a PV guest took 180-210 s to boot,
# against 25 s alone), so nothing was gained.
LAB_JOBS ?= 1
CHECK_SCENARIOS ?= smoke+flow+conformance+peers+lifecycle+discovery+virtio-blk+virtio-backend+vsock \
	smoke+conformance+peers+virtio-blk+virtio-backend+vsock@k6.12 \
	smoke+flow+conformance+peers+lifecycle@pristine \
	pvh-smoke+pvh-conformance+pvh-peers \
	argo-fuzz@patched-debug \
	xen-fixes-debug@patched-debug xen-fixes@pristine xen-fixes \
	firewall-permissive xen-fixes-debug@pristine-debug firewall+cables \
	firewall-nomap argo-off firewall-badmap
# Xen's XPTI off in those boots: the lab's CPU model (Nehalem) makes Xen
# turn it on, which CPUs without Meltdown do not need, and under TCG each
# of its extra CR3 writes empties QEMU's TLB, so every PV system call and
# hypercall costs far more: smoke+lifecycle took 133 s with it off and
# 239 s on, a guest's kernel 8 s to its init against 19 s. The Argo
# copies under XPTI keep one boot of their own (CHECK_XPTI_SCENARIOS,
# Xen as it boots by default), and make bench times both conditions.
CHECK_XEN_EXTRA ?= xpti=false
CHECK_XPTI_SCENARIOS ?= flow+conformance
check: deps unit fuzz-check modules-all lab-inputs
	@scripts/mutate linux/argo/ringbuf.c
	@lab/run --no-build --jobs $(LAB_JOBS) --xen-extra "$(CHECK_XEN_EXTRA)" $(CHECK_SCENARIOS); \
	a=$$?; lab/run --no-build --xen-extra "" $(CHECK_XPTI_SCENARIOS); b=$$?; \
	[ $$a = 0 ] && [ $$b = 0 ]

demo: deps lab-inputs
	@lab/run --no-build --narrate demo

bench: deps lab-inputs
	@lab/bench

# Guest instructions per message, by who executes them (Xen, kernels,
# modules, user space) and by function: lab/run --profile counts them with
# a TCG plugin (lab/prof), lab/prof/report names them (docs/lab.md).
# Counts, unlike TCG's clock, repeat from boot to boot.
PROFILE_SCENARIOS ?= prof-stream
profile: deps lab-inputs
	@d=build/prof/$$(date +%Y%m%d-%H%M%S); \
	lab/run --no-build --xen-extra "" --profile $$d $(PROFILE_SCENARIOS); r=$$?; \
	lab/prof/report $$d; exit $$r

shell: deps lab-inputs
	@lab/run --no-build --shell

clean:
	@$(MAKE) -s -C linux clean
	rm -rf build
