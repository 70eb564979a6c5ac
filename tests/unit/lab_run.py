#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Host tests of lab/run's judgement, with no boot: a saved console stream
(fixtures/lab-console-smoke.log, dom0 and g1 each declaring its plan first)
is fed to the runner's own parser and report as it is, and with one case
missing, one case too many, no plan, a plan printed last (self-counted)
and two plans. Each broken stream must fail the boot, naming the domain.
Then the same stream as members of a group sharing one boot ("[member:dom]"
lines): each member is judged alone, so a member's missing plan, a guest
line attributed to the wrong member, a leftover and a hang or crash
mid-group fail the member they belong to, and the members never reached
are reported as not run."""

import importlib.machinery
import importlib.util
import io
import os
import subprocess
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
        "EXPECT_XEN_PANIC_ON": "", "DESCRIPTION": "", "XEN_MODULES": "", "QEMU_CPU": "Nehalem",
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


# --- groups: several scenarios in one boot -----------------------------------

def member_body(scenario):
    """The fixture's scenario part as member `scenario` of a group prints it."""
    body = good[good.index("LAB-PHASE scenario smoke") + 1:good.index("LAB-PHASE poweroff")]
    out = [f"LAB-PHASE scenario {scenario}"]
    for ln in body:
        m = labrun.PREFIXED.match(ln)
        out.append(f"[{scenario}:{m.group(2)}] {m.group(3)}" if m else ln)
    return out + [f"LAB-PHASE scenario-done {scenario}"]


GROUP = ("smoke", "flow", "peers")
head = good[:good.index("LAB-PHASE scenario smoke")]
grouped = head + [ln for sc in GROUP for ln in member_body(sc)] + ["LAB-PHASE poweroff"]


def judge_group(lines, timed_out=False, only=None):
    """(passed, TAP text) of the runner's report on one replayed group boot."""
    members = [(sc, sc, dict(CONF)) for sc in GROUP]
    with tempfile.TemporaryDirectory() as d, open(os.devnull, "w") as quiet:
        err, sys.stderr = sys.stderr, quiet
        try:
            boot = labrun.replay_boot("+".join(GROUP), members, lines, d, timed_out)
        finally:
            sys.stderr = err
        out = io.StringIO()
        passed, text = labrun.report([boot], out,
                                     only=boot.by_scenario[only] if only else None)
    return passed, text


def results(text, ok):
    return [ln for ln in text.splitlines() if ln.startswith("ok " if ok else "not ok ")]


def group_expect(name, lines, failing, passing, timed_out=False):
    """The group fails; each needle in failing is in a `not ok` line, and
    no `not ok` line names a member in passing."""
    passed, text = judge_group(lines, timed_out)
    bad = results(text, False)
    missing = [f for f in failing if not any(f in ln for ln in bad)]
    wrong = [ln for ln in bad for p in passing if f" - {p}: " in ln]
    tap(not passed and not missing and not wrong, name,
        f"expected failures {missing} and none of {passing} to fail, got:\n{text}")


passed, text = judge_group(grouped)
tap(passed and len(results(text, True)) == 3 * 8, "group_stream_passes_every_member",
    f"expected 3 x (7 results + 1 boot verdict) ok, got:\n{text}")
tap(all(f"- {sc}: g1: send_hello" in text and f"- {sc}: lab: boot ran clean" in text
        for sc in GROUP), "group_results_named_by_member",
    f"expected each member's guest results and verdict under its name, got:\n{text}")
passed, text = judge_group(grouped, only="flow")
tap(passed and len(results(text, True)) == 8 and "smoke:" not in text,
    "group_member_results_tap_is_its_own", f"expected flow's 8 results only, got:\n{text}")

# A member's dom0 never declared its plan: that member fails, the others pass.
noplan_member = [ln for ln in grouped if ln != "[flow:dom0] 1..5"]
group_expect("group_member_missing_plan_fails_that_member", noplan_member,
             ["flow: dom0: TAP plan present"], ["smoke", "peers"])

# Two members both run a guest g1; one of smoke's g1 lines relayed under
# flow's name is noticed on both sides.
mis = grouped[:]
i = mis.index("[smoke:g1] ok 2 - recv_from_dom0_source_type_bytes")
mis[i] = "[flow:g1] ok 2 - recv_from_dom0_source_type_bytes"
group_expect("group_guest_line_misattributed_fails_both", mis,
             ["smoke: g1: TAP plan matches", "flow: g1: TAP plan matches"], ["peers"])
# A guest line with no member prefix in a group is the running member's.
bare = grouped[:]
bare[bare.index("[flow:g1] ok 1 - send_hello")] = "[g1] ok 1 - send_hello"
tap(judge_group(bare)[0], "group_unprefixed_line_is_the_running_members",
    f"got:\n{judge_group(bare)[1]}")
