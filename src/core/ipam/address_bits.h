// Bit-field access on IP addresses, the arithmetic both allocators share: a node CIDR is the
// cluster CIDR with an index written into the bits after the cluster prefix; a pod address is
// the pod CIDR with an offset written into its host bits.
#pragma once

#include <cstdint>

#include "model/net.h"

namespace egret::core::ipam {

// The `len` bits (1-64) of `ip` starting at bit `start` (0 = most significant), as an unsigned
// number. Precondition: start + len <= ip.bits().
uint64_t BitsAt(const model::IpAddress& ip, int start, int len);

// `base` with the `len` bits (1-64) starting at `start` replaced by the low `len` bits of
// `value`. Precondition: start + len <= base.bits().
model::IpAddress WithBits(const model::IpAddress& base, int start, int len, uint64_t value);

}  // namespace egret::core::ipam
