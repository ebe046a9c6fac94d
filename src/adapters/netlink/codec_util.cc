#include "adapters/netlink/codec_util.h"

#include <sys/socket.h>

#include <array>
#include <cstring>

namespace egret::netlink {

int AfOf(model::Family f) { return f == model::Family::kV4 ? AF_INET : AF_INET6; }

Bytes IpBytes(const model::IpAddress& ip) { return Bytes(ip.bytes().data(), ip.is_v4() ? 4 : 16); }

std::optional<model::IpAddress> IpFromBytes(Bytes b) {
  if (b.size() == 4) {
    uint32_t host = (uint32_t{b[0]} << 24) | (uint32_t{b[1]} << 16) | (uint32_t{b[2]} << 8) | b[3];
    return model::IpAddress::V4(host);
  }
  if (b.size() == 16) {
    std::array<uint8_t, 16> bytes;
    std::memcpy(bytes.data(), b.data(), 16);
    return model::IpAddress::V6(bytes);
  }
  return std::nullopt;
}

void AttrReader::Fail(std::string_view reason) {
  if (status_.ok()) status_ = InvalidError(what_ + ": " + std::string(reason));
}

std::optional<uint8_t> AttrReader::U8(uint16_t type, std::string_view name) {
  const Attr* a = attrs_.Find(type);
  if (!a) return std::nullopt;
  auto v = a->U8();
  if (!v) Fail(std::string(name) + " has " + std::to_string(a->data.size()) + " bytes, want 1");
  return v;
}

std::optional<uint32_t> AttrReader::U32(uint16_t type, std::string_view name) {
  const Attr* a = attrs_.Find(type);
  if (!a) return std::nullopt;
  auto v = a->U32();
  if (!v) Fail(std::string(name) + " has " + std::to_string(a->data.size()) + " bytes, want 4");
  return v;
}

std::optional<uint16_t> AttrReader::Be16(uint16_t type, std::string_view name) {
  const Attr* a = attrs_.Find(type);
  if (!a) return std::nullopt;
  auto v = a->Be16();
  if (!v) Fail(std::string(name) + " has " + std::to_string(a->data.size()) + " bytes, want 2");
  return v;
}

std::optional<std::string> AttrReader::Str(uint16_t type) {
  const Attr* a = attrs_.Find(type);
  if (!a) return std::nullopt;
  return a->Str();
}

std::optional<model::IpAddress> AttrReader::Ip(uint16_t type, int family, std::string_view name) {
  const Attr* a = attrs_.Find(type);
  if (!a) return std::nullopt;
  size_t want = family == AF_INET ? 4 : 16;
  if (a->data.size() != want) {
    Fail(std::string(name) + " has " + std::to_string(a->data.size()) + " bytes, want " +
         std::to_string(want));
    return std::nullopt;
  }
  return IpFromBytes(a->data);
}

std::optional<model::MacAddress> AttrReader::Mac(uint16_t type) {
  const Attr* a = attrs_.Find(type);
  if (!a || a->data.size() != 6) return std::nullopt;
  model::MacAddress mac;
  std::memcpy(mac.data(), a->data.data(), 6);
  return mac;
}

}  // namespace egret::netlink