# A line naming a member that is not in the boot.
stray = grouped[:]
stray.insert(stray.index("LAB-PHASE scenario-done flow"), "[lifecycle:g1] ok 1 - x")
group_expect("group_line_from_unknown_member_fails", stray,
             ["flow: lab: boot ran clean"], ["smoke", "peers"])

# The cleanup between members found smoke's guest still running.
left = grouped[:]
left.insert(left.index("LAB-PHASE scenario-done smoke"),
            "[smoke:dom0] LAB-ERROR smoke left guest g1 running; destroyed it")
group_expect("group_leftover_fails_the_member_that_left_it", left,
             ["smoke: lab: boot ran clean"], ["flow", "peers"])
passed, text = judge_group(left)
tap("# dom0: smoke left guest g1 running; destroyed it" in text,
    "group_leftover_named", f"got:\n{text}")

# A kernel oops (dom0's unprefixed lines) while flow runs is flow's.
oops = grouped[:]
oops.insert(oops.index("[flow:dom0] ok 3 - dev_argo_present"), "[   12.0] Oops: 0000 [#1] SMP")
group_expect("group_dom0_oops_is_the_running_members", oops,
             ["flow: lab: boot ran clean"], ["smoke", "peers"])

# flow hangs half-way (its TIMEOUT runs out): flow fails naming the phase,
# peers was never reached and is reported as not run, smoke passed.
hang = grouped[:grouped.index("[flow:dom0] ok 4 - guest_to_dom0_source_type_bytes")]
group_expect("group_hang_mid_group_fails_member_and_rest_not_run", hang,
             ["flow: lab: boot ran clean", "flow: dom0: TAP plan matches", "peers: lab: not run"],
             ["smoke"], timed_out=True)
passed, text = judge_group(hang, timed_out=True)
tap("timed out after 1s in phase 'guest-done'" in text
    and "not run: the boot ended in flow (it timed out) before peers started" in text,
    "group_hang_says_where_and_why", f"got:\n{text}")
tap(not any(ln.startswith("ok ") and "peers" in ln for ln in text.splitlines()),
    "group_not_run_member_never_passes", f"got:\n{text}")

# The machine stops (a Xen crash) in flow: the same, with no timeout.
stop = grouped[:grouped.index("[flow:dom0] ok 4 - guest_to_dom0_source_type_bytes")] + \
    ["(XEN) Panic on CPU 0:"]
group_expect("group_crash_mid_group_fails_member_and_rest_not_run", stop,
             ["flow: lab: boot ran clean", "peers: lab: not run"], ["smoke"])

# A hang before the first member started is the first member's.
early = head[:2]
group_expect("group_hang_before_first_member_is_its", early,
             ["smoke: lab: boot ran clean", "flow: lab: not run", "peers: lab: not run"], [],
             timed_out=True)


def runner_error(fn, *a):
    """The message lab/run dies with (it exits 2), or None."""
    with open(os.devnull, "w"):
        err, sys.stderr = sys.stderr, io.StringIO()
        try:
            fn(*a)
        except SystemExit:
            return sys.stderr.getvalue()
        finally:
            sys.stderr = err
    return None


class Args:
    xen_args = None
    timeout = None


def shape(**over):
    c = dict(CONF, TIMEOUT=300)
    c.update(over)
    return c


tap(labrun.parse_target("smoke+flow@pristine+k6.12", "patched", "6.1")
    == (("smoke", "flow"), "pristine", "6.12"), "group_target_parses",
    repr(labrun.parse_target("smoke+flow@pristine+k6.12", "patched", "6.1")))
msg = runner_error(labrun.parse_target, "smoke@pristine+flow", "patched", "6.1")
tap(msg and "one variant, written once after all its members" in msg,
    "group_variant_per_member_refused", f"got {msg!r}")
msg = runner_error(labrun.parse_target, "smoke+smoke", "patched", "6.1")
tap(msg and "smoke is in the group twice" in msg, "group_member_twice_refused", f"got {msg!r}")
confs = {"a": shape(), "b": shape(XEN_ARGS="argo=1"), "c": shape(),
         "d": shape(modules=["/x/policy"]), "e": shape(EXPECT_XEN_PANIC="RIP",
                                                     EXPECT_XEN_PANIC_ON="pristine"),
         "f": shape(QEMU_CPU="Opteron_G3,+npt")}
for other, key in (("b", "XEN_ARGS"), ("d", "XEN_MODULES"), ("e", "EXPECT_XEN_PANIC"),
                   ("f", "QEMU_CPU")):
    msg = runner_error(labrun.group_members, f"a+{other}", ("a", other), "patched", "6.1",
                       confs, Args())
    tap(msg and f"a and {other} differ in {key}" in msg, f"group_differing_{key}_refused",
        f"got {msg!r}")
msg = runner_error(labrun.group_members, "e+e2", ("e", "e2"), "pristine", "6.1",
                   dict(confs, e2=confs["e"]), Args())
tap(msg and "expects Xen to panic on pristine" in msg, "group_with_expected_panic_refused",
    f"got {msg!r}")
