// SPDX-License-Identifier: MIT
/* A program built only from an installed libargo (pkg-config's flags):
 * libargo_pkg.sh compiles, links and runs it. With no /dev/argo on the
 * host argo_open fails, which is fine: the point is that it links. */
#include <errno.h>
#include <stdio.h>
#include <libargo.h>

int main(void)
{
	struct argo_handle *h = argo_open();
	int e = errno;

	if (h) {
		printf("libargo: /dev/argo ABI %d\n", argo_abi_version(h));
		argo_close(h);
		return 0;
	}
	printf("libargo: %s\n", argo_strerror(e));
	return 0;
}
