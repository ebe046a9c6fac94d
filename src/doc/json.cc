#include "doc/json.h"

#include <charconv>
#include <cmath>
#include <cstring>

#include "common/strings.h"

namespace egret::doc {
namespace {

class JsonParser {
 public:
  explicit JsonParser(std::string_view text) : s_(text) {}

  StatusOr<std::vector<Value>> ParseAll(bool single) {
    std::vector<Value> out;
    SkipWs();
    while (pos_ < s_.size()) {
      Value v;
      Status st = ParseValue(&v, 0);
      if (!st.ok()) return st;
      out.push_back(std::move(v));
      SkipWs();
      if (single && pos_ < s_.size()) return Error("unexpected data after the JSON value");
    }
    if (single && out.empty()) return Error("empty input, expected a JSON value");
    return out;
  }

 private:
  Status Error(std::string_view what) const {
    int line = 1, col = 1;
    for (size_t i = 0; i < pos_ && i < s_.size(); ++i) {
      if (s_[i] == '\n') {
        ++line;
        col = 1;
      } else {
        ++col;
      }
    }
    return InvalidError("JSON line " + std::to_string(line) + ", column " + std::to_string(col) +
                        ": " + std::string(what));
  }

  void SkipWs() {
    while (pos_ < s_.size() &&
           (s_[pos_] == ' ' || s_[pos_] == '\t' || s_[pos_] == '\n' || s_[pos_] == '\r')) {
      ++pos_;
    }
  }

  bool Consume(std::string_view lit) {
    if (s_.substr(pos_, lit.size()) == lit) {
      pos_ += lit.size();
      return true;
    }
    return false;
  }

  Status ParseValue(Value* out, int depth) {
    if (depth > kMaxDepth) return Error("nesting deeper than " + std::to_string(kMaxDepth));
    SkipWs();
    if (pos_ >= s_.size()) return Error("unexpected end of input");
    char c = s_[pos_];
    if (c == '{') return ParseObject(out, depth);
    if (c == '[') return ParseArray(out, depth);
    if (c == '"') {
      std::string str;
      RETURN_IF_ERROR(ParseString(&str));
      *out = Value(std::move(str));
      return Status::Ok();
    }
    if (Consume("true")) {
      *out = Value(true);
      return Status::Ok();
    }
    if (Consume("false")) {
      *out = Value(false);
      return Status::Ok();
    }
    if (Consume("null")) {
      *out = Value();
      return Status::Ok();
    }
    if (c == '-' || (c >= '0' && c <= '9')) return ParseNumber(out);
    return Error(std::string("unexpected character ") + Quote(std::string_view(&s_[pos_], 1)));
  }

  Status ParseObject(Value* out, int depth) {
    ++pos_;  // '{'
    Map map;
    SkipWs();
    if (pos_ < s_.size() && s_[pos_] == '}') {
      ++pos_;
      *out = Value(std::move(map));
      return Status::Ok();
    }
    while (true) {
      SkipWs();
      if (pos_ >= s_.size() || s_[pos_] != '"') return Error("expected a string key");
      std::string key;
      RETURN_IF_ERROR(ParseString(&key));
      for (const Member& m : map) {
        if (m.key == key) return Error("duplicate key " + Quote(key));
      }
      SkipWs();
      if (pos_ >= s_.size() || s_[pos_] != ':') return Error("expected ':'");
      ++pos_;
      Value v;
      RETURN_IF_ERROR(ParseValue(&v, depth + 1));
      map.push_back(Member{std::move(key), std::move(v)});
      SkipWs();
      if (pos_ >= s_.size()) return Error("unexpected end of input in object");
      if (s_[pos_] == ',') {
        ++pos_;
        continue;
      }
      if (s_[pos_] == '}') {
        ++pos_;
        *out = Value(std::move(map));
        return Status::Ok();
      }
      return Error("expected ',' or '}'");
    }
  }

