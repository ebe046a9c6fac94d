#include "doc/yaml.h"

#include <yaml.h>

#include <charconv>
#include <cmath>
#include <map>
#include <memory>

#include "common/strings.h"
#include "doc/json.h"

namespace egret::doc {
namespace {

// Alias expansion copies the anchored node; this bounds the total number of nodes produced so a
// "billion laughs" document fails fast instead of exhausting memory.
constexpr size_t kMaxNodes = 1'000'000;

struct ParserDeleter {
  void operator()(yaml_parser_t* p) const {
    yaml_parser_delete(p);
    delete p;
  }
};

size_t CountNodes(const Value& v) {
  size_t n = 1;
  if (v.is_list()) {
    for (const Value& e : v.as_list()) n += CountNodes(e);
  } else if (v.is_map()) {
    for (const Member& m : v.as_map()) n += CountNodes(m.value);
  }
  return n;
}

bool AllDigits(std::string_view s, int base) {
  if (s.empty()) return false;
  for (char c : s) {
    bool ok = base == 16 ? std::isxdigit(static_cast<unsigned char>(c)) != 0
                         : (c >= '0' && c < static_cast<char>('0' + base));
    if (!ok) return false;
  }
  return true;
}

// YAML 1.2 core schema resolution of a plain scalar.
Value ResolvePlain(std::string_view s) {
  if (s.empty() || s == "~" || s == "null" || s == "Null" || s == "NULL") return Value();
  if (s == "true" || s == "True" || s == "TRUE") return Value(true);
  if (s == "false" || s == "False" || s == "FALSE") return Value(false);
  std::string_view body = s;
  bool neg = false;
  if (!body.empty() && (body[0] == '-' || body[0] == '+')) {
    neg = body[0] == '-';
    body.remove_prefix(1);
  }
  int base = 10;
  if (body.starts_with("0x") && s[0] != '-' && s[0] != '+') {
    base = 16;
    body.remove_prefix(2);
  } else if (body.starts_with("0o") && s[0] != '-' && s[0] != '+') {
    base = 8;
    body.remove_prefix(2);
  }
  if (AllDigits(body, base)) {
    int64_t v = 0;
    auto [p, ec] = std::from_chars(body.data(), body.data() + body.size(), v, base);
    if (ec == std::errc() && p == body.data() + body.size()) return Value(neg ? -v : v);
    // Integers beyond int64 stay strings rather than silently losing precision.
    return Value(std::string(s));
  }
  if (s == ".inf" || s == ".Inf" || s == ".INF" || s == "+.inf") return Value(HUGE_VAL);
  if (s == "-.inf" || s == "-.Inf" || s == "-.INF") return Value(-HUGE_VAL);
  if (s == ".nan" || s == ".NaN" || s == ".NAN") return Value(std::nan(""));
  // [-+]? ( \. [0-9]+ | [0-9]+ ( \. [0-9]* )? ) ( [eE] [-+]? [0-9]+ )?
  {
    size_t i = 0;
    if (i < s.size() && (s[i] == '-' || s[i] == '+')) ++i;
    size_t int_digits = 0, frac_digits = 0;
    while (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i]))) ++i, ++int_digits;
    bool dot = false;
    if (i < s.size() && s[i] == '.') {
      dot = true;
      ++i;
      while (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i]))) ++i, ++frac_digits;
    }
    bool ok = (int_digits > 0 || frac_digits > 0) && (dot || (i < s.size()));
    if (ok && i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
      ++i;
      if (i < s.size() && (s[i] == '-' || s[i] == '+')) ++i;
      size_t exp_digits = 0;
      while (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i]))) ++i, ++exp_digits;
      ok = exp_digits > 0;
    }
    if (ok && i == s.size()) {
      std::string text(s[0] == '+' ? s.substr(1) : s);
      double d = 0;
      auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), d);
      if (ec == std::errc() && p == text.data() + text.size()) return Value(d);
    }
  }
  return Value(std::string(s));
}

class YamlBuilder {
 public:
  explicit YamlBuilder(std::string_view text) : parser_(new yaml_parser_t) {
    yaml_parser_initialize(parser_.get());
    yaml_parser_set_input_string(parser_.get(), reinterpret_cast<const unsigned char*>(text.data()),
                                 text.size());
  }

  StatusOr<std::vector<Value>> Run() {
    std::vector<Value> docs;
    while (true) {
      Event ev;
      RETURN_IF_ERROR(Next(&ev));
      if (ev.e.type == YAML_STREAM_END_EVENT) return docs;
      if (ev.e.type != YAML_DOCUMENT_START_EVENT) continue;
      anchors_.clear();
      Event first;
      RETURN_IF_ERROR(Next(&first));
      if (first.e.type == YAML_DOCUMENT_END_EVENT) continue;
      Value v;
      RETURN_IF_ERROR(BuildNode(&first, &v, 0));
      Event end;
      RETURN_IF_ERROR(Next(&end));
      if (!v.is_null()) docs.push_back(std::move(v));
    }
  }

