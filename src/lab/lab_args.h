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

// One port a probe server listens on. `name` becomes the container port's name in the Pod.
struct ServePort {
  model::Protocol protocol = model::Protocol::kTCP;
  int port = 0;
  std::string name;
  friend bool operator==(const ServePort&, const ServePort&) = default;
};

// "tcp:80=http" (the "=name" part only when named).
std::string ServePortText(const ServePort& p);
std::string ServePortsText(const std::vector<ServePort>& ports);

// "tcp:80=http,udp:53": protocols tcp or udp (any case), ports 1-65535, each protocol/port once.
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
