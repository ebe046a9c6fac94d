// The named sets a compilation refers to. A set is identified by its definition - the peer's
// selectors in canonical text - so every rule naming the same peer shares one set, and the
// set's name stays the same while its members change.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "core/netpol/cluster_index.h"
#include "core/netpol/compiled.h"
#include "model/meta.h"

namespace egret::core::netpol {

// Canonical text of a selector: match labels and expressions sorted, values sorted and unique;
// "{}" for the empty selector. Equal selectors give equal text.
std::string SelectorKey(const model::LabelSelector& selector);

// A selector peer: the pods matching `pod_selector` in one named namespace, or in every
// namespace `namespace_selector` matches.
struct PodSetDef {
  std::optional<std::string> namespace_name;
  model::LabelSelector namespace_selector;  // used when namespace_name is nullopt
  model::LabelSelector pod_selector;
};

// Set names are a hash of the key; on the (unlikely) collision of two keys within one catalog
// the later key is rehashed with a counter, so names are unique within a NodePolicyState.
class SetCatalog {
 public:
  // Each returns the name of the set to refer to, registering it on first use.
  std::string AddPods(const PodSetDef& def);
  std::string AddNodes(const model::LabelSelector& node_selector);
  std::string AddPortName(std::string_view port_name);

  // The members of every registered set, sorted by name.
  std::vector<AddressSet> ResolveAddressSets(const ClusterIndex& index) const;
  std::vector<PortSet> ResolvePortSets(const ClusterIndex& index) const;

 private:
  using Def = std::variant<PodSetDef, model::LabelSelector>;  // pods or nodes
  struct Entry {
    std::string name;
    Def def;
  };
  std::string NameFor(char prefix, const std::string& key);

  std::map<std::string, Entry> address_sets_;     // by key
  std::map<std::string, std::string> port_sets_;  // key -> name; the key holds the port name
  std::map<std::string, std::string> names_;      // name -> key, to detect collisions
};

}  // namespace egret::core::netpol
