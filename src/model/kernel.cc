#include "model/kernel.h"

#include <charconv>

#include "common/strings.h"

namespace egret::model {

std::string MacToString(const MacAddress& mac) {
  static const char* kHex = "0123456789abcdef";
  std::string out;
  for (size_t i = 0; i < mac.size(); ++i) {
    if (i) out += ':';
    out += kHex[mac[i] >> 4];
    out += kHex[mac[i] & 0xf];
  }
  return out;
}

std::optional<MacAddress> ParseMac(std::string_view text) {
  auto parts = Split(text, ':');
  if (parts.size() != 6) return std::nullopt;
  MacAddress mac{};
  for (size_t i = 0; i < 6; ++i) {
    if (parts[i].size() != 2) return std::nullopt;
    unsigned v = 0;
    auto [p, ec] = std::from_chars(parts[i].data(), parts[i].data() + 2, v, 16);
    if (ec != std::errc() || p != parts[i].data() + 2) return std::nullopt;
    mac[i] = static_cast<uint8_t>(v);
  }
  return mac;
}

}  // namespace egret::model
