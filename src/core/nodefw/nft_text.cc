#include "core/nodefw/nft_text.h"

namespace egret::nodefw {

std::string NftElementsBlock(const std::vector<std::string>& elements) {
  if (elements.empty()) return "";
  std::string out = "\t\telements = {\n";
  for (size_t i = 0; i < elements.size(); ++i) {
    out += "\t\t\t" + elements[i] + (i + 1 < elements.size() ? ",\n" : "\n");
  }
  return out + "\t\t}\n";
}

}  // namespace egret::nodefw