  Status ParseArray(Value* out, int depth) {
    ++pos_;  // '['
    List list;
    SkipWs();
    if (pos_ < s_.size() && s_[pos_] == ']') {
      ++pos_;
      *out = Value(std::move(list));
      return Status::Ok();
    }
    while (true) {
      Value v;
      RETURN_IF_ERROR(ParseValue(&v, depth + 1));
      list.push_back(std::move(v));
      SkipWs();
      if (pos_ >= s_.size()) return Error("unexpected end of input in array");
      if (s_[pos_] == ',') {
        ++pos_;
        continue;
      }
      if (s_[pos_] == ']') {
        ++pos_;
        *out = Value(std::move(list));
        return Status::Ok();
      }
      return Error("expected ',' or ']'");
    }
  }

  Status ParseHex4(unsigned* out) {
    if (pos_ + 4 > s_.size()) return Error("truncated \\u escape");
    unsigned v = 0;
    for (int i = 0; i < 4; ++i) {
      char c = s_[pos_++];
      v <<= 4;
      if (c >= '0' && c <= '9') v |= static_cast<unsigned>(c - '0');
      else if (c >= 'a' && c <= 'f') v |= static_cast<unsigned>(c - 'a' + 10);
      else if (c >= 'A' && c <= 'F') v |= static_cast<unsigned>(c - 'A' + 10);
      else return Error("bad hex digit in \\u escape");
    }
    *out = v;
    return Status::Ok();
  }

