// Helpers shared by the typed codecs (internal to src/adapters/netlink): address families and
// bytes, and an attribute reader that remembers the first malformed attribute.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "adapters/netlink/message.h"
#include "model/kernel.h"
#include "model/net.h"

namespace egret::netlink {

int AfOf(model::Family f);
// The 4 (IPv4) or 16 (IPv6) network-order bytes of an address.
Bytes IpBytes(const model::IpAddress& ip);
// An address from 4 or 16 bytes; nullopt for other sizes.
std::optional<model::IpAddress> IpFromBytes(Bytes b);

// Reads typed attributes of one message. Absent attributes give nullopt; an attribute with the
// wrong size gives nullopt and records an Invalid status naming the message and attribute.
class AttrReader {
 public:
  AttrReader(const AttrList& attrs, std::string what) : attrs_(attrs), what_(std::move(what)) {}

  bool Has(uint16_t type) const { return attrs_.Find(type) != nullptr; }
  const Attr* Find(uint16_t type) const { return attrs_.Find(type); }
  std::optional<uint8_t> U8(uint16_t type, std::string_view name);
  std::optional<uint32_t> U32(uint16_t type, std::string_view name);
  std::optional<uint16_t> Be16(uint16_t type, std::string_view name);
  std::optional<std::string> Str(uint16_t type);
  // An address of `family` (AF_INET: 4 bytes, AF_INET6: 16).
  std::optional<model::IpAddress> Ip(uint16_t type, int family, std::string_view name);
  // A 6-byte MAC; nullopt (no error) for other hardware address sizes.
  std::optional<model::MacAddress> Mac(uint16_t type);

  void Fail(std::string_view reason);
  const Status& status() const { return status_; }

 private:
  const AttrList& attrs_;
  std::string what_;
  Status status_;
};

}  // namespace egret::netlink