 private:
  struct Event {
    yaml_event_t e{};
    bool live = false;
    ~Event() {
      if (live) yaml_event_delete(&e);
    }
  };

  Status ErrorAt(const yaml_mark_t& mark, std::string_view what) const {
    return InvalidError("YAML line " + std::to_string(mark.line + 1) + ", column " +
                        std::to_string(mark.column + 1) + ": " + std::string(what));
  }

  Status Next(Event* ev) {
    if (!yaml_parser_parse(parser_.get(), &ev->e)) {
      const yaml_parser_t& p = *parser_;
      std::string what = p.problem ? p.problem : "malformed YAML";
      if (p.context) what = std::string(p.context) + ": " + what;
      return ErrorAt(p.problem_mark, what);
    }
    ev->live = true;
    return Status::Ok();
  }

  Status Remember(const yaml_char_t* anchor, const Value& v) {
    if (anchor) anchors_[reinterpret_cast<const char*>(anchor)] = v;
    return Status::Ok();
  }

  Status Budget(size_t n, const yaml_mark_t& mark) {
    nodes_ += n;
    if (nodes_ > kMaxNodes) return ErrorAt(mark, "document expands to too many nodes");
    return Status::Ok();
  }

  Status BuildNode(Event* ev, Value* out, int depth) {
    if (depth > kMaxDepth) return ErrorAt(ev->e.start_mark, "nesting too deep");
    switch (ev->e.type) {
      case YAML_ALIAS_EVENT: {
        auto it = anchors_.find(reinterpret_cast<const char*>(ev->e.data.alias.anchor));
        if (it == anchors_.end()) return ErrorAt(ev->e.start_mark, "unknown alias");
        RETURN_IF_ERROR(Budget(CountNodes(it->second), ev->e.start_mark));
        *out = it->second;
        return Status::Ok();
      }
      case YAML_SCALAR_EVENT: {
        RETURN_IF_ERROR(Budget(1, ev->e.start_mark));
        const auto& sc = ev->e.data.scalar;
        std::string_view text(reinterpret_cast<const char*>(sc.value), sc.length);
        std::string_view tag = sc.tag ? reinterpret_cast<const char*>(sc.tag) : "";
        if (tag == "tag:yaml.org,2002:str") {
          *out = Value(text);
        } else if (!tag.empty() && tag != "!") {
          Value resolved = ResolvePlain(text);
          bool fits = (tag == "tag:yaml.org,2002:int" && resolved.is_int()) ||
                      (tag == "tag:yaml.org,2002:float" && resolved.is_number()) ||
                      (tag == "tag:yaml.org,2002:bool" && resolved.is_bool()) ||
                      (tag == "tag:yaml.org,2002:null" && resolved.is_null());
          if (!fits) return ErrorAt(ev->e.start_mark, "unsupported tag " + Quote(tag));
          *out = std::move(resolved);
        } else if (sc.style == YAML_PLAIN_SCALAR_STYLE && tag.empty()) {
          *out = ResolvePlain(text);
        } else {
          *out = Value(text);
        }
        return Remember(sc.anchor, *out);
      }
      case YAML_SEQUENCE_START_EVENT: {
        RETURN_IF_ERROR(Budget(1, ev->e.start_mark));
        const yaml_char_t* anchor = ev->e.data.sequence_start.anchor;
        std::string anchor_name = anchor ? reinterpret_cast<const char*>(anchor) : "";
        List list;
        while (true) {
          Event child;
          RETURN_IF_ERROR(Next(&child));
          if (child.e.type == YAML_SEQUENCE_END_EVENT) break;
          Value v;
          RETURN_IF_ERROR(BuildNode(&child, &v, depth + 1));
          list.push_back(std::move(v));
        }
        *out = Value(std::move(list));
        if (!anchor_name.empty()) anchors_[anchor_name] = *out;
        return Status::Ok();
      }
      case YAML_MAPPING_START_EVENT: {
        RETURN_IF_ERROR(Budget(1, ev->e.start_mark));
        const yaml_char_t* anchor = ev->e.data.mapping_start.anchor;
        std::string anchor_name = anchor ? reinterpret_cast<const char*>(anchor) : "";
        Map map;
        while (true) {
          Event key_ev;
          RETURN_IF_ERROR(Next(&key_ev));
          if (key_ev.e.type == YAML_MAPPING_END_EVENT) break;
          if (key_ev.e.type != YAML_SCALAR_EVENT) {
            return ErrorAt(key_ev.e.start_mark, "mapping keys must be scalars");
          }
          const auto& sc = key_ev.e.data.scalar;
          std::string key(reinterpret_cast<const char*>(sc.value), sc.length);
          yaml_mark_t key_mark = key_ev.e.start_mark;
          if (key == "<<" && sc.style == YAML_PLAIN_SCALAR_STYLE) {
            return ErrorAt(key_mark, "merge keys (<<) are not supported");
          }
          for (const Member& m : map) {
            if (m.key == key) return ErrorAt(key_mark, "duplicate key " + Quote(key));
          }
          Event val_ev;
          RETURN_IF_ERROR(Next(&val_ev));
          Value v;
          RETURN_IF_ERROR(BuildNode(&val_ev, &v, depth + 1));
          map.push_back(Member{std::move(key), std::move(v)});
        }
        *out = Value(std::move(map));
        if (!anchor_name.empty()) anchors_[anchor_name] = *out;
        return Status::Ok();
      }
      default:
        return ErrorAt(ev->e.start_mark, "unexpected YAML event");
    }
  }

