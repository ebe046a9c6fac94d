#include "core/netpol/set_catalog.h"

#include <algorithm>
#include <cstdio>
#include <unordered_map>

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

// The namespaces that have pods taking part, with an inverted index from each namespace label
// (key and value) to the namespaces carrying it. Built once per resolution, so that a namespace
// selector is checked against the namespaces that can match it - those carrying one of its
// matchLabels, or one of the values of an `In` expression - instead of against every namespace
// once per set: that scan, sets x namespaces per node, dominated large clusters.
class NamespaceLookup {
 public:
  explicit NamespaceLookup(const ClusterIndex& index) {
    for (const auto& [ns, pods] : index.pods_by_namespace()) {
      const Labels& labels = index.NamespaceLabels(ns);
      auto at = static_cast<uint32_t>(entries_.size());
      entries_.push_back({&labels, &pods});
      for (const auto& [k, v] : labels) postings_[k][v].push_back(at);
    }
  }

  // The pods of every namespace `sel` matches, filtered by `pod_selector`.
  void AddMembers(const model::LabelSelector& sel, const model::LabelSelector& pod_selector,
                  std::vector<model::IpAddress>* out) const {
    std::vector<uint32_t> buf;
    const std::vector<uint32_t>* candidates = Candidates(sel, &buf);
    auto visit = [&](const Entry& e) {
      if (sel.Matches(*e.labels)) AddPodAddresses(*e.pods, pod_selector, out);
    };
    if (candidates == nullptr) {
      for (const Entry& e : entries_) visit(e);
      return;
    }
    for (uint32_t i : *candidates) visit(entries_[i]);
  }

 private:
  struct Entry {
    const Labels* labels;
    const std::vector<const model::Pod*>* pods;
  };
  using Posting = std::vector<uint32_t>;  // entry indexes, ascending

  const Posting& Find(const std::string& k, const std::string& v) const {
    static const Posting kNone;
    auto by_key = postings_.find(k);
    if (by_key == postings_.end()) return kNone;
    auto it = by_key->second.find(v);
    return it == by_key->second.end() ? kNone : it->second;
  }

  // How many namespaces carry one of `r`'s values (an upper bound of their union's size).
  size_t InSize(const model::LabelRequirement& r) const {
    size_t n = 0;
    for (const std::string& v : r.values) n += Find(r.key, v).size();
    return n;
  }

  // A superset of the namespaces `sel` matches: the smallest posting of its matchLabels, or the
  // union of the postings of an `In` expression's values (built in `buf`) when that is smaller.
  // nullptr when neither narrows it: every namespace.
  const Posting* Candidates(const model::LabelSelector& sel, Posting* buf) const {
    const Posting* best = nullptr;
    for (const auto& [k, v] : sel.match_labels) {
      const Posting& p = Find(k, v);
      if (best == nullptr || p.size() < best->size()) best = &p;
    }
    const model::LabelRequirement* in = nullptr;
    size_t in_size = 0;
    for (const model::LabelRequirement& r : sel.match_expressions) {
      if (r.op != model::LabelRequirement::Op::kIn) continue;
      size_t n = InSize(r);
      if (in == nullptr || n < in_size) {
        in = &r;
        in_size = n;
      }
    }
    if (in == nullptr || (best != nullptr && best->size() <= in_size)) return best;
    for (const std::string& v : in->values) {
      const Posting& p = Find(in->key, v);
      buf->insert(buf->end(), p.begin(), p.end());
    }
    std::sort(buf->begin(), buf->end());
    buf->erase(std::unique(buf->begin(), buf->end()), buf->end());
    return buf;
  }

  std::vector<Entry> entries_;
  // label key -> label value -> the namespaces carrying that label.
  std::unordered_map<std::string, std::unordered_map<std::string, Posting>> postings_;
};

std::vector<model::IpAddress> PodMembers(const ClusterIndex& index, const PodSetDef& def,
                                         std::optional<NamespaceLookup>* lookup) {
  std::vector<model::IpAddress> out;
  if (def.namespace_name) {
    const auto& by_ns = index.pods_by_namespace();
    auto it = by_ns.find(*def.namespace_name);
    if (it != by_ns.end()) AddPodAddresses(it->second, def.pod_selector, &out);
    return out;
  }
  if (!*lookup) lookup->emplace(index);
  (*lookup)->AddMembers(def.namespace_selector, def.pod_selector, &out);
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

// The tuples of `pod`'s container ports called `port_name` (NamedPorts, without building its
// list: this runs for every pod of the cluster per port set and node).
void AddNamedPortTuples(const model::Pod& pod, std::string_view port_name,
                        std::vector<PortTuple>* out) {
  if (port_name.empty()) return;  // unnamed ports cannot be referred to by name
  for (const model::Container& c : pod.spec.containers) {
    for (const model::ContainerPort& cp : c.ports) {
      if (cp.name != port_name) continue;
      for (const model::IpAddress& ip : pod.status.pod_ips) {
        out->push_back({ip, cp.protocol, static_cast<uint16_t>(cp.container_port)});
      }
    }
  }
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
  std::optional<NamespaceLookup> lookup;  // built on the first namespace selector
  for (const auto& [key, entry] : address_sets_) {
    AddressSet set{entry.name, key, {}};
    if (const auto* pods = std::get_if<PodSetDef>(&entry.def)) {
      set.members = PodMembers(index, *pods, &lookup);
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
      for (const model::Pod* pod : pods) AddNamedPortTuples(*pod, port_name, &set.members);
    }
    SortUnique(&set.members);
    out.push_back(std::move(set));
  }
  std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.name < b.name; });
  return out;
}

}  // namespace egret::core::netpol
