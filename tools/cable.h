/* SPDX-License-Identifier: MIT */
/* argo-ctl cable: program and show Argo patch cables (docs/cables.md). */
#ifndef ARGO_CTL_CABLE_H
#define ARGO_CTL_CABLE_H

/* Exit codes of `argo-ctl cable` (documented in docs/cables.md). */
#define CABLE_EXIT_OK		0
#define CABLE_EXIT_FAILED	1	/* Xen or the driver refused */
#define CABLE_EXIT_USAGE	2	/* bad arguments, unknown domain */
#define CABLE_EXIT_NO_CABLES	3	/* this Xen has no cables */

/* argv[0] is "cable". Returns an exit code above. */
int cmd_cable(int argc, char **argv);
/* argo-ctl features: Xen's optional Argo features, by name ("none"). */
int cmd_features(int argc, char **argv);

#endif
