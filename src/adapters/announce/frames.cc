#include "adapters/announce/frames.h"

#include <array>

namespace egret::announce {
namespace {

constexpr model::MacAddress kBroadcastMac = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff};
// The Ethernet multicast address that IPv6 maps ff02::1 to (33:33 + low 32 bits, RFC 2464).
constexpr model::MacAddress kAllNodesMac = {0x33, 0x33, 0x00, 0x00, 0x00, 0x01};
constexpr std::array<uint8_t, 16> kAllNodesIp = {0xff, 0x02, 0, 0, 0, 0, 0, 0,
                                                 0,    0,    0, 0, 0, 0, 0, 1};

constexpr uint16_t kArpHardwareEthernet = 1;
constexpr uint16_t kArpOpRequest = 1;
constexpr uint16_t kEtherTypeIpv4 = 0x0800;

constexpr uint8_t kIpProtoIcmpv6 = 58;
constexpr uint8_t kNdHopLimit = 255;  // receivers drop ND messages that crossed a router
constexpr uint8_t kIcmpv6NeighborAdvert = 136;
constexpr uint8_t kNaFlagOverride = 0x20;  // first flags byte: R=0x80, S=0x40, O=0x20
constexpr uint8_t kNdOptTargetLinkAddr = 2;
constexpr size_t kNaLength = 24 + 8;  // header with target, then one 8-byte option

// Appends fields in network byte order.
class Writer {
 public:
  explicit Writer(std::vector<uint8_t>* out) : out_(out) {}
  void U8(uint8_t v) { out_->push_back(v); }
  void U16(uint16_t v) {
    U8(static_cast<uint8_t>(v >> 8));
    U8(static_cast<uint8_t>(v));
  }
  template <size_t N>
  void Bytes(const std::array<uint8_t, N>& b, size_t n = N) {
    out_->insert(out_->end(), b.begin(), b.begin() + n);
  }
  void Zeros(size_t n) { out_->insert(out_->end(), n, 0); }

 private:
  std::vector<uint8_t>* out_;
};

void WriteEthernet(Writer& w, const model::MacAddress& dst, const model::MacAddress& src,
                   uint16_t ether_type) {
  w.Bytes(dst);
  w.Bytes(src);
  w.U16(ether_type);
}

// One's-complement sum of 16-bit big-endian words (an odd last byte is padded with zero).
uint32_t AddWords(uint32_t sum, const uint8_t* data, size_t len) {
  for (size_t i = 0; i + 1 < len; i += 2) sum += (uint32_t{data[i]} << 8) | data[i + 1];
  if (len % 2 == 1) sum += uint32_t{data[len - 1]} << 8;
  return sum;
}

// The ICMPv6 checksum (RFC 4443 §2.3) over the pseudo-header and `message`, whose checksum
// field must be zero.
uint16_t Icmpv6Checksum(const std::array<uint8_t, 16>& src, const std::array<uint8_t, 16>& dst,
                        const uint8_t* message, size_t len) {
  uint32_t sum = AddWords(0, src.data(), src.size());
  sum = AddWords(sum, dst.data(), dst.size());
  sum += static_cast<uint32_t>(len >> 16) + static_cast<uint32_t>(len & 0xffff);
  sum += kIpProtoIcmpv6;
  sum = AddWords(sum, message, len);
  while (sum >> 16) sum = (sum & 0xffff) + (sum >> 16);
  return static_cast<uint16_t>(~sum);
}

}  // namespace

std::vector<uint8_t> BuildGratuitousArp(const model::MacAddress& src_mac,
                                        const model::IpAddress& ip) {
  if (!ip.is_v4()) return {};
  std::vector<uint8_t> frame;
  frame.reserve(kMinEthernetFrame);
  Writer w(&frame);
  WriteEthernet(w, kBroadcastMac, src_mac, kEtherTypeArp);
  w.U16(kArpHardwareEthernet);
  w.U16(kEtherTypeIpv4);
  w.U8(6);  // hardware address length
  w.U8(4);  // protocol address length
  w.U16(kArpOpRequest);
  w.Bytes(src_mac);
  w.Bytes(ip.bytes(), 4);
  w.Zeros(6);  // target hardware address: unknown in a request, zero per RFC 5227
  w.Bytes(ip.bytes(), 4);
  w.Zeros(kMinEthernetFrame - frame.size());
  return frame;
}

std::vector<uint8_t> BuildUnsolicitedNa(const model::MacAddress& src_mac,
                                        const model::IpAddress& ip) {
  if (ip.is_v4()) return {};
  std::vector<uint8_t> frame;
  Writer w(&frame);
  WriteEthernet(w, kAllNodesMac, src_mac, kEtherTypeIpv6);
  w.U8(0x60);  // version 6, traffic class and flow label zero
  w.Zeros(3);
  w.U16(static_cast<uint16_t>(kNaLength));
  w.U8(kIpProtoIcmpv6);
  w.U8(kNdHopLimit);
  // The source is the announced address itself, as the kernel does for its own unsolicited NAs:
  // it is assigned to the sending interface's node and needs no link-local address.
  w.Bytes(ip.bytes());
  w.Bytes(kAllNodesIp);
  const size_t icmp_start = frame.size();
  w.U8(kIcmpv6NeighborAdvert);
  w.U8(0);   // code
  w.U16(0);  // checksum, filled in below
  w.U8(kNaFlagOverride);
  w.Zeros(3);
  w.Bytes(ip.bytes());
  w.U8(kNdOptTargetLinkAddr);
  w.U8(1);  // option length in units of 8 bytes
  w.Bytes(src_mac);
  const uint16_t sum =
      Icmpv6Checksum(ip.bytes(), kAllNodesIp, frame.data() + icmp_start, frame.size() - icmp_start);
  frame[icmp_start + 2] = static_cast<uint8_t>(sum >> 8);
  frame[icmp_start + 3] = static_cast<uint8_t>(sum);
  return frame;
}

std::vector<uint8_t> BuildAnnouncement(const model::MacAddress& src_mac,
                                       const model::IpAddress& ip) {
  return ip.is_v4() ? BuildGratuitousArp(src_mac, ip) : BuildUnsolicitedNa(src_mac, ip);
}

}  // namespace egret::announce
