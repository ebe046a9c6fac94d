// Structure versus contents of the node firewall, and the smallest update between two of them.
// Pure: text in, values and text out.
//
// A rendered firewall script (RenderNodeFirewall, with the egress and policy fragments in it)
// has two parts that change at very different rates:
//   - structure: the table, its chains and rules, and the declarations of its named sets and
//     maps (type, flags, comment) — changes with policies, egress targets, cluster CIDRs;
//   - contents: the elements of those sets and maps — changes with every pod that comes or goes,
//     every peer address joining a policy set, every steering row.
// When only contents changed since the last successful apply, one transaction of `delete
// element` / `add element` commands brings the table from the old ruleset to the new one without
// touching any chain or rule; otherwise the whole table is replaced (docs/design/nftables.md,
// "Applying updates").
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace egret::nodefw {

// The elements of one named set or map, as rendered: `KEY [comment "..."] [: VALUE]`, where KEY
// may be a concatenation (`a . b`) and interval sets may hold prefixes or ranges (`a-b`).
struct SetContents {
  std::string name;
  bool map = false;
  bool interval = false;  // `flags interval`: elements are ranges, deleted by the exact range
  std::vector<std::string> elements;  // order is irrelevant; duplicates count once
  friend bool operator==(const SetContents&, const SetContents&) = default;
};

// A script split into structure and contents.
struct SplitRuleset {
  std::string structure;          // the script without any `elements = { ... }` block
  std::vector<SetContents> sets;  // every named set and map, in declaration order
  friend bool operator==(const SplitRuleset&, const SplitRuleset&) = default;
};

// Splits a script written in the renderers' layout: a set or map opens with a line
// `\tset NAME {` or `\tmap NAME {` and closes with `\t}`; its elements, if any, sit between a
// line `\t\telements = {` and a line `\t\t}`, one per line, each but the last followed by `,`.
// Invalid (naming the line) when a set or its elements are written any other way: the caller
// then has no contents to compare and must replace the table.
StatusOr<SplitRuleset> SplitScript(std::string_view script);

// The element changes of one set or map.
struct SetDelta {
  std::string name;
  std::vector<std::string> removed;  // keys (no comment, no value), as `delete element` wants
  std::vector<std::string> added;    // whole elements
};

struct RulesetDelta {
  // The structure differs (or the sets do): elements alone cannot get there, replace the table.
  bool replace = false;
  std::string reason;          // when replace: which structure line differs first
  std::vector<SetDelta> sets;  // when !replace: the sets whose elements differ, in script order

  bool empty() const { return !replace && sets.empty(); }
  size_t added() const;
  size_t removed() const;
};

// What takes the table from `before` (as applied) to `after`. An element whose text is in both
// is unchanged; one whose comment or value changed is removed by its key and added again, in one
// transaction. Element order does not matter.
RulesetDelta DiffRulesets(const SplitRuleset& before, const SplitRuleset& after);

// One script for a delta without replace, applied as one transaction: every `delete element`
// first, then every `add element`, so that an interval split or merged between the two versions
// never overlaps what is still there (nftables refuses overlapping intervals, and deletes an
// interval only when given exactly the range that was added). Empty for an empty delta.
std::string RenderRulesetDelta(const RulesetDelta& delta);

// The key of a rendered element: its text up to a ` comment "` or ` : ` (an IPv6 address has
// colons, but never one between spaces).
std::string_view ElementKey(std::string_view element);

}  // namespace egret::nodefw