  static void AppendUtf8(std::string* s, unsigned cp) {
    if (cp < 0x80) {
      *s += static_cast<char>(cp);
    } else if (cp < 0x800) {
      *s += static_cast<char>(0xC0 | (cp >> 6));
      *s += static_cast<char>(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
      *s += static_cast<char>(0xE0 | (cp >> 12));
      *s += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
      *s += static_cast<char>(0x80 | (cp & 0x3F));
    } else {
      *s += static_cast<char>(0xF0 | (cp >> 18));
      *s += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
      *s += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
      *s += static_cast<char>(0x80 | (cp & 0x3F));
    }
  }

  Status ParseString(std::string* out) {
    ++pos_;  // opening quote
    while (true) {
      if (pos_ >= s_.size()) return Error("unterminated string");
      char c = s_[pos_++];
      if (c == '"') return Status::Ok();
      if (static_cast<unsigned char>(c) < 0x20) return Error("control character in string");
      if (c != '\\') {
        *out += c;
        continue;
      }
      if (pos_ >= s_.size()) return Error("unterminated escape");
      char e = s_[pos_++];
      switch (e) {
        case '"': *out += '"'; break;
        case '\\': *out += '\\'; break;
        case '/': *out += '/'; break;
        case 'b': *out += '\b'; break;
        case 'f': *out += '\f'; break;
        case 'n': *out += '\n'; break;
        case 'r': *out += '\r'; break;
        case 't': *out += '\t'; break;
        case 'u': {
          unsigned cp = 0;
          RETURN_IF_ERROR(ParseHex4(&cp));
          if (cp >= 0xD800 && cp <= 0xDBFF) {
            unsigned lo = 0;
            if (!Consume("\\u")) return Error("unpaired surrogate in \\u escape");
            RETURN_IF_ERROR(ParseHex4(&lo));
            if (lo < 0xDC00 || lo > 0xDFFF) return Error("unpaired surrogate in \\u escape");
            cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
          } else if (cp >= 0xDC00 && cp <= 0xDFFF) {
            return Error("unpaired surrogate in \\u escape");
          }
          AppendUtf8(out, cp);
          break;
        }
        default: return Error("invalid escape in string");
      }
    }
  }

  Status ParseNumber(Value* out) {
    size_t start = pos_;
    bool is_float = false;
    if (s_[pos_] == '-') ++pos_;
    if (pos_ >= s_.size()) return Error("truncated number");
    if (s_[pos_] == '0') {
      ++pos_;
    } else if (s_[pos_] >= '1' && s_[pos_] <= '9') {
      while (pos_ < s_.size() && std::isdigit(static_cast<unsigned char>(s_[pos_]))) ++pos_;
    } else {
      return Error("invalid number");
    }
    if (pos_ < s_.size() && s_[pos_] == '.') {
      is_float = true;
      ++pos_;
      size_t digits = pos_;
      while (pos_ < s_.size() && std::isdigit(static_cast<unsigned char>(s_[pos_]))) ++pos_;
      if (pos_ == digits) return Error("invalid number: digits expected after '.'");
    }
    if (pos_ < s_.size() && (s_[pos_] == 'e' || s_[pos_] == 'E')) {
      is_float = true;
      ++pos_;
      if (pos_ < s_.size() && (s_[pos_] == '+' || s_[pos_] == '-')) ++pos_;
      size_t digits = pos_;
      while (pos_ < s_.size() && std::isdigit(static_cast<unsigned char>(s_[pos_]))) ++pos_;
      if (pos_ == digits) return Error("invalid number: digits expected in exponent");
    }
    std::string_view num = s_.substr(start, pos_ - start);
    if (!is_float) {
      int64_t i = 0;
      auto [p, ec] = std::from_chars(num.data(), num.data() + num.size(), i);
      if (ec == std::errc() && p == num.data() + num.size()) {
        *out = Value(i);
        return Status::Ok();
      }
    }
    double d = 0;
    auto [p, ec] = std::from_chars(num.data(), num.data() + num.size(), d);
    if (ec != std::errc() || !std::isfinite(d)) return Error("number out of range");
    *out = Value(d);
    return Status::Ok();
  }

  std::string_view s_;
  size_t pos_ = 0;
};

void WriteString(std::string* out, std::string_view s) { *out += Quote(s); }

void WriteNumber(std::string* out, double d) {
  if (!std::isfinite(d)) {
    *out += "null";
    return;
  }
  char buf[64];
  auto [p, ec] = std::to_chars(buf, buf + sizeof buf, d);
  std::string_view text(buf, static_cast<size_t>(p - buf));
  *out += text;
  // Keep doubles doubles across a round trip: 2.0 prints "2", which would read back as an int.
  if (text.find_first_of(".eE") == std::string_view::npos) *out += ".0";
}

void Write(std::string* out, const Value& v, bool pretty, int indent) {
  auto newline = [&](int level) {
    if (!pretty) return;
    *out += '\n';
    out->append(static_cast<size_t>(level) * 2, ' ');
  };
  switch (v.type()) {
    case Value::Type::kNull: *out += "null"; break;
    case Value::Type::kBool: *out += v.as_bool() ? "true" : "false"; break;
    case Value::Type::kInt: *out += std::to_string(v.as_int()); break;
    case Value::Type::kDouble: WriteNumber(out, v.as_double()); break;
    case Value::Type::kString: WriteString(out, v.as_string()); break;
    case Value::Type::kList: {
      const List& list = v.as_list();
      *out += '[';
      for (size_t i = 0; i < list.size(); ++i) {
        if (i) *out += ',';
        newline(indent + 1);
        Write(out, list[i], pretty, indent + 1);
      }
      if (!list.empty()) newline(indent);
      *out += ']';
      break;
    }
    case Value::Type::kMap: {
      const Map& map = v.as_map();
      *out += '{';
      for (size_t i = 0; i < map.size(); ++i) {
        if (i) *out += ',';
        newline(indent + 1);
        WriteString(out, map[i].key);
        *out += pretty ? ": " : ":";
        Write(out, map[i].value, pretty, indent + 1);
      }
      if (!map.empty()) newline(indent);
      *out += '}';
      break;
    }
  }
}

}  // namespace

StatusOr<Value> ParseJson(std::string_view text) {
  JsonParser parser(text);
  auto all = parser.ParseAll(/*single=*/true);
  if (!all.ok()) return all.status();
  return std::move(all->front());
}

StatusOr<std::vector<Value>> ParseJsonStream(std::string_view text) {
  JsonParser parser(text);
  return parser.ParseAll(/*single=*/false);
}

std::string ToJson(const Value& v, JsonStyle style) {
  std::string out;
  Write(&out, v, style.pretty, 0);
  return out;
}

}  // namespace egret::doc
