// IP addresses, CIDRs and ranges as values. Parsing is strict (no leading zeros in IPv4
// octets, no zone ids) and formatting is canonical (RFC 5952 for IPv6), so that the text a
// user wrote compares equal to the text Egret prints.
#pragma once

#include <array>
#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace egret::model {

enum class Family { kV4, kV6 };
std::string_view FamilyName(Family f);  // "IPv4" / "IPv6"

class IpAddress {
 public:
  IpAddress() = default;
  static std::optional<IpAddress> Parse(std::string_view text);
  static IpAddress V4(uint32_t host_order);
  static IpAddress V6(const std::array<uint8_t, 16>& bytes);

  Family family() const { return family_; }
  bool is_v4() const { return family_ == Family::kV4; }
  int bits() const { return is_v4() ? 32 : 128; }
  // Network-order bytes; IPv4 uses the first 4.
  const std::array<uint8_t, 16>& bytes() const { return bytes_; }
  std::string ToString() const;

  // Address plus n (may wrap within the family's space).
  IpAddress Plus(uint64_t n) const;
  // Keeps the first prefix_len bits, zeroing the rest.
  IpAddress Masked(int prefix_len) const;

  friend auto operator<=>(const IpAddress&, const IpAddress&) = default;

 private:
  Family family_ = Family::kV4;
  std::array<uint8_t, 16> bytes_{};
};

class Cidr {
 public:
  Cidr() = default;
  Cidr(IpAddress addr, int prefix_len) : addr_(addr.Masked(prefix_len)), len_(prefix_len) {}
  // "10.0.0.0/16". Host bits set ("10.0.0.1/16") is an error, as Kubernetes rejects it.
  static std::optional<Cidr> Parse(std::string_view text, std::string* error = nullptr);

  const IpAddress& address() const { return addr_; }
  int prefix_len() const { return len_; }
  Family family() const { return addr_.family(); }
  IpAddress last() const;
  bool Contains(const IpAddress& ip) const;
  bool Contains(const Cidr& other) const;
  bool Overlaps(const Cidr& other) const;
  std::string ToString() const;

  friend auto operator<=>(const Cidr&, const Cidr&) = default;

 private:
  IpAddress addr_;
  int len_ = 0;
};

// An inclusive range of addresses of one family: a single IP, "a-b", or a CIDR.
struct IpRange {
  IpAddress first;
  IpAddress last;

  // Accepts "10.6.1.21", "10.6.1.21-10.6.1.30", "10.6.1.0/28" (and IPv6 forms). On failure
  // returns nullopt and, when error is given, says why in words fit for a field error.
  static std::optional<IpRange> Parse(std::string_view text, std::string* error = nullptr);
  // "10.6.1.21" for a single address, else "10.6.1.21-10.6.1.30" (Parse reads both back).
  std::string ToString() const;
  Family family() const { return first.family(); }
  bool Contains(const IpAddress& ip) const { return first <= ip && ip <= last; }
  bool Overlaps(const IpRange& o) const {
    return first.family() == o.first.family() && first <= o.last && o.first <= last;
  }
  // Number of addresses, saturating at UINT64_MAX.
  uint64_t Size() const;
  friend bool operator==(const IpRange&, const IpRange&) = default;
};

}  // namespace egret::model
