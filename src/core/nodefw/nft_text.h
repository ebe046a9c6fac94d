// Text pieces every renderer of table inet egret writes the same way (the node firewall, the
// egress datapath, the policy renderer), so that ruleset_delta.h can read them back.
#pragma once

#include <string>
#include <vector>

namespace egret::nodefw {

// The `elements = { ... }` block of a named set or map, one element per line; "" for none.
std::string NftElementsBlock(const std::vector<std::string>& elements);

}  // namespace egret::nodefw
