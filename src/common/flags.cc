#include "common/flags.h"

#include "common/strings.h"

namespace egret {

std::string ParsedFlags::Get(std::string_view name, std::string_view fallback) const {
  auto it = values_.find(std::string(name));
  if (it == values_.end() || it->second.empty()) return std::string(fallback);
  return it->second.back();
}

std::vector<std::string> ParsedFlags::GetAll(std::string_view name) const {
  auto it = values_.find(std::string(name));
  return it == values_.end() ? std::vector<std::string>{} : it->second;
}

StatusOr<ParsedFlags> ParseFlags(const std::vector<FlagSpec>& specs,
                                 const std::vector<std::string>& args) {
  ParsedFlags out;
  auto find = [&](std::string_view name, bool is_short) -> const FlagSpec* {
    for (const FlagSpec& s : specs) {
      if ((is_short ? s.short_name : s.name) == name) return &s;
    }
    return nullptr;
  };
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    if (a == "--") {
      for (size_t j = i + 1; j < args.size(); ++j) out.positional_.push_back(args[j]);
      break;
    }
    bool is_long = a.starts_with("--");
    bool is_short = !is_long && a.size() > 1 && a[0] == '-';
    if (!is_long && !is_short) {
      out.positional_.push_back(a);
      continue;
    }
    std::string body = a.substr(is_long ? 2 : 1);
    std::optional<std::string> inline_value;
    if (size_t eq = body.find('='); eq != std::string::npos) {
      inline_value = body.substr(eq + 1);
      body = body.substr(0, eq);
    }
    const FlagSpec* spec = find(body, is_short);
    if (!spec) return InvalidError("unknown flag " + Quote(a) + " (see --help)");
    std::string value = "true";
    if (spec->takes_value) {
      if (inline_value) {
        value = *inline_value;
      } else if (i + 1 < args.size()) {
        value = args[++i];
      } else {
        return InvalidError("flag --" + spec->name + " needs a value");
      }
    } else if (inline_value) {
      value = *inline_value;
      if (value != "true" && value != "false") {
        return InvalidError("flag --" + spec->name + " takes true or false");
      }
    }
    auto& slot = out.values_[spec->name];
    if (!slot.empty() && !spec->repeatable && spec->takes_value) {
      return InvalidError("flag --" + spec->name + " given twice");
    }
    slot.push_back(value);
  }
  return out;
}

std::string FlagHelp(const std::vector<FlagSpec>& specs) {
  std::string out;
  for (const FlagSpec& s : specs) {
    std::string left = "  --" + s.name;
    if (!s.short_name.empty()) left += ", -" + s.short_name;
    if (s.takes_value) left += " VALUE";
    if (left.size() < 30) left.append(30 - left.size(), ' ');
    out += left + " " + s.help + "\n";
  }
  return out;
}

}  // namespace egret
