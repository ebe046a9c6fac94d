// Fuzz target: the rtnetlink reply decoders (bytes from the kernel → model objects). Any input
// must decode or give a clean error: no crash, leak or over-read. What decodes must survive a
// round trip through the matching encoder: decode(encode(decode(x))) == decode(x).
#include <linux/netlink.h>
#include <linux/rtnetlink.h>

#include <cstddef>
#include <cstdint>
#include <span>

#include "adapters/netlink/codec.h"
#include "adapters/netlink/message.h"

namespace {

using namespace egret::netlink;  // NOLINT: fuzz entry point

// The first message of a freshly encoded request, as a reply of `type` would carry it.
Message Reencoded(std::vector<uint8_t> request, uint16_t type) {
  auto messages = ParseMessages(request);
  if (!messages.ok() || messages->size() != 1) __builtin_trap();
  Message m = std::move((*messages)[0]);
  m.type = type;
  return m;
}

void CheckRoute(const Message& m) {
  auto info = DecodeRoute(m);
  if (!info.ok() || !ValidateRoute(info->route).ok()) return;
  auto again =
      DecodeRoute(Reencoded(EncodeReplaceRoute(info->route, info->oif_index), RTM_NEWROUTE));
  if (!again.ok() || !(again->route == info->route)) __builtin_trap();
}

void CheckRule(const Message& m) {
  auto info = DecodeRule(m);
  if (!info.ok() || !ValidateRule(info->rule).ok()) return;
  auto again = DecodeRule(Reencoded(EncodeAddRule(info->rule), RTM_NEWRULE));
  if (!again.ok() || !(again->rule == info->rule)) __builtin_trap();
}

void CheckAddress(const Message& m) {
  auto info = DecodeAddress(m);
  if (!info.ok()) return;
  auto again = DecodeAddress(Reencoded(EncodeAddAddress(info->index, info->address), RTM_NEWADDR));
  if (!again.ok() || !(again->address == info->address)) __builtin_trap();
}

void CheckNeighbor(const Message& m) {
  auto info = DecodeNeighbor(m);
  if (!info.ok() || !ValidateNeighbor(info->neighbor).ok()) return;
  auto again =
      DecodeNeighbor(Reencoded(EncodeReplaceNeighbor(info->neighbor, info->index), RTM_NEWNEIGH));
  if (!again.ok() || !(again->neighbor == info->neighbor)) __builtin_trap();
}

constexpr int kTypes[] = {RTM_NEWLINK,  RTM_NEWADDR, RTM_NEWROUTE, RTM_NEWRULE,
                          RTM_NEWNEIGH, NLMSG_ERROR, NLMSG_DONE};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  auto messages = ParseMessages(std::span<const uint8_t>(data, size));
  if (!messages.ok()) return 0;
  for (const Message& m : *messages) {
    // Every decoder sees every message: type confusion must fail cleanly too.
    (void)DecodeAck(m);
    (void)DecodeLink(m);
    CheckAddress(m);
    CheckRoute(m);
    CheckRule(m);
    CheckNeighbor(m);
    // Each decoder also sees the payload under its own type.
    for (int type : kTypes) {
      Message as = m;
      as.type = static_cast<uint16_t>(type);
      (void)DecodeAck(as);
      (void)DecodeLink(as);
      CheckAddress(as);
      CheckRoute(as);
      CheckRule(as);
      CheckNeighbor(as);
    }
  }
  return 0;
}
