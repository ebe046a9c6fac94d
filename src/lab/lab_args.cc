#include "lab/lab_args.h"

#include <algorithm>
#include <set>
#include <utility>

#include "common/strings.h"
#include "model/meta.h"

namespace egret::lab {
namespace {

std::string Prefix(std::string_view what, std::string_view text) {
  return std::string(what) + " " + Quote(text) + ": ";
}

StatusOr<ServePort> ParseOneServePort(std::string_view item, std::string_view what,
                                      bool allow_names) {
  std::string p = Prefix(what, item);
  size_t colon = item.find(':');
  if (colon == std::string_view::npos) {
    return InvalidError(p + "use PROTO:PORT" + (allow_names ? "[=NAME]" : "") + ", e.g. tcp:80");
  }
  ServePort out;
  std::string proto = ToLower(item.substr(0, colon));
  if (proto == "tcp") {
    out.protocol = model::Protocol::kTCP;
  } else if (proto == "udp") {
    out.protocol = model::Protocol::kUDP;
  } else if (proto == "ws") {
    out.protocol = model::Protocol::kTCP;
    out.app = ProbeApp::kWebSocket;
  } else {
    return InvalidError(p + Quote(item.substr(0, colon)) +
                        " is not a protocol: use tcp, udp or ws");
  }
  std::string_view rest = item.substr(colon + 1);
  std::string_view port_text = rest;
  if (size_t eq = rest.find('='); eq != std::string_view::npos) {
    if (!allow_names) return InvalidError(p + "port names are only for pod ports");
    out.name = std::string(rest.substr(eq + 1));
    port_text = rest.substr(0, eq);
    if (out.name.empty()) return InvalidError(p + "the name after '=' is empty");
  }
  auto port = ParseInt(port_text);
  if (!port || *port < 1 || *port > 65535) {
    return InvalidError(p + Quote(port_text) + " is not a port number (1-65535)");
  }
  out.port = static_cast<int>(*port);
  return out;
}

}  // namespace

std::string ServePortText(const ServePort& p) {
  std::string proto =
      p.app == ProbeApp::kWebSocket ? "ws" : ToLower(model::ProtocolName(p.protocol));
  std::string out = proto + ":" + std::to_string(p.port);
  if (!p.name.empty()) out += "=" + p.name;
  return out;
}

std::string ServePortsText(const std::vector<ServePort>& ports) {
  std::vector<std::string> parts;
  for (const ServePort& p : ports) parts.push_back(ServePortText(p));
  return Join(parts, ",");
}

StatusOr<std::vector<ServePort>> ParseServePorts(std::string_view text, std::string_view what,
                                                 bool allow_names) {
  ASSIGN_OR_RETURN(std::vector<std::string> items, ParseCommaList(text, what));
  std::vector<ServePort> out;
  std::set<std::pair<model::Protocol, int>> seen;  // transport ports: ws is TCP
  for (const std::string& item : items) {
    ASSIGN_OR_RETURN(ServePort port, ParseOneServePort(item, what, allow_names));
    if (!seen.insert({port.protocol, port.port}).second) {
      bool same = std::any_of(out.begin(), out.end(), [&](const ServePort& o) {
        return o.protocol == port.protocol && o.port == port.port && o.app == port.app;
      });
      return InvalidError(Prefix(what, item) +
                          (same ? "the same protocol and port is given twice"
                                : "tcp and ws cannot share TCP port " + std::to_string(port.port)));
    }
    out.push_back(std::move(port));
  }
  return out;
}

StatusOr<std::map<std::string, std::string>> ParseLabels(std::string_view text,
                                                         std::string_view what) {
  std::map<std::string, std::string> out;
  if (Trim(text).empty()) return out;
  for (std::string_view item : Split(text, ',')) {
    size_t eq = item.find('=');
    if (eq == std::string_view::npos || eq == 0) {
      return InvalidError(Prefix(what, item) + "use KEY=VALUE (VALUE may be empty)");
    }
    std::string key(item.substr(0, eq));
    if (!out.emplace(key, std::string(item.substr(eq + 1))).second) {
      return InvalidError(Prefix(what, item) + "label " + Quote(key) + " is given twice");
    }
  }
  return out;
}

StatusOr<PodRef> ParsePodRef(std::string_view text) {
  size_t slash = text.find('/');
  if (slash == std::string_view::npos) {
    return InvalidError("pod " + Quote(text) + ": use NAMESPACE/POD, e.g. default/web");
  }
  PodRef ref{std::string(text.substr(0, slash)), std::string(text.substr(slash + 1))};
  if (!model::IsDnsLabel(ref.ns)) {
    return InvalidError("pod " + Quote(text) + ": namespace " + Quote(ref.ns) +
                        " is not a valid name (lower-case letters, digits and '-', at most 63)");
  }
  if (!model::IsDnsSubdomain(ref.name)) {
    return InvalidError("pod " + Quote(text) + ": name " + Quote(ref.name) +
                        " is not a valid name (lower-case letters, digits, '-' and '.', at most "
                        "253)");
  }
  return ref;
}

std::string Endpoint::ToString() const {
  switch (kind) {
    case Kind::kPod:
      return pod.ToString();
    case Kind::kExternal:
      return "ext:" + name;
    case Kind::kNode:
      return "node:" + name;
    case Kind::kName:
      return name;
    case Kind::kAddress:
      return address.ToString();
  }
  return name;
}

StatusOr<Endpoint> ParseEndpoint(std::string_view text, std::string_view what, bool allow_address) {
  Endpoint e;
  auto named = [&](Endpoint::Kind kind, std::string_view name) -> StatusOr<Endpoint> {
    if (!model::IsDnsLabel(name)) {
      return InvalidError(Prefix(what, text) + Quote(name) +
                          " is not a valid name (lower-case letters, digits and '-')");
    }
    e.kind = kind;
    e.name = std::string(name);
    return e;
  };
  if (text.find('/') != std::string_view::npos) {
    ASSIGN_OR_RETURN(e.pod, ParsePodRef(text));
    e.kind = Endpoint::Kind::kPod;
    return e;
  }
  if (text.starts_with("ext:")) return named(Endpoint::Kind::kExternal, text.substr(4));
  if (text.starts_with("node:")) return named(Endpoint::Kind::kNode, text.substr(5));
  if (auto ip = model::IpAddress::Parse(text)) {
    if (!allow_address) {
      return InvalidError(Prefix(what, text) +
                          "an address is not allowed here: use NS/POD, "
                          "ext:NAME or a node name");
    }
    e.kind = Endpoint::Kind::kAddress;
    e.address = *ip;
    return e;
  }
  if (text.find(':') != std::string_view::npos) {
    return InvalidError(Prefix(what, text) + "use NS/POD, ext:NAME, node:NAME" +
                        (allow_address ? " or an IP address" : ""));
  }
  return named(Endpoint::Kind::kName, text);
}

StatusOr<std::vector<std::string>> ParseCommaList(std::string_view text, std::string_view what) {
  std::vector<std::string> out;
  for (std::string_view item : Split(text, ',')) {
    if (Trim(item).empty()) {
      return InvalidError(Prefix(what, text) + "empty item in a comma-separated list");
    }
    out.emplace_back(Trim(item));
  }
  return out;
}

StatusOr<int> ParseIntFlag(std::string_view text, std::string_view what, int min, int max) {
  auto n = ParseInt(text);
  if (!n || *n < min || *n > max) {
    return InvalidError(Prefix(what, text) + "must be a whole number from " + std::to_string(min) +
                        " to " + std::to_string(max));
  }
  return static_cast<int>(*n);
}

}  // namespace egret::lab
