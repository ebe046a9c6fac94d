#include "model/service.h"

#include <algorithm>
#include <map>
#include <utility>

#include "common/strings.h"
#include "model/core_fields.h"
#include "model/kind_codec.h"
#include "model/kinds_all.h"

namespace egret::model {
namespace {

constexpr std::string_view kHeadless = "None";
constexpr std::array<std::string_view, 2> kFamilyNames = {"IPv4", "IPv6"};  // Family order

std::string TypeName(ServiceType t) {
  return std::string(kServiceTypeNames[static_cast<size_t>(t)]);
}

// Upstream names Services by DNS-1035 labels (they become DNS names and environment variables).
void ValidateServiceName(const std::string& name, FieldErrors* errs) {
  // A name that is not even a DNS subdomain has been reported by DecodeMeta.
  if (!IsDnsSubdomain(name) || IsDns1035Label(name)) return;
  errs->Add("metadata.name", Quote(name) +
                                 " is not a valid service name: use at most 63 lower-case "
                                 "letters, digits and '-', starting with a letter and ending with "
                                 "a letter or digit");
}

TargetPort DecodeTargetPort(ObjectReader& r, int port) {
  bool given = r.Has("targetPort");
  std::optional<ObjectReader::IntOrString> t =
      DecodePortOrName(r, "targetPort", ", or the name of a container port");
  if (!given) return {.number = port, .name = {}};
  if (!t) return {};
  if (t->number) return {.number = static_cast<int>(*t->number), .name = {}};
  return {.name = t->name};
}

ServicePort DecodeServicePort(ObjectReader& r) {
  ServicePort p;
  p.name = r.String("name").value_or("");
  if (!p.name.empty()) ValidateDnsLabel(p.name, r.FieldPath("name"), r.errors());
  p.protocol = DecodeProtocol(r, "protocol");
  p.port = DecodePort(r, "port", /*required=*/true).value_or(0);
  p.target_port = DecodeTargetPort(r, p.port);
  p.node_port = DecodePort(r, "nodePort", /*required=*/false);
  return p;
}

// clusterIP: None (headless) must stand alone in both fields.
void DecodeHeadless(const std::string& single, const std::vector<std::string>& list,
                    ObjectReader& r, ServiceSpec* spec) {
  spec->headless = true;
  std::string list_path = r.FieldPath("clusterIPs");
  if (!single.empty() && !list.empty() && single != list.front()) {
    r.Error("clusterIP", Quote(single) + " does not match " + Index(list_path, 0) + " " +
                             Quote(list.front()) +
                             ": give the same value, or only one of the two fields");
  }
  if (list.size() > 1 && list.front() == kHeadless) {
    r.Error("clusterIPs", Quote(kHeadless) + " (headless) must be the only value");
  }
}

// clusterIP and clusterIPs; returns false when some entry could not be decoded.
bool DecodeClusterIps(ObjectReader& r, ServiceSpec* spec) {
  std::string single = r.String("clusterIP").value_or("");
  std::vector<std::string> list;
  bool complete =
      r.ForEachString("clusterIPs", [&](size_t, const std::string& s) { list.push_back(s); });
  if (!complete) return false;
  if (single == kHeadless || (!list.empty() && list.front() == kHeadless)) {
    DecodeHeadless(single, list, r, spec);
    return true;
  }
  std::string list_path = r.FieldPath("clusterIPs");
  std::vector<FamilyEntry> entries;
  for (size_t i = 0; i < list.size(); ++i) {
    std::optional<IpAddress> ip;
    if (list[i] == kHeadless) {
      r.errors()->Add(Index(list_path, i), Quote(kHeadless) + " (headless) must be the only value");
    } else {
      ip = ParseIpField(list[i], Index(list_path, i), r.errors());
    }
    if (!ip) {
      complete = false;
      continue;
    }
    entries.push_back({i, ip->family(), list[i]});
    spec->cluster_ips.push_back(*ip);
  }
  ValidateOnePerFamily(entries, list_path, "address", r.errors());
  std::optional<IpAddress> primary;
  if (!single.empty()) primary = ParseIpField(single, r.FieldPath("clusterIP"), r.errors());
  ReconcilePrimary(primary, &spec->cluster_ips, complete, r.FieldPath("clusterIP"), list_path,
                   r.errors());
  return complete;
}

// ipFamilies; returns false when some entry could not be decoded.
bool DecodeIpFamilies(ObjectReader& r, ServiceSpec* spec) {
  bool parsed_all = true;
  bool strings = r.ForEachString("ipFamilies", [&](size_t i, const std::string& s) {
    std::string path = Index(r.FieldPath("ipFamilies"), i);
    auto it = std::find(kFamilyNames.begin(), kFamilyNames.end(), s);
    if (it == kFamilyNames.end()) {
      r.errors()->Add(path, Quote(s) + " is not a valid IP family: use IPv4 or IPv6");
      parsed_all = false;
      return;
    }
    auto family = static_cast<Family>(it - kFamilyNames.begin());
    if (std::find(spec->ip_families.begin(), spec->ip_families.end(), family) !=
        spec->ip_families.end()) {
      r.errors()->Add(path, Quote(s) + " is listed twice: give each family at most once");
      parsed_all = false;
      return;
    }
    spec->ip_families.push_back(family);
  });
  return strings && parsed_all;
}

// ipFamilies must follow clusterIPs' families in order; missing ones are filled from the
// addresses, and the policy defaults from how many families there are.
void ResolveFamilies(bool ips_complete, bool families_complete, ServiceSpec* spec,
                     FieldErrors* errs) {
  if (spec->type == ServiceType::kExternalName) return;
  if (!spec->headless && ips_complete && families_complete) {
    size_t common = std::min(spec->ip_families.size(), spec->cluster_ips.size());
    for (size_t i = 0; i < common; ++i) {
      Family want = spec->ip_families[i];
      if (spec->cluster_ips[i].family() == want) continue;
      errs->Add(Index("spec.clusterIPs", i), Quote(spec->cluster_ips[i].ToString()) +
                                                 " is not an " + std::string(FamilyName(want)) +
                                                 " address as " + Index("spec.ipFamilies", i) +
                                                 " says: list addresses in the family order");
    }
    for (size_t i = spec->ip_families.size(); i < spec->cluster_ips.size(); ++i) {
      Family f = spec->cluster_ips[i].family();
      if (std::find(spec->ip_families.begin(), spec->ip_families.end(), f) ==
          spec->ip_families.end()) {
        spec->ip_families.push_back(f);
      }
    }
  }
  bool dual = spec->ip_families.size() > 1 || spec->cluster_ips.size() > 1;
  if (!spec->ip_family_policy) {
    spec->ip_family_policy =
        dual ? IpFamilyPolicy::kRequireDualStack : IpFamilyPolicy::kSingleStack;
  } else if (dual && *spec->ip_family_policy == IpFamilyPolicy::kSingleStack) {
    errs->Add("spec.ipFamilyPolicy",
              "SingleStack does not allow two IP families: use PreferDualStack or "
              "RequireDualStack, or give one family");
  }
}

// The rules that tie fields to spec.type.
void ValidateByType(ServiceSpec* spec, FieldErrors* errs) {
  std::string type = TypeName(spec->type);
  bool external = spec->type == ServiceType::kNodePort || spec->type == ServiceType::kLoadBalancer;
  if (spec->type == ServiceType::kExternalName) {
    std::string why = "not allowed for type ExternalName: such a service has no cluster IP";
    if (spec->headless || !spec->cluster_ips.empty()) errs->Add("spec.clusterIP", why);
    if (!spec->ip_families.empty()) errs->Add("spec.ipFamilies", why);
    if (spec->ip_family_policy) errs->Add("spec.ipFamilyPolicy", why);
    std::string_view cname = spec->external_name;
    if (EndsWith(cname, ".")) cname.remove_suffix(1);  // a fully qualified name may end in '.'
    if (cname.empty()) {
      errs->Add("spec.externalName", "Required value: the DNS name clients are sent to");
    } else {
      ValidateDnsSubdomain(cname, "spec.externalName", errs);
    }
  } else {
    if (!spec->external_name.empty()) {
      errs->Add("spec.externalName", "not allowed for type " + type + ": use type ExternalName");
    }
    if (external && spec->headless) {
      errs->Add("spec.clusterIP", Quote(kHeadless) + " (headless) is not allowed for type " + type +
                                      ": give an IP address or leave it out");
    }
  }
  if (spec->ports.empty() && !spec->headless && spec->type != ServiceType::kExternalName) {
    errs->Add("spec.ports",
              "Required value: a service needs at least one port (or clusterIP: "
              "None for a headless service)");
  }
  if (!external && spec->external_traffic_policy) {
    errs->Add("spec.externalTrafficPolicy", "not allowed for type " + type +
                                                ": only NodePort and LoadBalancer services take "
                                                "external traffic");
  }
  if (external && !spec->external_traffic_policy) {
    spec->external_traffic_policy = TrafficPolicy::kCluster;
  }
  if (spec->type != ServiceType::kExternalName && !spec->internal_traffic_policy) {
    spec->internal_traffic_policy = TrafficPolicy::kCluster;
  }
}

// Names, (port, protocol) pairs and node ports are each unique; names are required as soon as
// there are two ports, so that EndpointSlices and clients can tell them apart.
void ValidatePorts(const ServiceSpec& spec, FieldErrors* errs) {
  bool node_ports_allowed =
      spec.type == ServiceType::kNodePort || spec.type == ServiceType::kLoadBalancer;
  std::map<std::string, size_t> names;
  std::map<std::pair<int, Protocol>, size_t> ports, node_ports;
  for (size_t i = 0; i < spec.ports.size(); ++i) {
    const ServicePort& p = spec.ports[i];
    std::string path = Index("spec.ports", i);
    std::string proto(ProtocolName(p.protocol));
    if (p.name.empty() && spec.ports.size() > 1) {
      errs->Add(Child(path, "name"), "Required value: name every port when there are several");
    } else if (!p.name.empty() && !names.emplace(p.name, i).second) {
      errs->Add(Child(path, "name"), Quote(p.name) + " is already the name of " +
                                         Index("spec.ports", names[p.name]) +
                                         ": port names must be unique");
    }
    if (p.port > 0 && !ports.emplace(std::pair{p.port, p.protocol}, i).second) {
      errs->Add(path, std::to_string(p.port) + "/" + proto + " is already served by " +
                          Index("spec.ports", ports[{p.port, p.protocol}]) +
                          ": give each port and protocol once");
    }
    if (!p.node_port) continue;
    if (!node_ports_allowed) {
      errs->Add(Child(path, "nodePort"), "not allowed for type " + TypeName(spec.type) +
                                             ": use type NodePort or LoadBalancer");
    } else if (!node_ports.emplace(std::pair{*p.node_port, p.protocol}, i).second) {
      errs->Add(Child(path, "nodePort"),
                std::to_string(*p.node_port) + "/" + proto + " is already the node port of " +
                    Index("spec.ports", node_ports[{*p.node_port, p.protocol}]));
    }
  }
}

ServiceSpec DecodeServiceSpec(ObjectReader& r) {
  ServiceSpec spec;
  spec.type = DecodeEnum<ServiceType>(r, "type", kServiceTypeNames, "service type")
                  .value_or(ServiceType::kClusterIP);
  spec.selector = r.StringMap("selector");
  ValidateLabels(spec.selector, r.FieldPath("selector"), r.errors());
  bool ips_complete = DecodeClusterIps(r, &spec);
  bool families_complete = DecodeIpFamilies(r, &spec);
  spec.ip_family_policy =
      DecodeEnum<IpFamilyPolicy>(r, "ipFamilyPolicy", kIpFamilyPolicyNames, "IP family policy");
  r.List("ports", [&](ObjectReader& pr, size_t) { spec.ports.push_back(DecodeServicePort(pr)); });
  spec.session_affinity =
      DecodeEnum<SessionAffinity>(r, "sessionAffinity", kSessionAffinityNames, "session affinity")
          .value_or(SessionAffinity::kNone);
  spec.external_traffic_policy =
      DecodeEnum<TrafficPolicy>(r, "externalTrafficPolicy", kTrafficPolicyNames, "traffic policy");
  spec.internal_traffic_policy =
      DecodeEnum<TrafficPolicy>(r, "internalTrafficPolicy", kTrafficPolicyNames, "traffic policy");
  spec.external_name = r.String("externalName").value_or("");
  ValidateByType(&spec, r.errors());
  ValidatePorts(spec, r.errors());
  ResolveFamilies(ips_complete, families_complete, &spec, r.errors());
  return spec;
}

LoadBalancerIngress DecodeIngress(ObjectReader& r) {
  LoadBalancerIngress in;
  in.ip = DecodeIpField(r, "ip");
  in.hostname = r.String("hostname").value_or("");
  if (in.hostname.empty()) return in;
  if (IpAddress::Parse(in.hostname)) {
    r.Error("hostname", Quote(in.hostname) + " is an IP address: put it in ip");
  } else {
    ValidateDnsSubdomain(in.hostname, r.FieldPath("hostname"), r.errors());
  }
  return in;
}

ServiceStatus DecodeServiceStatus(ObjectReader& r) {
  ServiceStatus st;
  r.Object("loadBalancer", [&](ObjectReader& lb) {
    lb.List("ingress", [&](ObjectReader& ir, size_t) {
      st.load_balancer_ingress.push_back(DecodeIngress(ir));
    });
  });
  return st;
}

doc::Value EncodeServicePort(const ServicePort& p) {
  doc::Value v = doc::Value::EmptyMap();
  if (!p.name.empty()) v.Set("name", p.name);
  v.Set("protocol", ProtocolName(p.protocol));
  v.Set("port", p.port);
  if (p.target_port.name.empty()) {
    v.Set("targetPort", p.target_port.number);
  } else {
    v.Set("targetPort", p.target_port.name);
  }
  if (p.node_port) v.Set("nodePort", *p.node_port);
  return v;
}

void EncodeClusterIps(const ServiceSpec& spec, doc::Value* v) {
  std::vector<std::string> ips;
  if (spec.headless) ips.emplace_back(kHeadless);
  for (const IpAddress& ip : spec.cluster_ips) ips.push_back(ip.ToString());
  if (!ips.empty()) {
    v->Set("clusterIP", ips.front());
    v->Set("clusterIPs", StringListValue(ips));
  }
  std::vector<std::string> families;
  for (Family f : spec.ip_families) families.emplace_back(FamilyName(f));
  if (!families.empty()) v->Set("ipFamilies", StringListValue(families));
  if (spec.ip_family_policy) {
    v->Set("ipFamilyPolicy", kIpFamilyPolicyNames[static_cast<size_t>(*spec.ip_family_policy)]);
  }
}

doc::Value EncodeServiceSpec(const ServiceSpec& spec) {
  doc::Value v = doc::Value::EmptyMap();
  v.Set("type", TypeName(spec.type));
  if (!spec.selector.empty()) v.Set("selector", StringMapValue(spec.selector));
  EncodeClusterIps(spec, &v);
  if (!spec.ports.empty()) {
    doc::Value& ports = v.Set("ports", doc::Value::EmptyList());
    for (const ServicePort& p : spec.ports) ports.Append(EncodeServicePort(p));
  }
  v.Set("sessionAffinity", kSessionAffinityNames[static_cast<size_t>(spec.session_affinity)]);
  auto policy = [](TrafficPolicy p) { return kTrafficPolicyNames[static_cast<size_t>(p)]; };
  if (spec.external_traffic_policy) {
    v.Set("externalTrafficPolicy", policy(*spec.external_traffic_policy));
  }
  if (spec.internal_traffic_policy) {
    v.Set("internalTrafficPolicy", policy(*spec.internal_traffic_policy));
  }
  if (!spec.external_name.empty()) v.Set("externalName", spec.external_name);
  return v;
}

doc::Value EncodeServiceStatus(const ServiceStatus& st) {
  doc::Value v;
  if (st.load_balancer_ingress.empty()) return v;
  doc::Value& list =
      v.Set("loadBalancer", doc::Value::EmptyMap()).Set("ingress", doc::Value::EmptyList());
  for (const LoadBalancerIngress& in : st.load_balancer_ingress) {
    doc::Value item = doc::Value::EmptyMap();
    if (in.ip) item.Set("ip", in.ip->ToString());
    if (!in.hostname.empty()) item.Set("hostname", in.hostname);
    list.Append(std::move(item));
  }
  return v;
}

}  // namespace

Service DecodeService(const doc::Value& v, FieldErrors* errs) {
  Service svc;
  ObjectReader r(&v, "", errs);
  SkipTypeMeta(r);
  svc.metadata = DecodeMeta(r, /*namespaced=*/true);
  ValidateServiceName(svc.metadata.name, errs);
  bool has_spec = r.Object("spec", [&](ObjectReader& sr) { svc.spec = DecodeServiceSpec(sr); });
  if (!has_spec) {
    // Run the spec rules on the empty spec so that defaults and "Required" errors still apply.
    doc::Value empty = doc::Value::EmptyMap();
    ObjectReader sr(&empty, "spec", errs);
    svc.spec = DecodeServiceSpec(sr);
  }
  r.Object("status", [&](ObjectReader& sr) { svc.status = DecodeServiceStatus(sr); });
  if (!svc.status.load_balancer_ingress.empty() && svc.spec.type != ServiceType::kLoadBalancer) {
    errs->Add("status.loadBalancer.ingress", "not allowed for type " + TypeName(svc.spec.type) +
                                                 ": only LoadBalancer services have ingress "
                                                 "points");
  }
  return svc;
}

doc::Value EncodeService(const Service& svc) {
  return Envelope(*FindKind("Service"), svc.metadata, EncodeServiceSpec(svc.spec),
                  EncodeServiceStatus(svc.status));
}

StatusOr<doc::Value> CanonicalizeService(const doc::Value& v) {
  return CanonicalizeWith<Service>(v, "Service", &DecodeService, &EncodeService);
}

}  // namespace egret::model
