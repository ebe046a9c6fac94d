#include "model/core_fields.h"

#include <cstdint>
#include <utility>

namespace egret::model {

std::string ChoiceList(std::span<const std::string_view> names) {
  std::string out;
  for (size_t i = 0; i < names.size(); ++i) {
    if (i > 0) out += (i + 1 == names.size()) ? " or " : ", ";
    out += names[i];
  }
  return out;
}

std::optional<size_t> DecodeChoice(ObjectReader& r, std::string_view key,
                                   std::span<const std::string_view> names, std::string_view what,
                                   bool required) {
  std::optional<std::string> s = r.String(key);
  if (!s || s->empty()) {
    bool wrong_type = !s && r.Has(key);  // reported by String() already
    if (required && !wrong_type) r.Error(key, "Required value: use " + ChoiceList(names));
    return std::nullopt;
  }
  for (size_t i = 0; i < names.size(); ++i) {
    if (names[i] == *s) return i;
  }
  r.Error(key, Quote(*s) + " is not a valid " + std::string(what) + ": use " + ChoiceList(names));
  return std::nullopt;
}

Protocol DecodeProtocol(ObjectReader& r, std::string_view key) {
  return DecodeEnum<Protocol>(r, key, kProtocolNames, "protocol").value_or(Protocol::kTCP);
}

bool ValidatePortNumber(int64_t n, const std::string& path, FieldErrors* errs,
                        std::string_view alternative) {
  if (n >= 1 && n <= 65535) return true;
  errs->Add(path,
            std::to_string(n) + " is not a port number: use 1-65535" + std::string(alternative));
  return false;
}

std::optional<int> DecodePort(ObjectReader& r, std::string_view key, bool required) {
  std::optional<int64_t> n = r.Int(key, INT64_MIN, INT64_MAX);  // the range is checked below
  if (!n) {
    if (required && !r.Has(key)) r.Error(key, "Required value");
    return std::nullopt;
  }
  if (!ValidatePortNumber(*n, r.FieldPath(key), r.errors())) return std::nullopt;
  return static_cast<int>(*n);
}

std::optional<ObjectReader::IntOrString> DecodePortOrName(ObjectReader& r, std::string_view key,
                                                          std::string_view alternative) {
  std::optional<ObjectReader::IntOrString> port = r.IntOrStr(key);
  if (!port) return std::nullopt;
  bool ok = port->number
                ? ValidatePortNumber(*port->number, r.FieldPath(key), r.errors(), alternative)
                : ValidateIanaServiceName(port->name, r.FieldPath(key), r.errors());
  if (!ok) return std::nullopt;
  return port;
}

bool IsIanaServiceName(std::string_view name) {
  if (name.empty() || name.size() > 15) return false;
  if (name.front() == '-' || name.back() == '-') return false;
  if (name.find("--") != std::string_view::npos) return false;
  bool has_letter = false;
  for (char c : name) {
    bool letter = c >= 'a' && c <= 'z';
    has_letter = has_letter || letter;
    if (!letter && !(c >= '0' && c <= '9') && c != '-') return false;
  }
  return has_letter;
}

bool ValidateIanaServiceName(std::string_view name, const std::string& path, FieldErrors* errs) {
  if (IsIanaServiceName(name)) return true;
  std::string reason = Quote(name) +
                       " is not a valid port name: use at most 15 lower-case letters, digits and "
                       "'-', with at least one letter, no '-' at either end and no \"--\"";
  if (ParseInt(name)) reason += " (a port number is written without quotes)";
  errs->Add(path, std::move(reason));
  return false;
}

std::optional<IpAddress> ParseIpField(std::string_view text, const std::string& path,
                                      FieldErrors* errs, std::optional<Family> family) {
  std::optional<IpAddress> ip = IpAddress::Parse(text);
  if (ip && (!family || ip->family() == *family)) return ip;
  if (ip) {
    errs->Add(path, Quote(text) + " is an " + std::string(FamilyName(ip->family())) +
                        " address, not " + std::string(FamilyName(*family)));
  } else {
    std::string want =
        family ? "an " + std::string(FamilyName(*family)) + " address" : "an IP address";
    errs->Add(path, Quote(text) + " is not " + want);
  }
  return std::nullopt;
}

std::optional<IpAddress> DecodeIpField(ObjectReader& r, std::string_view key,
                                       std::optional<Family> family) {
  std::optional<std::string> text = r.String(key);
  if (!text || text->empty()) return std::nullopt;
  return ParseIpField(*text, r.FieldPath(key), r.errors(), family);
}

std::optional<Cidr> ParseCidrField(std::string_view text, const std::string& path,
                                   FieldErrors* errs) {
  std::string why;
  std::optional<Cidr> c = Cidr::Parse(text, &why);
  if (!c) errs->Add(path, std::move(why));
  return c;
}

bool ValidateNonSpecialIp(const IpAddress& ip, const std::string& path, FieldErrors* errs) {
  struct Special {
    const char* cidr;
    const char* what;
  };
  static constexpr Special kSpecial[] = {
      {"0.0.0.0/32", "the unspecified address"},
      {"127.0.0.0/8", "a loopback address"},
      {"169.254.0.0/16", "a link-local address"},
      {"224.0.0.0/24", "a link-local multicast address"},
      {"::/128", "the unspecified address"},
      {"::1/128", "a loopback address"},
      {"fe80::/10", "a link-local address"},
      {"ff02::/16", "a link-local multicast address"},
  };
  for (const Special& s : kSpecial) {
    if (Cidr::Parse(s.cidr)->Contains(ip)) {
      errs->Add(path, Quote(ip.ToString()) + " is " + s.what +
                          ", which cannot be an endpoint: use an address other hosts can reach");
      return false;
    }
  }
  return true;
}

void ValidateOnePerFamily(const std::vector<FamilyEntry>& entries, const std::string& list_path,
                          std::string_view noun, FieldErrors* errs) {
  bool seen[2] = {false, false};
  for (const FamilyEntry& e : entries) {
    bool& s = seen[e.family == Family::kV4 ? 0 : 1];
    if (s) {
      errs->Add(Index(list_path, e.index),
                Quote(e.text) + " is a second " + std::string(FamilyName(e.family)) + " " +
                    std::string(noun) + ": give at most one per IP family");
    }
    s = true;
  }
}

namespace {

bool Digits(std::string_view s, size_t pos, size_t n) {
  if (pos + n > s.size()) return false;
  for (size_t i = pos; i < pos + n; ++i) {
    if (s[i] < '0' || s[i] > '9') return false;
  }
  return true;
}

int Num(std::string_view s, size_t pos, size_t n) {
  int v = 0;
  for (size_t i = pos; i < pos + n; ++i) v = v * 10 + (s[i] - '0');
  return v;
}

// YYYY-MM-DDTHH:MM:SS, then an optional fraction, then Z or ±HH:MM.
bool IsRfc3339(std::string_view s) {
  if (!Digits(s, 0, 4) || s.size() < 20 || s[4] != '-' || !Digits(s, 5, 2) || s[7] != '-' ||
      !Digits(s, 8, 2) || (s[10] != 'T' && s[10] != 't') || !Digits(s, 11, 2) || s[13] != ':' ||
      !Digits(s, 14, 2) || s[16] != ':' || !Digits(s, 17, 2)) {
    return false;
  }
  int month = Num(s, 5, 2), day = Num(s, 8, 2);
  if (month < 1 || month > 12 || day < 1 || day > 31 || Num(s, 11, 2) > 23 || Num(s, 14, 2) > 59 ||
      Num(s, 17, 2) > 60) {
    return false;
  }
  size_t pos = 19;
  if (s[pos] == '.') {
    size_t start = ++pos;
    while (pos < s.size() && s[pos] >= '0' && s[pos] <= '9') ++pos;
    if (pos == start) return false;
  }
  std::string_view zone = s.substr(pos);
  if (zone == "Z" || zone == "z") return true;
  return zone.size() == 6 && (zone[0] == '+' || zone[0] == '-') && Digits(zone, 1, 2) &&
         zone[3] == ':' && Digits(zone, 4, 2) && Num(zone, 1, 2) <= 23 && Num(zone, 4, 2) <= 59;
}

}  // namespace

bool ValidateTimestamp(std::string_view text, const std::string& path, FieldErrors* errs) {
  if (IsRfc3339(text)) return true;
  errs->Add(path, Quote(text) + " is not an RFC 3339 time: write it like " +
                      Quote("2024-05-01T12:00:00Z"));
  return false;
}

}  // namespace egret::model