  std::unique_ptr<yaml_parser_t, ParserDeleter> parser_;
  std::map<std::string, Value, std::less<>> anchors_;
  size_t nodes_ = 0;
};

bool NeedsQuotes(std::string_view s) {
  if (s.empty()) return true;
  if (!ResolvePlain(s).is_string()) return true;  // would read back as null/bool/number
  // YAML 1.1 booleans: quote them so older YAML readers do not turn them into booleans.
  static constexpr std::string_view kLegacy[] = {"y", "Y", "yes", "Yes", "YES", "n", "N", "no",
                                                 "No", "NO", "on", "On", "ON", "off", "Off", "OFF"};
  for (std::string_view w : kLegacy) {
    if (s == w) return true;
  }
  if (std::string_view("-?:,[]{}#&*!|>'\"%@`").find(s.front()) != std::string_view::npos) {
    return true;
  }
  if (s.front() == ' ' || s.back() == ' ' || s.back() == ':') return true;
  if (s.find(": ") != std::string_view::npos || s.find(" #") != std::string_view::npos) return true;
  for (char c : s) {
    auto u = static_cast<unsigned char>(c);
    if (u < 0x20 || u == 0x7f) return true;
  }
  return false;
}

void WriteScalar(std::string* out, const Value& v) {
  if (v.is_string()) {
    *out += NeedsQuotes(v.as_string()) ? Quote(v.as_string()) : v.as_string();
  } else {
    *out += ToJson(v);  // null, booleans and numbers print the same in YAML
  }
}

bool IsBlock(const Value& v) { return (v.is_map() || v.is_list()) && !v.empty_container(); }

void WriteBlock(std::string* out, const Value& v, int indent);

void WriteKey(std::string* out, std::string_view key) {
  *out += NeedsQuotes(key) ? Quote(key) : std::string(key);
  *out += ':';
}

void WriteMapBody(std::string* out, const Map& map, int indent, bool first_inline) {
  for (size_t i = 0; i < map.size(); ++i) {
    if (!(i == 0 && first_inline)) out->append(static_cast<size_t>(indent), ' ');
    WriteKey(out, map[i].key);
    const Value& child = map[i].value;
    if (IsBlock(child)) {
      *out += '\n';
      // Lists under a key sit at the key's indentation, as kubectl prints them.
      WriteBlock(out, child, child.is_list() ? indent : indent + 2);
    } else {
      *out += ' ';
      WriteScalar(out, child);
      *out += '\n';
    }
  }
}

void WriteBlock(std::string* out, const Value& v, int indent) {
  if (v.is_map()) {
    WriteMapBody(out, v.as_map(), indent, false);
    return;
  }
  for (const Value& e : v.as_list()) {
    out->append(static_cast<size_t>(indent), ' ');
    *out += "- ";
    if (e.is_map() && !e.empty_container()) {
      WriteMapBody(out, e.as_map(), indent + 2, true);
    } else if (e.is_list() && !e.empty_container()) {
      *out += '\n';
      WriteBlock(out, e, indent + 2);
    } else {
      WriteScalar(out, e);
      *out += '\n';
    }
  }
}

}  // namespace

StatusOr<std::vector<Value>> ParseYaml(std::string_view text) {
  YamlBuilder builder(text);
  return builder.Run();
}

std::string ToYaml(const Value& v) {
  std::string out;
  if (IsBlock(v)) {
    WriteBlock(&out, v, 0);
  } else {
    WriteScalar(&out, v);
    out += '\n';
  }
  return out;
}

StatusOr<std::vector<Value>> ParseDocuments(std::string_view text) {
  std::string_view t = Trim(text);
  if (!t.empty() && (t.front() == '{' || t.front() == '[')) return ParseJsonStream(text);
  return ParseYaml(text);
}

}  // namespace egret::doc
