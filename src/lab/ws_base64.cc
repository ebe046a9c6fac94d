#include "lab/ws_base64.h"

#include <algorithm>
#include <cstdint>

namespace egret::lab {
namespace {

constexpr std::string_view kAlphabet =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

// The 6-bit value of an alphabet character, -1 for anything else.
int Value(char c) {
  size_t i = kAlphabet.find(c);
  return i == std::string_view::npos ? -1 : static_cast<int>(i);
}

}  // namespace

std::string Base64Encode(std::string_view bytes) {
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4);
  for (size_t i = 0; i < bytes.size(); i += 3) {
    size_t n = std::min<size_t>(3, bytes.size() - i);
    uint32_t group = 0;
    for (size_t j = 0; j < 3; ++j) {
      uint32_t byte = j < n ? static_cast<uint8_t>(bytes[i + j]) : 0;
      group = group << 8 | byte;
    }
    for (size_t j = 0; j < 4; ++j) {
      out.push_back(j <= n ? kAlphabet[(group >> (18 - 6 * j)) & 0x3F] : '=');
    }
  }
  return out;
}

std::optional<std::string> Base64Decode(std::string_view text) {
  if (text.size() % 4 != 0) return std::nullopt;
  size_t pad = 0;
  while (pad < 2 && pad < text.size() && text[text.size() - 1 - pad] == '=') ++pad;
  std::string out;
  out.reserve(text.size() / 4 * 3);
  uint32_t group = 0;
  size_t data_chars = text.size() - pad;
  for (size_t i = 0; i < data_chars; ++i) {
    int v = Value(text[i]);
    if (v < 0) return std::nullopt;  // also a '=' before the end, or a third '='
    group = group << 6 | static_cast<uint32_t>(v);
    if (i % 4 == 3) {
      for (int shift = 16; shift >= 0; shift -= 8) out.push_back(static_cast<char>(group >> shift));
      group = 0;
    }
  }
  if (pad == 0) return out;
  // The last group: 3 characters carry 2 bytes (2 spare bits), 2 characters 1 byte (4 spare).
  size_t spare = pad == 1 ? 2 : 4;
  if ((group & ((1u << spare) - 1)) != 0) return std::nullopt;
  group >>= spare;
  for (int shift = 8 * (2 - static_cast<int>(pad)); shift >= 0; shift -= 8) {
    out.push_back(static_cast<char>(group >> shift));
  }
  return out;
}

}  // namespace egret::lab
