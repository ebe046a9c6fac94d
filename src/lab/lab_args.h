// Parsing of the values `egret lab` takes on its command line: label sets, served ports, pod
// references and probe endpoints. Pure; every error names the flag or argument and says what
// would be valid.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "model/net.h"
#include "model/protocol.h"

namespace egret::lab {

// What a probe server speaks on a port: the source line (tcp and udp), or WebSocket over TCP
// (`ws`: an HTTP upgrade, then the source in the first frame and an echo of every frame).
enum class ProbeApp { kSourceLine, kWebSocket };

// One port a probe server listens on. `name` becomes the container port's name in the Pod.
// A WebSocket port has protocol kTCP (its transport, as the Pod's container port says).
struct ServePort {
  model::Protocol protocol = model::Protocol::kTCP;
  int port = 0;
  std::string name;
  ProbeApp app = ProbeApp::kSourceLine;
  friend bool operator==(const ServePort&, const ServePort&) = default;
};

// "tcp:80=http", "ws:8080" (the "=name" part only when named).
std::string ServePortText(const ServePort& p);
std::string ServePortsText(const std::vector<ServePort>& ports);

// "tcp:80=http,udp:53,ws:8080": protocols tcp, udp or ws (any case), ports 1-65535, each
// transport port once (tcp:80 and ws:80 both take TCP port 80, so they cannot go together).
// `what` names the argument in errors ("--serve"); names are refused unless allow_names.
StatusOr<std::vector<ServePort>> ParseServePorts(std::string_view text, std::string_view what,
                                                 bool allow_names);

// "k=v,k2=v2" → the full label set; "" is the empty set. Keys must be unique. Key and value
// syntax is the datastore's to judge (its error names the object and the label).
StatusOr<std::map<std::string, std::string>> ParseLabels(std::string_view text,
                                                         std::string_view what);

struct PodRef {
  std::string ns;
  std::string name;
  std::string ToString() const { return ns + "/" + name; }
  friend bool operator==(const PodRef&, const PodRef&) = default;
  friend auto operator<=>(const PodRef&, const PodRef&) = default;
};

// "NS/POD": NS a DNS label, POD a DNS subdomain.
StatusOr<PodRef> ParsePodRef(std::string_view text);

// A probe source or destination, or an `exec` target.
struct Endpoint {
  enum class Kind {
    kPod,       // "ns/pod"
    kExternal,  // "ext:NAME"
    kNode,      // "node:NAME"
    kName,      // "NAME": a node if one has that name, else an external host
    kAddress,   // an IP literal (destinations only): services, egress IPs, ...
  };
  Kind kind = Kind::kPod;
  PodRef pod;
  std::string name;
  model::IpAddress address;
  std::string ToString() const;
};

StatusOr<Endpoint> ParseEndpoint(std::string_view text, std::string_view what, bool allow_address);

// "a,b,c" → items; empty items are errors.
StatusOr<std::vector<std::string>> ParseCommaList(std::string_view text, std::string_view what);

// A whole number in [min, max]; the error names `what` and the range.
StatusOr<int> ParseIntFlag(std::string_view text, std::string_view what, int min, int max);

}  // namespace egret::lab
