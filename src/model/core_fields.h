// Field rules shared by the core Kubernetes kinds (Pod, Node, Service, EndpointSlice): closed
// string enumerations, port numbers and names, IP addresses, dual-stack lists and timestamps.
// Each helper reports problems as FieldErrors at the path it is given and returns what it could
// decode, so a kind collects every error of an object in one pass.
#pragma once

#include <array>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/strings.h"
#include "model/field_errors.h"
#include "model/meta.h"
#include "model/net.h"
#include "model/protocol.h"
#include "model/reader.h"

namespace egret::model {

// "A", "A or B", "A, B or C": how reasons list the valid choices.
std::string ChoiceList(std::span<const std::string_view> names);

// Decodes the string field `key` as one of `names` (exact, case-sensitive) and returns its
// index. Absent, null or "" gives nullopt (the caller applies the default, as upstream defaults
// empty strings), plus "Required value" when `required`; any other value adds
// `"x" is not a valid <what>: use A, B or C`.
std::optional<size_t> DecodeChoice(ObjectReader& r, std::string_view key,
                                   std::span<const std::string_view> names, std::string_view what,
                                   bool required = false);

// DecodeChoice for an enum whose values are 0..N-1 in the order of `names`.
template <typename E, size_t N>
std::optional<E> DecodeEnum(ObjectReader& r, std::string_view key,
                            const std::array<std::string_view, N>& names, std::string_view what,
                            bool required = false) {
  std::optional<size_t> i = DecodeChoice(r, key, names, what, required);
  if (!i) return std::nullopt;
  return static_cast<E>(*i);
}

// Calls fn(index, text) for each element of the list field `key`, reporting elements that are
// not strings (and a field that is not a list). Returns false when anything was reported, so
// that callers skip cross-element checks that would only restate the error.
bool ForEachString(ObjectReader& r, std::string_view key,
                   const std::function<void(size_t, const std::string&)>& fn);

// The field `key` as a protocol; absent or "" means TCP.
Protocol DecodeProtocol(ObjectReader& r, std::string_view key);

// The field `key` as a port number 1-65535. Absent gives nullopt, plus "Required value" when
// `required`.
std::optional<int> DecodePort(ObjectReader& r, std::string_view key, bool required);

// IANA service name (RFC 6335), the form of named ports: at most 15 characters of lower-case
// letters, digits and '-', at least one letter, no '-' at either end and no "--".
bool IsIanaServiceName(std::string_view name);
bool ValidateIanaServiceName(std::string_view name, const std::string& path, FieldErrors* errs);

// Parses an IP address of either family (`family` unset) or of one family; on failure adds
// `"x" is not an IP address` (or `... an IPv4 address`) at `path`.
std::optional<IpAddress> ParseIpField(std::string_view text, const std::string& path,
                                      FieldErrors* errs,
                                      std::optional<Family> family = std::nullopt);

// Rejects addresses that can never name a remote endpoint: unspecified, loopback, link-local
// unicast and link-local multicast (upstream's rule for endpoint addresses).
bool ValidateNonSpecialIp(const IpAddress& ip, const std::string& path, FieldErrors* errs);

// One entry of a dual-stack list (podIPs, podCIDRs, clusterIPs), by its index in the list.
struct FamilyEntry {
  size_t index = 0;
  Family family = Family::kV4;
  std::string text;
};

// A dual-stack list holds at most one entry per IP family; every later entry of a family
// already seen gets `"x" is a second IPv4 <noun>: give at most one per IP family`.
void ValidateOnePerFamily(const std::vector<FamilyEntry>& entries, const std::string& list_path,
                          std::string_view noun, FieldErrors* errs);

// Reconciles a singular field with its plural list (podIP/podIPs, podCIDR/podCIDRs): either
// may be given alone and fills the other; when both are given the singular must equal list[0].
// `list_complete` is false when some list entries failed to decode (then nothing is compared).
template <typename T>
void ReconcilePrimary(const std::optional<T>& single, std::vector<T>* list, bool list_complete,
                      const std::string& single_path, const std::string& list_path,
                      FieldErrors* errs) {
  if (!single || !list_complete) return;
  if (list->empty()) {
    list->push_back(*single);
  } else if (!(list->front() == *single)) {
    errs->Add(single_path, Quote(single->ToString()) + " does not match " + Index(list_path, 0) +
                               " " + Quote(list->front().ToString()) +
                               ": give the same value, or only one of the two fields");
  }
}

// RFC 3339 date-time as the API writes it ("2024-05-01T12:00:00Z", optional fraction and
// numeric offset); adds `"x" is not an RFC 3339 time ...` otherwise.
bool ValidateTimestamp(std::string_view text, const std::string& path, FieldErrors* errs);

// Equality of ObjectMeta (which has no operator== of its own), for the kinds' operator==.
bool SameMeta(const ObjectMeta& a, const ObjectMeta& b);

// A list of strings as a document list.
doc::Value StringListValue(const std::vector<std::string>& items);

}  // namespace egret::model
