#include "lab/ws_sha1.h"

#include <bit>
#include <string>

namespace egret::lab {
namespace {

constexpr size_t kBlockSize = 64;

struct Sha1State {
  std::array<uint32_t, 5> h = {0x67452301, 0xEFCDAB89, 0x98BADCFE, 0x10325476, 0xC3D2E1F0};

  // One 64-byte block into the state (FIPS 180-4 §6.1.2).
  void Block(const uint8_t* p) {
    std::array<uint32_t, 80> w;
    for (size_t t = 0; t < 16; ++t) {
      w[t] = static_cast<uint32_t>(p[4 * t]) << 24 | static_cast<uint32_t>(p[4 * t + 1]) << 16 |
             static_cast<uint32_t>(p[4 * t + 2]) << 8 | static_cast<uint32_t>(p[4 * t + 3]);
    }
    for (size_t t = 16; t < 80; ++t) {
      w[t] = std::rotl(w[t - 3] ^ w[t - 8] ^ w[t - 14] ^ w[t - 16], 1);
    }
    uint32_t a = h[0], b = h[1], c = h[2], d = h[3], e = h[4];
    for (size_t t = 0; t < 80; ++t) {
      uint32_t f, k;
      if (t < 20) {
        f = (b & c) | (~b & d);
        k = 0x5A827999;
      } else if (t < 40) {
        f = b ^ c ^ d;
        k = 0x6ED9EBA1;
      } else if (t < 60) {
        f = (b & c) | (b & d) | (c & d);
        k = 0x8F1BBCDC;
      } else {
        f = b ^ c ^ d;
        k = 0xCA62C1D6;
      }
      uint32_t temp = std::rotl(a, 5) + f + e + k + w[t];
      e = d;
      d = c;
      c = std::rotl(b, 30);
      b = a;
      a = temp;
    }
    h[0] += a;
    h[1] += b;
    h[2] += c;
    h[3] += d;
    h[4] += e;
  }
};

}  // namespace

Sha1Digest Sha1(std::string_view data) {
  Sha1State state;
  const auto* bytes = reinterpret_cast<const uint8_t*>(data.data());
  size_t full = data.size() - data.size() % kBlockSize;
  for (size_t i = 0; i < full; i += kBlockSize) state.Block(bytes + i);
  // Padding: 0x80, zeros, then the message length in bits as a big-endian 64-bit number; one
  // or two blocks depending on how much room the last partial block leaves.
  std::string tail(data.substr(full));
  tail.push_back(static_cast<char>(0x80));
  while (tail.size() % kBlockSize != kBlockSize - 8) tail.push_back('\0');
  uint64_t bits = static_cast<uint64_t>(data.size()) * 8;
  for (int shift = 56; shift >= 0; shift -= 8) tail.push_back(static_cast<char>(bits >> shift));
  for (size_t i = 0; i < tail.size(); i += kBlockSize) {
    state.Block(reinterpret_cast<const uint8_t*>(tail.data()) + i);
  }
  Sha1Digest out;
  for (size_t i = 0; i < 5; ++i) {
    for (size_t j = 0; j < 4; ++j)
      out[4 * i + j] = static_cast<uint8_t>(state.h[i] >> (24 - 8 * j));
  }
  return out;
}

}  // namespace egret::lab
