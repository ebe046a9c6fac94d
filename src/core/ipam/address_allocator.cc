#include "core/ipam/address_allocator.h"

#include <algorithm>
#include <string>

#include "common/strings.h"
#include "core/ipam/address_bits.h"

namespace egret::core::ipam {
namespace {

using model::Cidr;
using model::IpAddress;

// The first offset in [lo, hi] not in `taken`; nullopt when all are taken.
std::optional<uint64_t> FirstFree(uint64_t lo, uint64_t hi, const std::set<uint64_t>& taken) {
  if (lo > hi) return std::nullopt;
  uint64_t candidate = lo;
  for (auto it = taken.lower_bound(lo); it != taken.end() && *it == candidate; ++it) {
    if (candidate == hi) return std::nullopt;  // checked before ++ so that hi = UINT64_MAX works
    ++candidate;
  }
  return candidate;
}

}  // namespace

AddressAllocator::AddressAllocator(const Cidr& cidr)
    : cidr_(cidr),
      pool_bits_(std::min(cidr.address().bits() - cidr.prefix_len(), 64)),
      last_offset_(pool_bits_ == 64 ? UINT64_MAX : (uint64_t{1} << pool_bits_) - 1) {}

StatusOr<AddressAllocator> AddressAllocator::Create(const Cidr& pod_cidr) {
  int max = pod_cidr.address().is_v4() ? 30 : 126;
  if (pod_cidr.prefix_len() > max) {
    return InvalidError("pod CIDR " + Quote(pod_cidr.ToString()) + " has no room for pods: use /" +
                        std::to_string(max) + " or shorter");
  }
  return AddressAllocator(pod_cidr);
}

std::optional<uint64_t> AddressAllocator::OffsetOf(const IpAddress& ip) const {
  if (!cidr_.Contains(ip)) return std::nullopt;
  int bits = ip.bits();
  int unused = bits - cidr_.prefix_len() - pool_bits_;  // host bits above the pool (IPv6 only)
  if (unused > 0 && BitsAt(ip, cidr_.prefix_len(), unused) != 0) return std::nullopt;
  return BitsAt(ip, bits - pool_bits_, pool_bits_);
}

IpAddress AddressAllocator::FromOffset(uint64_t offset) const {
  return WithBits(cidr_.address(), cidr_.address().bits() - pool_bits_, pool_bits_, offset);
}

std::vector<IpAddress> AddressAllocator::Reserved() const {
  std::vector<IpAddress> out = {FromOffset(0), FromOffset(1)};
  if (cidr_.address().is_v4()) out.push_back(FromOffset(last_offset_));
  return out;
}

bool AddressAllocator::IsReserved(const IpAddress& ip) const {
  std::optional<uint64_t> off = OffsetOf(ip);
  return off && (*off < first_usable() || *off > last_usable());
}

uint64_t AddressAllocator::Capacity() const {
  uint64_t span = last_usable() - first_usable();
  return span == UINT64_MAX ? span : span + 1;
}

StatusOr<IpAddress> AddressAllocator::Next(const std::set<IpAddress>& allocated,
                                           const std::optional<IpAddress>& last) const {
  std::set<uint64_t> taken;
  for (const IpAddress& ip : allocated) {
    if (std::optional<uint64_t> off = OffsetOf(ip)) taken.insert(*off);
  }
  uint64_t start = first_usable();
  if (last) {
    std::optional<uint64_t> off = OffsetOf(*last);
    if (off && *off >= first_usable() && *off < last_usable()) start = *off + 1;
  }
  std::optional<uint64_t> found = FirstFree(start, last_usable(), taken);
  if (!found && start > first_usable()) found = FirstFree(first_usable(), start - 1, taken);
  if (!found) {
    return FailedPreconditionError("pod CIDR " + Quote(cidr_.ToString()) + " is full: all " +
                                   std::to_string(Capacity()) + " addresses are allocated");
  }
  return FromOffset(*found);
}

Status AddressAllocator::CheckAvailable(const IpAddress& ip,
                                        const std::set<IpAddress>& allocated) const {
  std::string what = Quote(ip.ToString());
  if (!cidr_.Contains(ip)) {
    return InvalidError(what + " is not in the pod CIDR " + Quote(cidr_.ToString()));
  }
  if (!OffsetOf(ip)) {
    return InvalidError(what + " is beyond the first 2^64 addresses of " + Quote(cidr_.ToString()) +
                        ", the only ones handed out");
  }
  if (IsReserved(ip)) {
    return InvalidError(what + " is reserved in " + Quote(cidr_.ToString()) +
                        " (network, gateway or broadcast address)");
  }
  if (allocated.contains(ip)) return AlreadyExistsError(what + " is already allocated");
  return Status::Ok();
}

}  // namespace egret::core::ipam
