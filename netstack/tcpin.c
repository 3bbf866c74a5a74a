/* SPDX-License-Identifier: MIT */
/*
 * tcpin.c - lwIP's TCP input hook (LWIP_HOOK_TCP_INPACKET_PCB): every
 * check rrsandbox makes on a received segment before lwIP takes it.
 *
 * lwIP calls rrs_tcp_inpacket() once it has found the segment's pcb (a
 * connection, a TIME_WAIT pcb or a listener), after its checksum and
 * header checks and before any state changes.  The checks, in order:
 * the minimum TTL (tcp.c: IP_MINTTL / IPV6_MINHOPCOUNT, first as in
 * Linux's tcp_v4_rcv()), the TCP MD5 signature (tcpmd5.c: a segment that fails is dropped
 * silently, as Linux does, before anything answers it), then a SYN for a
 * listener the program closed unseen (tcp.c: refused with a reset).
 * A segment for which lwIP found no pcb at all goes to
 * rrs_tcp_inpacket_nopcb() (patches/lwip/0014) before lwIP resets it.
 */
#include "lwip/tcp.h"
#include "lwip/priv/tcp_priv.h"
#include "rrs_lwip_hooks.h"

#include "internal.h"

/**
 * rrs_tcp_inpacket() - LWIP_HOOK_TCP_INPACKET_PCB: see each segment first
 * @pcb:	the pcb lwIP chose (a tcp_pcb_listen for a listener)
 * @hdr:	the TCP header; ports, numbers and window in host order
 * @optlen:	option length
 * @opt1len:	option bytes in the first pbuf, right after @hdr
 * @opt2:	the rest of the options, or NULL
 * @p:		the segment's data (its payload is past the options)
 *
 * Return: ERR_OK to take the segment, ERR_ABRT to drop it
 */
signed char rrs_tcp_inpacket(struct tcp_pcb *pcb, struct tcp_hdr *hdr,
			     unsigned short optlen, unsigned short opt1len,
			     unsigned char *opt2, struct pbuf *p)
{
	if (ns__tcp_below_minttl(pcb))
		return ERR_ABRT;
	if (!ns__md5_check(pcb, hdr, optlen, opt1len, opt2, p))
		return ERR_ABRT;
	if (ns__tcp_refuse_closed(pcb, hdr))
		return ERR_ABRT;
	return ERR_OK;
}

/**
 * rrs_tcp_inpacket_nopcb() - LWIP_HOOK_TCP_INPACKET_NOPCB: whether to reset
 * a segment for no connection and no listener (patches/lwip/0014)
 * @hdr:	the TCP header (fields in host order)
 * @optlen:	option bytes
 * @opt1len:	of which after @hdr in the first pbuf
 * @opt2:	the rest, or NULL
 * @p:		the data
 *
 * lwIP gives a segment to a listener on its port when there is one (whose
 * RST is signed when it holds a key for the sender, tcpmd5.c), so no key
 * applies here.  As Linux's tcp_v4_send_reset(), which looks for such a
 * listener and finds none: an unsigned segment gets the (unsigned) RST, a
 * signed one nothing.
 *
 * Return: ERR_OK to send the RST, ERR_ABRT to send nothing
 */
signed char rrs_tcp_inpacket_nopcb(struct tcp_hdr *hdr, unsigned short optlen,
				   unsigned short opt1len, unsigned char *opt2,
				   struct pbuf *p)
{
	uint8_t sig[16];

	if (ns__md5_find_option(hdr, optlen, opt1len, opt2, sig))
		return ERR_ABRT;
	return ERR_OK;
}
