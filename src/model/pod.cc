#include "model/pod.h"

#include <map>
#include <utility>

#include "common/strings.h"
#include "model/core_fields.h"
#include "model/kind_codec.h"
#include "model/kinds_all.h"

namespace egret::model {
namespace {

constexpr std::string_view kNoContainers = "Required value: a pod has at least one container";

ContainerPort DecodeContainerPort(ObjectReader& r) {
  ContainerPort p;
  p.name = r.String("name").value_or("");
  if (!p.name.empty()) ValidateIanaServiceName(p.name, r.FieldPath("name"), r.errors());
  p.container_port = DecodePort(r, "containerPort", /*required=*/true).value_or(0);
  p.protocol = DecodeProtocol(r, "protocol");
  p.host_port = DecodePort(r, "hostPort", /*required=*/false);
  return p;
}

Container DecodeContainer(ObjectReader& r) {
  Container c;
  c.name = r.RequiredString("name");
  if (!c.name.empty()) ValidateDnsLabel(c.name, r.FieldPath("name"), r.errors());
  c.image = r.String("image").value_or("");
  if (Trim(c.image) != c.image) {
    r.Error("image", Quote(c.image) + " must not begin or end with whitespace");
  }
  r.List("ports", [&](ObjectReader& pr, size_t) { c.ports.push_back(DecodeContainerPort(pr)); });
  return c;
}

std::string PortPath(size_t container, size_t port) {
  return Index(Child(Index("spec.containers", container), "ports"), port);
}

// Rules that span containers: unique container names, unique port names (a Service's named
// targetPort must resolve to one port), and host ports, which live in the node's one port space.
void ValidateContainerSet(PodSpec* spec, FieldErrors* errs) {
  std::map<std::string, size_t> names;
  std::map<std::string, std::string> port_names;  // name -> path of first use
  std::map<std::pair<int, Protocol>, std::string> host_ports;
  for (size_t i = 0; i < spec->containers.size(); ++i) {
    Container& c = spec->containers[i];
    std::string cpath = Index("spec.containers", i);
    if (!c.name.empty() && !names.emplace(c.name, i).second) {
      errs->Add(Child(cpath, "name"), Quote(c.name) + " is already the name of " +
                                          Index("spec.containers", names[c.name]) +
                                          ": container names must be unique");
    }
    for (size_t k = 0; k < c.ports.size(); ++k) {
      ContainerPort& p = c.ports[k];
      std::string ppath = PortPath(i, k);
      if (!p.name.empty() && !port_names.emplace(p.name, ppath).second) {
        errs->Add(Child(ppath, "name"), Quote(p.name) + " is already the name of " +
                                            port_names[p.name] +
                                            ": port names must be unique within the pod");
      }
      if (spec->host_network && p.container_port > 0) {
        if (!p.host_port) {
          p.host_port = p.container_port;
        } else if (*p.host_port != p.container_port) {
          errs->Add(Child(ppath, "hostPort"),
                    std::to_string(*p.host_port) + " must equal containerPort (" +
                        std::to_string(p.container_port) + ") on a host-network pod");
          continue;
        }
      }
      if (!p.host_port) continue;
      auto [it, fresh] = host_ports.emplace(std::pair{*p.host_port, p.protocol}, ppath);
      if (!fresh) {
        errs->Add(Child(ppath, "hostPort"), std::to_string(*p.host_port) + "/" +
                                                std::string(ProtocolName(p.protocol)) +
                                                " is already used by " + it->second +
                                                ": host ports must be unique per protocol");
      }
    }
  }
}

PodSpec DecodePodSpec(ObjectReader& r) {
  PodSpec spec;
  spec.node_name = r.String("nodeName").value_or("");
  if (!spec.node_name.empty()) {
    ValidateDnsSubdomain(spec.node_name, r.FieldPath("nodeName"), r.errors());
  }
  spec.host_network = r.Bool("hostNetwork").value_or(false);
  r.List("containers",
         [&](ObjectReader& cr, size_t) { spec.containers.push_back(DecodeContainer(cr)); });
  // Absent or []; a containers field of the wrong type has its own error.
  if (spec.containers.empty() && !r.errors()->HasErrorAt(r.FieldPath("containers"))) {
    r.Error("containers", std::string(kNoContainers));
  }
  return spec;
}

PodStatus DecodePodStatus(ObjectReader& r) {
  PodStatus st;
  st.phase = DecodeEnum<PodPhase>(r, "phase", kPodPhaseNames, "phase");
  st.host_ip = DecodeIpField(r, "hostIP");
  std::optional<IpAddress> pod_ip = DecodeIpField(r, "podIP");
  bool complete = true;
  std::vector<FamilyEntry> entries;
  r.List("podIPs", [&](ObjectReader& ir, size_t i) {
    std::optional<IpAddress> ip;
    std::string text = ir.RequiredString("ip");
    if (!text.empty()) ip = ParseIpField(text, ir.FieldPath("ip"), ir.errors());
    if (!ip) {
      complete = false;
      return;
    }
    entries.push_back({i, ip->family(), text});
    st.pod_ips.push_back(*ip);
  });
  ValidateOnePerFamily(entries, r.FieldPath("podIPs"), "address", r.errors());
  ReconcilePrimary(pod_ip, &st.pod_ips, complete, r.FieldPath("podIP"), r.FieldPath("podIPs"),
                   r.errors());
  return st;
}

doc::Value EncodeContainer(const Container& c) {
  doc::Value v = doc::Value::EmptyMap();
  v.Set("name", c.name);
  if (!c.image.empty()) v.Set("image", c.image);
  if (c.ports.empty()) return v;
  doc::Value& ports = v.Set("ports", doc::Value::EmptyList());
  for (const ContainerPort& p : c.ports) {
    doc::Value pv = doc::Value::EmptyMap();
    if (!p.name.empty()) pv.Set("name", p.name);
    pv.Set("containerPort", p.container_port);
    pv.Set("protocol", ProtocolName(p.protocol));
    if (p.host_port) pv.Set("hostPort", *p.host_port);
    ports.Append(std::move(pv));
  }
  return v;
}

doc::Value EncodePodStatus(const PodStatus& st) {
  doc::Value v = doc::Value::EmptyMap();
  if (st.phase) v.Set("phase", PodPhaseName(*st.phase));
  if (st.host_ip) v.Set("hostIP", st.host_ip->ToString());
  if (st.pod_ips.empty()) return v;
  v.Set("podIP", st.pod_ips.front().ToString());
  doc::Value& ips = v.Set("podIPs", doc::Value::EmptyList());
  for (const IpAddress& ip : st.pod_ips) {
    doc::Value item = doc::Value::EmptyMap();
    item.Set("ip", ip.ToString());
    ips.Append(std::move(item));
  }
  return v;
}

}  // namespace

Pod DecodePod(const doc::Value& v, FieldErrors* errs) {
  Pod pod;
  ObjectReader r(&v, "", errs);
  SkipTypeMeta(r);
  pod.metadata = DecodeMeta(r, /*namespaced=*/true);
  if (!r.Object("spec", [&](ObjectReader& sr) { pod.spec = DecodePodSpec(sr); })) {
    errs->Add("spec.containers", std::string(kNoContainers));
  }
  r.Object("status", [&](ObjectReader& sr) { pod.status = DecodePodStatus(sr); });
  r.Finish();
  ValidateContainerSet(&pod.spec, errs);
  return pod;
}

doc::Value EncodePod(const Pod& pod) {
  doc::Value spec = doc::Value::EmptyMap();
  if (!pod.spec.node_name.empty()) spec.Set("nodeName", pod.spec.node_name);
  if (pod.spec.host_network) spec.Set("hostNetwork", true);
  doc::Value& containers = spec.Set("containers", doc::Value::EmptyList());
  for (const Container& c : pod.spec.containers) containers.Append(EncodeContainer(c));
  return Envelope(*FindKind("Pod"), pod.metadata, std::move(spec), EncodePodStatus(pod.status));
}

StatusOr<doc::Value> CanonicalizePod(const doc::Value& v) {
  return CanonicalizeWith<Pod>(v, "Pod", &DecodePod, &EncodePod);
}

std::optional<int> ResolveNamedPort(const Pod& pod, std::string_view name, Protocol protocol) {
  if (name.empty()) return std::nullopt;  // unnamed ports are not reachable by name
  for (const Container& c : pod.spec.containers) {
    for (const ContainerPort& p : c.ports) {
      if (p.name == name && p.protocol == protocol) return p.container_port;
    }
  }
  return std::nullopt;
}

}  // namespace egret::model
