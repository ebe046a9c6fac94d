#include "core/netpol/set_catalog.h"

#include <algorithm>
#include <cstdio>

namespace egret::core::netpol {
namespace {

constexpr std::string_view kPortKeyPrefix = "port ";

uint64_t Fnv1a(std::string_view s) {
  uint64_t h = 14695981039346656037ull;
  for (char c : s) {
    h ^= static_cast<unsigned char>(c);
    h *= 1099511628211ull;
  }
  return h;
}

std::string RequirementKey(const model::LabelRequirement& r) {
  std::vector<std::string> values(r.values.begin(), r.values.end());
  std::sort(values.begin(), values.end());
  values.erase(std::unique(values.begin(), values.end()), values.end());
  std::string list;
  for (const std::string& v : values) list += (list.empty() ? "" : ",") + v;
  switch (r.op) {
    case model::LabelRequirement::Op::kIn:
      return r.key + " in (" + list + ")";
    case model::LabelRequirement::Op::kNotIn:
      return r.key + " notin (" + list + ")";
    case model::LabelRequirement::Op::kExists:
      return r.key;
    case model::LabelRequirement::Op::kDoesNotExist:
      return "!" + r.key;
  }
  return "?";
}

std::string PodSetKey(const PodSetDef& def) {
  std::string key = "pods ";
  key += def.namespace_name ? "ns=" + *def.namespace_name
                            : "nssel=" + SelectorKey(def.namespace_selector);
  return key + " pod=" + SelectorKey(def.pod_selector);
}

void AddPodAddresses(const std::vector<const model::Pod*>& pods, const model::LabelSelector& sel,
                     std::vector<model::IpAddress>* out) {
  for (const model::Pod* pod : pods) {
    if (!sel.Matches(pod->metadata.labels)) continue;
    out->insert(out->end(), pod->status.pod_ips.begin(), pod->status.pod_ips.end());
  }
}

std::vector<model::IpAddress> PodMembers(const ClusterIndex& index, const PodSetDef& def) {
  std::vector<model::IpAddress> out;
  const auto& by_ns = index.pods_by_namespace();
  if (def.namespace_name) {
    auto it = by_ns.find(*def.namespace_name);
    if (it != by_ns.end()) AddPodAddresses(it->second, def.pod_selector, &out);
    return out;
  }
  for (const auto& [ns, pods] : by_ns) {
    if (def.namespace_selector.Matches(index.NamespaceLabels(ns))) {
      AddPodAddresses(pods, def.pod_selector, &out);
    }
  }
  return out;
}

std::vector<model::IpAddress> NodeMembers(const ClusterIndex& index,
                                          const model::LabelSelector& sel) {
  std::vector<model::IpAddress> out;
  for (const model::Node& node : index.cluster().nodes) {
    if (!sel.Matches(node.metadata.labels)) continue;
    std::vector<model::IpAddress> addrs = NodeAddresses(node);
    out.insert(out.end(), addrs.begin(), addrs.end());
  }
  return out;
}

template <typename T>
void SortUnique(std::vector<T>* v) {
  std::sort(v->begin(), v->end());
  v->erase(std::unique(v->begin(), v->end()), v->end());
}

}  // namespace

std::string SelectorKey(const model::LabelSelector& selector) {
  if (selector.empty()) return "{}";
  std::vector<std::string> parts;
  for (const auto& [k, v] : selector.match_labels) {
    std::string& part = parts.emplace_back(k);
    part += '=';
    part += v;
  }
  for (const model::LabelRequirement& r : selector.match_expressions) {
    parts.push_back(RequirementKey(r));
  }
  SortUnique(&parts);
  std::string out = "{";
  for (size_t i = 0; i < parts.size(); ++i) out += (i ? ";" : "") + parts[i];
  return out + "}";
}

std::string SetCatalog::NameFor(char prefix, const std::string& key) {
  for (uint64_t salt = 0;; ++salt) {
    std::string salted = salt == 0 ? key : key + "#" + std::to_string(salt);
    char buf[24];
    std::snprintf(buf, sizeof buf, "%c%016llx", prefix,
                  static_cast<unsigned long long>(Fnv1a(salted)));
    auto [it, inserted] = names_.emplace(buf, key);
    if (inserted || it->second == key) return buf;
  }
}

std::string SetCatalog::AddPods(const PodSetDef& def) {
  std::string key = PodSetKey(def);
  auto it = address_sets_.find(key);
  if (it != address_sets_.end()) return it->second.name;
  std::string name = NameFor('a', key);
  address_sets_.emplace(key, Entry{name, def});
  return name;
}

std::string SetCatalog::AddNodes(const model::LabelSelector& node_selector) {
  std::string key = "nodes sel=" + SelectorKey(node_selector);
  auto it = address_sets_.find(key);
  if (it != address_sets_.end()) return it->second.name;
  std::string name = NameFor('a', key);
  address_sets_.emplace(key, Entry{name, node_selector});
  return name;
}

std::string SetCatalog::AddPortName(std::string_view port_name) {
  std::string key = std::string(kPortKeyPrefix) + std::string(port_name);
  auto it = port_sets_.find(key);
  if (it != port_sets_.end()) return it->second;
  std::string name = NameFor('n', key);
  port_sets_.emplace(key, name);
  return name;
}

std::vector<AddressSet> SetCatalog::ResolveAddressSets(const ClusterIndex& index) const {
  std::vector<AddressSet> out;
  for (const auto& [key, entry] : address_sets_) {
    AddressSet set{entry.name, key, {}};
    if (const auto* pods = std::get_if<PodSetDef>(&entry.def)) {
      set.members = PodMembers(index, *pods);
    } else {
      set.members = NodeMembers(index, std::get<model::LabelSelector>(entry.def));
    }
    SortUnique(&set.members);
    out.push_back(std::move(set));
  }
  std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.name < b.name; });
  return out;
}

std::vector<PortSet> SetCatalog::ResolvePortSets(const ClusterIndex& index) const {
  std::vector<PortSet> out;
  for (const auto& [key, name] : port_sets_) {
    std::string_view port_name = std::string_view(key).substr(kPortKeyPrefix.size());
    PortSet set{name, key, {}};
    for (const auto& [ns, pods] : index.pods_by_namespace()) {
      for (const model::Pod* pod : pods) {
        for (const model::ContainerPort& cp : NamedPorts(*pod, port_name)) {
          for (const model::IpAddress& ip : pod->status.pod_ips) {
            set.members.push_back({ip, cp.protocol, static_cast<uint16_t>(cp.container_port)});
          }
        }
      }
    }
    SortUnique(&set.members);
    out.push_back(std::move(set));
  }
  std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.name < b.name; });
  return out;
}

}  // namespace egret::core::netpol
