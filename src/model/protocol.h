// The L4 protocol of a port, as the core Kubernetes kinds spell it (Pod container ports, Service
// ports, EndpointSlice ports) and as the datapath needs it. Header-only so that every module can
// name protocols without a link dependency.
#pragma once

#include <array>
#include <optional>
#include <string_view>

namespace egret::model {

enum class Protocol { kTCP, kUDP, kSCTP };

inline constexpr std::array<std::string_view, 3> kProtocolNames = {"TCP", "UDP", "SCTP"};

// "TCP", "UDP" or "SCTP".
constexpr std::string_view ProtocolName(Protocol p) {
  return kProtocolNames[static_cast<size_t>(p)];
}

// Exact, case-sensitive match of the API spelling ("tcp" is not a protocol, as upstream).
constexpr std::optional<Protocol> ParseProtocol(std::string_view text) {
  for (size_t i = 0; i < kProtocolNames.size(); ++i) {
    if (kProtocolNames[i] == text) return static_cast<Protocol>(i);
  }
  return std::nullopt;
}

}  // namespace egret::model
