// Link-layer frames that tell the hosts on a link which MAC now owns an address: a gratuitous
// ARP for IPv4 and an unsolicited Neighbor Advertisement for IPv6. The egress gateway sends one
// the moment a node takes over an EIP, so that neighbours drop the previous owner's MAC at once
// instead of when their cache entry expires (docs/design/announce.md).
//
// Pure functions: they build bytes and touch no socket, so every field is unit-tested.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "model/kernel.h"
#include "model/net.h"

namespace egret::announce {

// Shortest Ethernet frame without the FCS. Frames are zero-padded to it here because a virtual
// device (veth, tap) hands the frame on as given and does not pad it the way a NIC would.
inline constexpr size_t kMinEthernetFrame = 60;

// An ARP request to ff:ff:ff:ff:ff:ff announcing `ip` at `src_mac` (RFC 5227 "ARP
// Announcement"): sender and target protocol address are both `ip`, target hardware address
// zero. A request rather than a reply because every stack processes broadcast requests, while
// some ignore replies they did not ask for. 60 bytes. Empty when `ip` is not IPv4.
std::vector<uint8_t> BuildGratuitousArp(const model::MacAddress& src_mac,
                                        const model::IpAddress& ip);

// An unsolicited Neighbor Advertisement (RFC 4861 §7.2.6) for target `ip` from `src_mac`:
// Ethernet to 33:33:00:00:00:01, IPv6 from `ip` to ff02::1 with hop limit 255, ICMPv6 type 136
// code 0 with Override set and Solicited and Router clear, and a target link-layer address
// option carrying `src_mac`; the ICMPv6 checksum covers the pseudo-header. 86 bytes. Empty
// when `ip` is not IPv6.
std::vector<uint8_t> BuildUnsolicitedNa(const model::MacAddress& src_mac,
                                        const model::IpAddress& ip);

// The frame for ip's family: BuildGratuitousArp for IPv4, BuildUnsolicitedNa for IPv6.
std::vector<uint8_t> BuildAnnouncement(const model::MacAddress& src_mac,
                                       const model::IpAddress& ip);

// Ethernet header fields the sender needs apart from the frame (for sockaddr_ll).
inline constexpr uint16_t kEtherTypeArp = 0x0806;
inline constexpr uint16_t kEtherTypeIpv6 = 0x86dd;

}  // namespace egret::announce
