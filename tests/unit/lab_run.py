#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Host tests of lab/run's judgement, with no boot: a saved console stream
(fixtures/lab-console-smoke.log, dom0 and g1 each declaring its plan first)
is fed to the runner's own parser and report as it is, and with one case
missing, one case too many, no plan, a plan printed last (self-counted)
and two plans. Each broken stream must fail the boot, naming the domain."""

import importlib.machinery
import importlib.util
import io
import os
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
RUN = os.path.join(HERE, "..", "..", "lab", "run")
FIXTURE = os.path.join(HERE, "fixtures", "lab-console-smoke.log")

loader = importlib.machinery.SourceFileLoader("labrun", RUN)
spec = importlib.util.spec_from_loader("labrun", loader)
labrun = importlib.util.module_from_spec(spec)
loader.exec_module(labrun)

CONF = {"XEN_ARGS": "", "TIMEOUT": 1, "TAP_FROM": "dom0 g1", "EXPECT_XEN_PANIC": "",
        "EXPECT_XEN_PANIC_ON": "", "DESCRIPTION": "", "XEN_MODULES": "",
        "modules": [], "needs_policy": False, "variant": "patched"}

n = 0
failed = 0


def tap(ok, name, why=""):
    global n, failed
    n += 1
    failed += not ok
    print(f"{'ok' if ok else 'not ok'} {n} - {name}")
    if not ok:
        print("# " + why.replace("\n", "\n# "))


def judge(lines, tap_from="dom0 g1"):
    """(passed, TAP text) of the runner's report on one replayed boot."""
    with tempfile.TemporaryDirectory() as d, open(os.devnull, "w") as quiet:
        # The runner narrates phases on stderr; TAP here is on stdout.
        err, sys.stderr = sys.stderr, quiet
        try:
            boot = labrun.replay("smoke", dict(CONF, TAP_FROM=tap_from), lines, d)
        finally:
            sys.stderr = err
        out = io.StringIO()
        passed, text = labrun.report([boot], out)
    return passed, text


def expect_fail(name, lines, needle, tap_from="dom0 g1"):
    """The boot fails, with a `not ok` line containing needle."""
    passed, text = judge(lines, tap_from)
    hit = [ln for ln in text.splitlines() if ln.startswith("not ok") and needle in ln]
    tap(not passed and hit, name,
        f"expected a failing report with 'not ok ... {needle}', got:\n{text}")


with open(FIXTURE) as f:
    good = f.read().splitlines()

passed, text = judge(good)
tap(passed and "not ok" not in text, "saved_stream_with_declared_plans_passes",
    f"expected every result ok, got:\n{text}")
tap(sum(ln.startswith("ok ") for ln in text.splitlines()) == 8,
    "saved_stream_reports_every_case_and_the_boot",
    f"expected 5 + 2 results and one boot verdict, got:\n{text}")

# A case that vanished (an early return, `cmd && check`, an if with no else).
missing = [ln for ln in good if ln != "[dom0] ok 4 - guest_to_dom0_source_type_bytes"]
expect_fail("missing_case_fails_the_domain", missing, "dom0: TAP plan matches")
passed, text = judge(missing)
tap("expected 5 results from dom0 (its declared plan), got 4" in text,
    "missing_case_says_expected_and_got", f"got:\n{text}")

# One case more than declared.
extra = good[:]
extra.insert(extra.index("[g1] ok 2 - recv_from_dom0_source_type_bytes") + 1,
             "[g1] ok 3 - an_undeclared_case")
expect_fail("extra_case_fails_the_domain", extra, "g1: TAP plan matches")

# No plan at all from a domain that must report.
noplan = [ln for ln in good if ln != "[g1] 1..2"]
expect_fail("missing_plan_fails_the_domain", noplan, "g1: TAP plan present")

# A domain outside TAP_FROM that reports results still needs a plan.
expect_fail("results_without_plan_outside_tap_from_fail", noplan, "g1: TAP plan present",
            tap_from="dom0")

# The old habit: the plan printed last counts whatever ran.
last = [ln for ln in good if ln != "[dom0] 1..5"]
last.insert(last.index("LAB-PHASE poweroff"), "[dom0] 1..5")
expect_fail("plan_printed_last_fails", last, "dom0: TAP plan declared up front")

# A domain whose plan was declared and that died half-way (no poweroff).
died = good[:good.index("[dom0] ok 4 - guest_to_dom0_source_type_bytes")]
expect_fail("domain_stopping_early_fails_the_plan", died, "dom0: TAP plan matches")

# Two plans in one domain (a script that declared twice).
twice = good[:]
twice.insert(twice.index("[dom0] ok 1 - load_argo_core"), "[dom0] 1..5")
expect_fail("two_plans_fail", twice, "dom0: TAP plan declared once")

print(f"1..{n}")
sys.exit(1 if failed else 0)
