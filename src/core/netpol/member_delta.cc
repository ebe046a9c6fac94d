#include "core/netpol/member_delta.h"

#include <algorithm>
#include <iterator>

#include "common/strings.h"
#include "core/netpol/state_codec.h"

namespace egret::core::netpol {
namespace {

template <typename T>
std::vector<T> Minus(const std::vector<T>& a, const std::vector<T>& b) {  // both sorted
  std::vector<T> out;
  std::set_difference(a.begin(), a.end(), b.begin(), b.end(), std::back_inserter(out));
  return out;
}

doc::Value Texts(const std::vector<model::IpAddress>& v) {
  doc::Value list = doc::Value::EmptyList();
  for (const model::IpAddress& ip : v) list.Append(ip.ToString());
  return list;
}

doc::Value Texts(const std::vector<PortTuple>& v) {
  doc::Value list = doc::Value::EmptyList();
  for (const PortTuple& t : v) list.Append(PortTupleText(t));
  return list;
}

template <typename Set>
void AddChanged(const std::vector<Set>& prev, const std::vector<Set>& next, doc::Value* out) {
  for (size_t i = 0; i < next.size(); ++i) {
    if (prev[i].members == next[i].members) continue;
    doc::Value d = doc::Value::EmptyMap();
    d.Set("name", next[i].name);
    d.Set("add", Texts(Minus(next[i].members, prev[i].members)));
    d.Set("remove", Texts(Minus(prev[i].members, next[i].members)));
    out->Append(std::move(d));
  }
}

template <typename Set>
bool SameSetsButMembers(const std::vector<Set>& a, const std::vector<Set>& b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (a[i].name != b[i].name || a[i].key != b[i].key) return false;
  }
  return true;
}

std::optional<model::IpAddress> Parse(const std::string& s, model::IpAddress*) {
  return model::IpAddress::Parse(s);
}
std::optional<PortTuple> Parse(const std::string& s, PortTuple*) { return ParsePortTuple(s); }

// Applies one set's entry: removals must be present, additions absent.
template <typename Set>
Status ApplyOne(const doc::Value& entry, std::vector<Set>* sets, const std::string& where) {
  const doc::Value* name = entry.Find("name");
  if (!name || !name->is_string()) return InvalidError(where + ".name: Required value");
  auto set = std::find_if(sets->begin(), sets->end(),
                          [&](const Set& s) { return s.name == name->as_string(); });
  if (set == sets->end()) {
    return InvalidError(where + ".name: " + Quote(name->as_string()) + " is not a set of the state");
  }
  using Member = typename decltype(set->members)::value_type;
  auto& members = set->members;
  for (const char* op : {"remove", "add"}) {
    const doc::Value* list = entry.Find(op);
    if (!list || !list->is_list()) return InvalidError(where + "." + op + ": must be a list");
    for (const doc::Value& m : list->as_list()) {
      std::optional<Member> parsed =
          m.is_string() ? Parse(m.as_string(), static_cast<Member*>(nullptr)) : std::nullopt;
      if (!parsed) return InvalidError(where + "." + op + ": a malformed member");
      auto it = std::lower_bound(members.begin(), members.end(), *parsed);
      bool present = it != members.end() && *it == *parsed;
      if (std::string_view(op) == "remove") {
        if (!present) return InvalidError(where + ".remove: a member that is not in the set");
        members.erase(it);
      } else {
        if (present) return InvalidError(where + ".add: a member already in the set");
        members.insert(it, *parsed);
      }
    }
  }
  return Status::Ok();
}

template <typename Set>
Status ApplyAll(const doc::Value& delta, const char* key, std::vector<Set>* sets) {
  const doc::Value* list = delta.Find(key);
  if (!list) return Status::Ok();
  if (!list->is_list()) return InvalidError(std::string(key) + ": must be a list");
  for (size_t i = 0; i < list->as_list().size(); ++i) {
    RETURN_IF_ERROR(ApplyOne(list->as_list()[i], sets, std::string(key) + "[" +
                                                           std::to_string(i) + "]"));
  }
  return Status::Ok();
}

}  // namespace

std::optional<doc::Value> EncodeMemberDelta(const NodePolicyState& prev,
                                            const NodePolicyState& next) {
  if (prev == next || prev.node != next.node || prev.node_pods != next.node_pods ||
      prev.pods != next.pods || !SameSetsButMembers(prev.address_sets, next.address_sets) ||
      !SameSetsButMembers(prev.port_sets, next.port_sets)) {
    return std::nullopt;
  }
  doc::Value delta = doc::Value::EmptyMap();
  AddChanged(prev.address_sets, next.address_sets,
             &delta.Set("addressSets", doc::Value::EmptyList()));
  AddChanged(prev.port_sets, next.port_sets, &delta.Set("portSets", doc::Value::EmptyList()));
  return delta;
}

StatusOr<NodePolicyState> ApplyMemberDelta(const NodePolicyState& prev, const doc::Value& delta) {
  if (!delta.is_map()) return InvalidError("policy member delta: must be an object");
  NodePolicyState next = prev;
  RETURN_IF_ERROR(ApplyAll(delta, "addressSets", &next.address_sets));
  RETURN_IF_ERROR(ApplyAll(delta, "portSets", &next.port_sets));
  return next;
}

}  // namespace egret::core::netpol
