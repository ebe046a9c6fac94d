#include "lab/lab_plan.h"

#include <cstdint>
#include <cstdio>

#include "common/strings.h"
#include "model/meta.h"

namespace egret::lab {
namespace {

model::IpAddress Ip(std::string_view text) {
  // Only called with the plan's own literals, which are valid.
  return *model::IpAddress::Parse(text);
}

model::Cidr Net(std::string_view text) { return *model::Cidr::Parse(text); }

bool AllDigits(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

}  // namespace

std::string_view IpFamilyModeName(IpFamilyMode mode) {
  switch (mode) {
    case IpFamilyMode::kIpv4:
      return "ipv4";
    case IpFamilyMode::kIpv6:
      return "ipv6";
    case IpFamilyMode::kDual:
      return "dual";
  }
  return "ipv4";
}

std::optional<IpFamilyMode> ParseIpFamilyMode(std::string_view text) {
  for (IpFamilyMode m : {IpFamilyMode::kIpv4, IpFamilyMode::kIpv6, IpFamilyMode::kDual}) {
    if (IpFamilyModeName(m) == text) return m;
  }
  return std::nullopt;
}

std::string_view NetModeName(NetMode mode) { return mode == NetMode::kEncap ? "encap" : "noencap"; }

std::optional<NetMode> ParseNetMode(std::string_view text) {
  if (text == "encap") return NetMode::kEncap;
  if (text == "noencap") return NetMode::kNoEncap;
  return std::nullopt;
}

Status ValidateLabName(std::string_view name) {
  if (name.size() > kMaxLabNameLength || !model::IsDnsLabel(name)) {
    return InvalidError("lab name " + Quote(name) + " is not valid: use at most " +
                        std::to_string(kMaxLabNameLength) +
                        " lower-case letters, digits and '-', starting and ending with a letter "
                        "or digit");
  }
  return Status::Ok();
}

bool LabNamesOverlap(std::string_view a, std::string_view b) {
  auto extends = [](std::string_view longer, std::string_view shorter) {
    return longer.size() > shorter.size() + 1 && longer.starts_with(shorter) &&
           longer[shorter.size()] == '-';
  };
  return a == b || extends(a, b) || extends(b, a);
}

std::string NodeName(int index) { return "n" + std::to_string(index); }

std::optional<int> NodeIndex(std::string_view name) {
  if (name.size() < 2 || name[0] != 'n' || name[1] == '0') return std::nullopt;
  std::string_view digits = name.substr(1);
  if (!AllDigits(digits) || digits.size() > 4) return std::nullopt;
  return static_cast<int>(*ParseInt(digits));
}

std::string HashHex(std::string_view text) {
  uint64_t h = 14695981039346656037ull;
  for (unsigned char c : text) {
    h ^= c;
    h *= 1099511628211ull;
  }
  char buf[17];
  std::snprintf(buf, sizeof(buf), "%016llx", static_cast<unsigned long long>(h));
  return buf;
}

std::string LabNames::Pod(std::string_view ns, std::string_view pod) const {
  std::string prefix = lab_ + "-p-";
  std::string body = std::string(ns) + "." + std::string(pod);
  if (prefix.size() + body.size() <= kMaxNetnsNameLength) return prefix + body;
  std::string hash = HashHex(std::string(ns) + "/" + std::string(pod));
  size_t keep = kMaxNetnsNameLength - prefix.size() - hash.size() - 1;
  return prefix + body.substr(0, keep) + "-" + hash;
}

bool LabNames::Owns(std::string_view netns) const {
  std::string prefix = Prefix();
  if (!netns.starts_with(prefix)) return false;
  std::string_view rest = netns.substr(prefix.size());
  if (rest == "ul" || rest == "cp" || NodeIndex(rest).has_value()) return true;
  return (rest.starts_with("x-") || rest.starts_with("p-")) && rest.size() > 2;
}

LabPaths LabPaths::For(std::string_view lab) {
  return LabPaths{std::string(kLabRoot) + "/" + std::string(lab)};
}

std::vector<model::Family> AddressPlan::Families() const {
  switch (mode_) {
    case IpFamilyMode::kIpv4:
      return {model::Family::kV4};
    case IpFamilyMode::kIpv6:
      return {model::Family::kV6};
    case IpFamilyMode::kDual:
      return {model::Family::kV4, model::Family::kV6};
  }
  return {};
}

std::vector<model::Cidr> AddressPlan::UnderlayCidrs() const {
  std::vector<model::Cidr> out;
  for (model::Family f : Families()) {
    out.push_back(Net(f == model::Family::kV4 ? "172.18.0.0/24" : "fd00:18::/64"));
  }
  return out;
}

std::vector<model::InterfaceAddress> AddressPlan::HostAddresses(int host) const {
  std::vector<model::InterfaceAddress> out;
  for (model::Family f : Families()) {
    if (f == model::Family::kV4) {
      out.push_back({Ip("172.18.0." + std::to_string(host)), 24});
    } else {
      out.push_back({Ip("fd00:18::" + std::to_string(host)), 64});
    }
  }
  return out;
}

std::vector<model::InterfaceAddress> AddressPlan::RouterAddresses() const {
  return HostAddresses(1);
}

std::vector<model::IpAddress> AddressPlan::RouterIps() const {
  std::vector<model::IpAddress> out;
  for (const model::InterfaceAddress& a : RouterAddresses()) out.push_back(a.ip);
  return out;
}

std::vector<model::InterfaceAddress> AddressPlan::NodeAddresses(int index) const {
  return HostAddresses(10 + index);
}

std::vector<model::InterfaceAddress> AddressPlan::ExternalAddresses(int index) const {
  return HostAddresses(100 + index);
}

std::vector<model::IpRange> AddressPlan::EipPool() const {
  std::vector<model::IpRange> out;
  for (model::Family f : Families()) {
    if (f == model::Family::kV4) {
      out.push_back({Ip("172.18.0.200"), Ip("172.18.0.250")});
    } else {
      out.push_back({Ip("fd00:18::200"), Ip("fd00:18::250")});
    }
  }
  return out;
}

std::vector<model::Cidr> AddressPlan::ClusterCidrs() const {
  std::vector<model::Cidr> out;
  for (model::Family f : Families()) {
    out.push_back(Net(f == model::Family::kV4 ? "10.244.0.0/16" : "fd00:10:244::/56"));
  }
  return out;
}

std::vector<model::Cidr> AddressPlan::ServiceCidrs() const {
  std::vector<model::Cidr> out;
  for (model::Family f : Families()) {
    out.push_back(Net(f == model::Family::kV4 ? "10.96.0.0/16" : "fd00:10:96::/112"));
  }
  return out;
}

std::string CidrListText(const std::vector<model::Cidr>& cidrs) {
  std::vector<std::string> parts;
  for (const model::Cidr& c : cidrs) parts.push_back(c.ToString());
  return Join(parts, ",");
}

}  // namespace egret::lab
