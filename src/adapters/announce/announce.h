// Announcing that this node now owns an address: sends gratuitous ARP (IPv4) or unsolicited
// Neighbor Advertisements (IPv6) out of one device, from the agent itself through an AF_PACKET
// socket (no helper process, nothing lingers after the call). See docs/design/announce.md.
#pragma once

#include <string>

#include "common/status.h"
#include "model/net.h"

namespace egret::announce {

// Sends `count` announcements of `ip` with `device`'s own MAC, back to back, in the calling
// thread's network namespace (run it through netns::RunIn for another one). Spacing repeats is
// the caller's business: call again later. The device must be an Ethernet device and up; the
// address need not be configured on it. Needs CAP_NET_RAW.
//
// Every error names the address and the device. Invalid: count < 1 or a malformed device name;
// NotFound: no such device; FailedPrecondition: not an Ethernet device, or the device is down;
// Unauthorized: no CAP_NET_RAW; Internal: any other socket failure.
Status Announce(const std::string& device, const model::IpAddress& ip, int count);

}  // namespace egret::announce
