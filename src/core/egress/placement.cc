#include "core/egress/placement.h"

#include <algorithm>
#include <tuple>

namespace egret::core::egress {
namespace {

uint64_t Fnv1a(uint64_t h, std::string_view s) {
  for (unsigned char c : s) {
    h ^= c;
    h *= 0x100000001b3ULL;
  }
  return h;
}

uint64_t SplitMix64(uint64_t z) {
  z += 0x9e3779b97f4a7c15ULL;
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

struct Unit {
  size_t index;                     // into keys
  std::vector<std::string> order;   // RendezvousOrder(key, nodes)
  std::optional<size_t> keep_rank;  // rank of the previous node in `order`, when ready
};

}  // namespace

uint64_t RendezvousScore(std::string_view key, std::string_view node) {
  uint64_t h = Fnv1a(0xcbf29ce484222325ULL, key);
  h = Fnv1a(h, std::string_view("\0", 1));  // "ab"+"c" and "a"+"bc" must differ
  return SplitMix64(Fnv1a(h, node));
}

std::vector<std::string> RendezvousOrder(std::string_view key, std::span<const std::string> nodes) {
  std::vector<std::pair<uint64_t, const std::string*>> scored;
  scored.reserve(nodes.size());
  for (const std::string& n : nodes) scored.emplace_back(RendezvousScore(key, n), &n);
  std::sort(scored.begin(), scored.end(), [](const auto& a, const auto& b) {
    return a.first != b.first ? a.first > b.first : *a.second < *b.second;
  });
  std::vector<std::string> out;
  out.reserve(scored.size());
  for (const auto& [score, name] : scored) out.push_back(*name);
  return out;
}

namespace {

// Loads with an even spread: every node may take `floor` units, and `extra` of them (the
// first to ask) one more; floor = units / nodes, extra = units % nodes.
class Capacity {
 public:
  Capacity(size_t units, size_t nodes) : floor_(units / nodes), extra_(units % nodes) {}
  // Takes a place on `node` when it has room.
  bool Take(const std::string& node) {
    size_t& load = load_[node];
    if (load < floor_) {
      ++load;
      return true;
    }
    if (load == floor_ && extra_ > 0) {
      --extra_;
      ++load;
      return true;
    }
    return false;
  }

 private:
  size_t floor_;
  size_t extra_;
  std::map<std::string, size_t, std::less<>> load_;
};

std::vector<Unit> MakeUnits(std::span<const std::string> keys, std::span<const std::string> nodes,
                            const std::map<std::string, std::string, std::less<>>& previous) {
  std::vector<Unit> units;
  units.reserve(keys.size());
  for (size_t i = 0; i < keys.size(); ++i) {
    Unit u{i, RendezvousOrder(keys[i], nodes), std::nullopt};
    auto prev = previous.find(keys[i]);
    if (prev != previous.end()) {
      auto at = std::find(u.order.begin(), u.order.end(), prev->second);
      if (at != u.order.end()) u.keep_rank = static_cast<size_t>(at - u.order.begin());
    }
    units.push_back(std::move(u));
  }
  return units;
}

// Units stay on their previous node while it has room. Units whose previous node is also their
// most preferred one go first, so when a node comes back it is the units displaced from it
// that return, not the ones that were always elsewhere.
void KeepPrevious(std::span<const std::string> keys, const std::vector<Unit>& units,
                  Capacity* capacity, std::vector<const std::string*>* first) {
  std::vector<const Unit*> keepers;
  for (const Unit& u : units) {
    if (u.keep_rank) keepers.push_back(&u);
  }
  std::sort(keepers.begin(), keepers.end(), [&](const Unit* a, const Unit* b) {
    return std::tie(*a->keep_rank, keys[a->index]) < std::tie(*b->keep_rank, keys[b->index]);
  });
  for (const Unit* u : keepers) {
    const std::string& node = u->order[*u->keep_rank];
    if (capacity->Take(node)) (*first)[u->index] = &node;
  }
}

// The other units, in key order, take their most preferred node with room; one always has
// room because the places add up to the number of units.
void FillRest(std::span<const std::string> keys, const std::vector<Unit>& units, Capacity* capacity,
              std::vector<const std::string*>* first) {
  std::vector<size_t> rest;
  for (size_t i = 0; i < keys.size(); ++i) {
    if (!(*first)[i]) rest.push_back(i);
  }
  std::sort(rest.begin(), rest.end(), [&](size_t a, size_t b) { return keys[a] < keys[b]; });
  for (size_t i : rest) {
    for (const std::string& node : units[i].order) {
      if (capacity->Take(node)) {
        (*first)[i] = &node;
        break;
      }
    }
  }
}

}  // namespace

std::vector<std::vector<std::string>> PlaceUnits(
    std::span<const std::string> keys, std::span<const std::string> nodes,
    const std::map<std::string, std::string, std::less<>>& previous) {
  std::vector<std::vector<std::string>> out(keys.size());
  if (nodes.empty()) return out;
  const std::vector<Unit> units = MakeUnits(keys, nodes, previous);
  Capacity capacity(keys.size(), nodes.size());
  std::vector<const std::string*> first(keys.size(), nullptr);
  KeepPrevious(keys, units, &capacity, &first);
  FillRest(keys, units, &capacity, &first);
  for (size_t i = 0; i < keys.size(); ++i) {
    out[i].reserve(nodes.size());
    out[i].push_back(*first[i]);
    for (const std::string& node : units[i].order) {
      if (&node != first[i]) out[i].push_back(node);
    }
  }
  return out;
}

std::optional<std::string> ActiveNode(std::span<const std::string> candidates,
                                      const std::function<bool(std::string_view)>& alive) {
  for (const std::string& c : candidates) {
    if (alive(c)) return c;
  }
  return std::nullopt;
}

}  // namespace egret::core::egress
