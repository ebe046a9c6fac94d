#include "core/ipam/address_bits.h"

#include <array>

namespace egret::core::ipam {
namespace {

bool BitOf(const std::array<uint8_t, 16>& bytes, int bit) {
  return (bytes[static_cast<size_t>(bit / 8)] >> (7 - bit % 8)) & 1;
}

}  // namespace

uint64_t BitsAt(const model::IpAddress& ip, int start, int len) {
  uint64_t v = 0;
  for (int i = 0; i < len; ++i) v = (v << 1) | (BitOf(ip.bytes(), start + i) ? 1 : 0);
  return v;
}

model::IpAddress WithBits(const model::IpAddress& base, int start, int len, uint64_t value) {
  std::array<uint8_t, 16> bytes = base.bytes();
  for (int i = 0; i < len; ++i) {
    int bit = start + i;
    bool set = (value >> (len - 1 - i)) & 1;
    auto mask = static_cast<uint8_t>(1u << (7 - bit % 8));
    uint8_t& b = bytes[static_cast<size_t>(bit / 8)];
    b = set ? static_cast<uint8_t>(b | mask) : static_cast<uint8_t>(b & ~mask);
  }
  if (!base.is_v4()) return model::IpAddress::V6(bytes);
  return model::IpAddress::V4(static_cast<uint32_t>(bytes[0]) << 24 |
                              static_cast<uint32_t>(bytes[1]) << 16 |
                              static_cast<uint32_t>(bytes[2]) << 8 | bytes[3]);
}

}  // namespace egret::core::ipam
