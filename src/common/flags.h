// A small command-line parser: `--name value`, `--name=value`, short aliases (`-n value`),
// boolean switches and positional arguments. Unknown flags are errors.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace egret {

struct FlagSpec {
  std::string name;        // "namespace"
  std::string short_name;  // "n" (optional)
  bool takes_value = true;
  bool repeatable = false;
  std::string help;
};

class ParsedFlags {
 public:
  bool Has(std::string_view name) const { return values_.contains(std::string(name)); }
  std::string Get(std::string_view name, std::string_view fallback = "") const;
  std::vector<std::string> GetAll(std::string_view name) const;
  // A boolean switch: true when given without a value or as --name=true.
  bool Bool(std::string_view name) const { return Get(name) == "true"; }
  const std::vector<std::string>& positional() const { return positional_; }

 private:
  friend StatusOr<ParsedFlags> ParseFlags(const std::vector<FlagSpec>&,
                                          const std::vector<std::string>&);
  std::map<std::string, std::vector<std::string>> values_;
  std::vector<std::string> positional_;
};

// Everything after a bare "--" is positional.
StatusOr<ParsedFlags> ParseFlags(const std::vector<FlagSpec>& specs,
                                 const std::vector<std::string>& args);

// "  --namespace, -n VALUE   help" lines for usage texts.
std::string FlagHelp(const std::vector<FlagSpec>& specs);

}  // namespace egret
