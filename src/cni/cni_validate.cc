#include "cni/cni_validate.h"

#include <algorithm>
#include <array>

#include "common/strings.h"
#include "model/meta.h"

namespace egret::cni {
namespace {

bool IsAlnum(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}
bool IsControl(char c) { return static_cast<unsigned char>(c) < 0x20 || c == 0x7f; }
bool IsHex(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}
bool HasControl(std::string_view s) { return std::any_of(s.begin(), s.end(), IsControl); }

// [A-Za-z0-9][A-Za-z0-9_.-]*
bool IsIdentifier(std::string_view s) {
  if (s.empty() || !IsAlnum(s[0])) return false;
  return std::all_of(s.begin(), s.end(),
                     [](char c) { return IsAlnum(c) || c == '_' || c == '.' || c == '-'; });
}

// An absolute path whose components are all non-empty and neither "." nor "..".
std::string CheckAbsolutePath(std::string_view path) {
  if (path.empty()) return "Required value";
  if (path.size() > kMaxPathLength) {
    return QuoteShort(path) + " is longer than " + std::to_string(kMaxPathLength) + " characters";
  }
  if (HasControl(path)) return QuoteShort(path) + " contains a control character";
  if (path[0] != '/') return QuoteShort(path) + " is not an absolute path";
  for (std::string_view part : Split(path.substr(1), '/')) {
    if (part.empty() || part == "." || part == "..") {
      return QuoteShort(path) + " is not a normalized path: remove \"//\", \".\" and \"..\"";
    }
  }
  return "";
}

std::string CheckArgPair(std::string_view key, std::string_view value) {
  if (key.empty() ||
      !std::all_of(key.begin(), key.end(), [](char c) { return IsAlnum(c) || c == '_'; })) {
    return QuoteShort(key) + " is not a valid argument name: use letters, digits and '_'";
  }
  if (HasControl(value)) return "the value of " + QuoteShort(key) + " contains a control character";
  return "";
}

}  // namespace

std::string QuoteShort(std::string_view s) {
  constexpr size_t kMax = 64;
  if (s.size() <= kMax) return Quote(s);
  return Quote(s.substr(0, kMax)) + "...";
}

std::string CheckContainerId(std::string_view id) {
  if (id.empty()) return "Required value";
  if (id.size() > kMaxContainerIdLength) {
    return QuoteShort(id) + " is longer than " + std::to_string(kMaxContainerIdLength) +
           " characters";
  }
  if (!IsIdentifier(id)) {
    return QuoteShort(id) +
           " is not a valid container ID: use letters, digits, '_', '.' and '-', starting with a "
           "letter or digit";
  }
  return "";
}

std::string CheckNetworkName(std::string_view name) {
  if (name.empty()) return "Required value";
  if (!IsIdentifier(name)) {
    return QuoteShort(name) +
           " is not a valid network name: use letters, digits, '_', '.' and '-', starting with a "
           "letter or digit";
  }
  return "";
}

std::string CheckIfname(std::string_view name) {
  if (name.empty()) return "Required value";
  if (name.size() > kMaxIfnameLength) {
    return QuoteShort(name) + " is longer than " + std::to_string(kMaxIfnameLength) + " characters";
  }
  if (name == "." || name == "..") {
    return Quote(name) + " is not a valid interface name: \".\" and \"..\" are reserved";
  }
  for (char c : name) {
    if (c == '/' || c == ':' || c == ' ' || (c >= '\t' && c <= '\r') || IsControl(c)) {
      return Quote(name) +
             " is not a valid interface name: use no '/', ':', whitespace or control character";
    }
  }
  return "";
}

std::string CheckNetnsPath(std::string_view path) {
  std::string reason = CheckAbsolutePath(path);
  if (!reason.empty()) return reason;
  constexpr std::array<std::string_view, 3> kRoots = {"/proc/", "/run/netns/", "/var/run/netns/"};
  for (std::string_view root : kRoots) {
    if (path.size() > root.size() && StartsWith(path, root)) return "";
  }
  return QuoteShort(path) +
         " is not a network namespace path: use a path under /proc/, /run/netns/ or "
         "/var/run/netns/";
}

std::string CheckSocketPath(std::string_view path) {
  std::string reason = CheckAbsolutePath(path);
  if (!reason.empty()) return reason;
  if (path.size() > kMaxSocketPathLength) {
    return QuoteShort(path) + " is longer than " + std::to_string(kMaxSocketPathLength) +
           " characters, the limit of a unix socket path";
  }
  return "";
}

std::string CheckMac(std::string_view mac) {
  auto parts = Split(mac, ':');
  bool ok = parts.size() == 6 || parts.size() == 20;
  for (std::string_view p : parts) ok = ok && p.size() == 2 && IsHex(p[0]) && IsHex(p[1]);
  if (!ok) {
    return QuoteShort(mac) + " is not a MAC address: write 6 hex octets like \"0a:58:0a:f4:01:05\"";
  }
  return "";
}

namespace {

void CheckPodArgs(const std::map<std::string, std::string>& args, const std::string& path,
                  model::FieldErrors* errs) {
  auto ns = args.find(std::string(kPodNamespaceArg));
  auto name = args.find(std::string(kPodNameArg));
  if (ns != args.end() && !model::IsDnsLabel(ns->second)) {
    errs->Add(model::KeyPath(path, kPodNamespaceArg),
              QuoteShort(ns->second) +
                  " is not a valid namespace name: use at most 63 lower-case "
                  "letters, digits and '-', starting and ending with a letter or digit");
  }
  if (name != args.end() && !model::IsDnsSubdomain(name->second)) {
    errs->Add(model::KeyPath(path, kPodNameArg),
              QuoteShort(name->second) +
                  " is not a valid pod name: use at most 253 lower-case "
                  "letters, digits, '-' and '.'");
  }
  if ((ns == args.end()) != (name == args.end())) {
    errs->Add(path, "give both K8S_POD_NAMESPACE and K8S_POD_NAME, or neither");
  }
}

}  // namespace

void CheckArgs(const std::map<std::string, std::string>& args, const std::string& path,
               model::FieldErrors* errs) {
  size_t errors_before = errs->errors().size();
  for (const auto& [key, value] : args) {
    if (std::string reason = CheckArgPair(key, value); !reason.empty()) errs->Add(path, reason);
  }
  if (errs->errors().size() == errors_before) CheckPodArgs(args, path, errs);
}

std::vector<std::string> ErrorLines(const model::FieldErrors& errs, std::string_view prefix) {
  std::vector<std::string> out;
  for (const model::FieldError& e : errs.errors()) {
    std::string line(prefix);
    if (!line.empty()) line += ": ";
    if (!e.path.empty()) line += e.path + ": ";
    out.push_back(line + e.reason);
  }
  return out;
}

std::map<std::string, std::string> ParseCniArgs(std::string_view text, const std::string& path,
                                                model::FieldErrors* errs) {
  std::map<std::string, std::string> out;
  for (std::string_view pair : Split(text, ';')) {
    if (pair.empty()) continue;
    size_t eq = pair.find('=');
    if (eq == std::string_view::npos) {
      errs->Add(path, QuoteShort(pair) + " is not a KEY=VALUE pair");
      continue;
    }
    std::string key(pair.substr(0, eq));
    if (out.contains(key)) {
      errs->Add(path, QuoteShort(key) + " is given twice: give each argument once");
      continue;
    }
    out.emplace(std::move(key), std::string(pair.substr(eq + 1)));
  }
  CheckArgs(out, path, errs);
  return out;
}

}  // namespace egret::cni