members = labrun.group_members("a+c", ("a", "c"), "pristine", "6.1", confs, Args())
tap([m[0] for m in members] == ["a@pristine", "c@pristine"]
    and sum(m[2]["TIMEOUT"] for m in members) == 600, "group_members_named_and_timed",
    repr([(m[0], m[2]["TIMEOUT"]) for m in members]))

# --regroup: the fewest boots, each shape once, a panicking member alone.
got = labrun.regroup([(("a",), "patched", "6.1"), (("b",), "patched", "6.1"),
                      (("c",), "patched", "6.1"), (("a",), "pristine", "6.1"),
                      (("e",), "pristine", "6.1"), (("e",), "patched", "6.1"),
                      (("c",), "patched", "6.12"), (("f",), "patched", "6.1")], confs)
tap(got == ["a+c", "b", "a@pristine", "e@pristine", "e", "c@k6.12", "f"], "regroup_fewest_boots",
    f"got {got}")

# --xen-extra (make check: xpti=false) comes after the scenario's own Xen
# arguments, so it wins where they name the same option; nothing when empty.
cmd = labrun.qemu_cmd("xen", "vmlinuz", "img", "argo=1 flask=enforcing", "d0", False,
                      xen_extra="xpti=false")
line = cmd[cmd.index("-append") + 1]
plain = labrun.qemu_cmd("xen", "vmlinuz", "img", "argo=1", "d0", False)
tap(line.endswith("argo=1 flask=enforcing xpti=false")
    and plain[plain.index("-append") + 1].endswith("argo=1"), "xen_extra_after_scenario_args",
    f"got {line!r}")

# --profile: the plugin goes on QEMU's command line, and the marks a domain
# prints are filed where lab/prof/report reads them; a start/end pair is
# served by the plugin (here a thread standing in for it), a bad mark is
# ignored, not filed.
cmd = labrun.qemu_cmd("xen", "vmlinuz", "img", "", "d0", False, plugin="tb.so,dir=/p")
tap(cmd[cmd.index("-plugin") + 1] == "tb.so,dir=/p"
    and "-plugin" not in labrun.qemu_cmd("xen", "vmlinuz", "img", "", "d0", False),
    "profile_plugin_on_qemu_command_line", " ".join(cmd))
with tempfile.TemporaryDirectory() as d:
    import threading

    def plugin(folder, stop):
        while not stop.is_set():
            for what in ("reset", "dump"):
                path = os.path.join(folder, what)
                if os.path.exists(path):
                    if what == "dump":
                        with open(os.path.join(folder, "profile.txt"), "w") as f:
                            f.write("ffff82d040200000 5 7\n")
                    os.unlink(path)
            stop.wait(0.01)

    prof = labrun.Profiler(d)
    stop = threading.Event()
    t = threading.Thread(target=plugin, args=(d, stop))
    t.start()
    with open(os.devnull, "w") as quiet:
        err, sys.stderr = sys.stderr, quiet
        try:
            for line in ("start argo256", "end argo256", "count argo256 4096",
                         "mod argo 0xffffffffc0201000", "count ../x 5", "mod argo x; rm",
                         "mod ../argo 0x1000", "end", "bogus"):
                prof.line("g2", line)
        finally:
            sys.stderr = err
    stop.set()
    t.join()
    files = sorted(os.listdir(d))

    def read(name):
        with open(os.path.join(d, name)) as f:
            return f.read()
    tap(files == ["argo256.txt", "counts", "mods"] and read("counts") == "argo256 4096\n"
        and read("mods") == "g2 argo 0xffffffffc0201000\n"
        and read("argo256.txt") == "ffff82d040200000 5 7\n",
        "profile_marks_filed_bad_ones_ignored", f"files {files}")

# The command line judges a saved grouped console with the scenarios' own
# scenario.conf (smoke's TAP_FROM has g1, flow's only dom0).
with tempfile.TemporaryDirectory() as d:
    for name, lines, want in (("replay_cli_judges_a_group", grouped[:len(head)] +
                               member_body("smoke") + member_body("flow") +
                               ["LAB-PHASE poweroff"], 0),
                              ("replay_cli_fails_a_group_member",
                               [ln for ln in grouped[:len(head)] + member_body("smoke") +
                                member_body("flow") + ["LAB-PHASE poweroff"]
                                if ln != "[flow:dom0] 1..5"], 1)):
        with open(os.path.join(d, "console.log"), "w") as f:
            f.write("\n".join(lines) + "\n")
        r = subprocess.run([RUN, "--replay", os.path.join(d, "console.log"), "smoke+flow"],
                           env=dict(os.environ, BUILD=d), capture_output=True, text=True)
        tap(r.returncode == want and "lab: PASS smoke" in r.stderr
            and f"lab: {'FAIL' if want else 'PASS'} flow" in r.stderr, name,
            f"expected exit {want}, got {r.returncode}:\n{r.stdout}{r.stderr}")

print(f"1..{n}")
sys.exit(1 if failed else 0)
