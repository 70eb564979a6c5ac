// SPDX-License-Identifier: MIT
/*
 * Fuzz target: the discovery codec (linux/argo/discovery.c), which the
 * discovery service runs on what any guest sends to its discovery port and
 * a guest (argo-discover, later virtio_argo.ko) runs on what the service
 * answers (docs/discovery.md).
 *
 * The input is one received message. Properties:
 *  - decoding reads nothing past the message (it is a heap block of exactly
 *    its length, so ASan sees any overrun) and either accepts it or names
 *    what was wrong with a status from the protocol's list;
 *  - what decodes holds only valid records, and records point inside the
 *    message;
 *  - what decodes re-encodes to the same bytes, so the decoder accepts
 *    nothing the encoder would not write, and the encoder writes only what
 *    the decoder accepts.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include <argo/discovery.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct argo_disc_dev devs[ARGO_DISC_RECORDS_MAX];
	uint8_t again[ARGO_DISC_MSG_MAX];
	struct argo_disc_msg m, m2;
	uint8_t *buf;
	uint32_t len;
	unsigned int i;
	int st, n;

	if (size > 4 * ARGO_DISC_MSG_MAX)
		return 0;
	len = (uint32_t)size;
	buf = malloc(len ? len : 1);
	FUZZ_ASSERT(buf != NULL, "%s", "malloc");
	if (len)
		memcpy(buf, data, len);

	memset(&m, 0, sizeof(m));
	st = argo_disc_decode(buf, len, &m);
	FUZZ_ASSERT(st >= ARGO_DISC_OK && st <= ARGO_DISC_E_MAX,
		    "status %d outside the protocol's list", st);
	if (st != ARGO_DISC_OK) {
		FUZZ_ASSERT(m.why != NULL, "status %d without a reason", st);
		free(buf);
		return 0;
	}
	FUZZ_ASSERT(len <= ARGO_DISC_MSG_MAX && m.hdr.msg_size == len,
		    "accepted %u bytes with msg_size %u", len, m.hdr.msg_size);

	/* A GET_DEVICES response: every record inside and valid. */
	if (m.hdr.msg_id == ARGO_DISC_MSG_GET_DEVICES &&
	    (m.hdr.type & ARGO_DISC_TYPE_RESPONSE) && m.hdr.status == 0) {
		FUZZ_ASSERT(m.u.get_resp.count <= ARGO_DISC_RECORDS_MAX,
			    "%u records", m.u.get_resp.count);
		FUZZ_ASSERT(m.u.get_resp.records >= buf &&
			    m.u.get_resp.records + (size_t)m.u.get_resp.count *
			    ARGO_DISC_DEV_SIZE <= buf + len,
			    "%u records outside the message", m.u.get_resp.count);
		for (i = 0; i < m.u.get_resp.count; i++) {
			argo_disc_record(&m, i, &devs[i]);
			FUZZ_ASSERT(argo_disc_dev_invalid(&devs[i]) == NULL,
				    "accepted record %u is invalid: %s", i,
				    argo_disc_dev_invalid(&devs[i]));
		}
	}

	/* Re-encode and compare. */
	n = argo_disc_encode(again, sizeof(again), &m, devs);
	FUZZ_ASSERT(n == (int)len, "re-encoding %u accepted bytes gave %d", len, n);
	FUZZ_ASSERT(!memcmp(again, buf, len),
		    "msg_id 0x%x type 0x%x re-encodes differently", m.hdr.msg_id,
		    m.hdr.type);
	memset(&m2, 0, sizeof(m2));
	FUZZ_ASSERT(argo_disc_decode(again, (uint32_t)n, &m2) == ARGO_DISC_OK,
		    "%s", "the re-encoded message does not decode");
	free(buf);
	return 0;
}
