// Field rules shared by the kinds: closed string enumerations, port numbers and names, IP
// addresses and CIDRs, dual-stack lists and timestamps. Each helper reports problems as
// FieldErrors at the path it is given and returns what it could decode, so a kind collects
// every error of an object in one pass. (net.h holds the address types themselves and knows
// nothing of fields; the field-decoding side of addresses lives here.)
#pragma once

#include <array>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/strings.h"
#include "doc/value.h"
#include "model/field_errors.h"
#include "model/net.h"
#include "model/protocol.h"
#include "model/reader.h"

namespace egret::model {

// "A", "A or B", "A, B or C": how reasons list the valid choices.
std::string ChoiceList(std::span<const std::string_view> names);

// Decodes the string field `key` as one of `names` (exact, case-sensitive) and returns its
// index. Absent, null or "" gives nullopt (the caller applies the default, as upstream defaults
// empty strings), plus "Required value: use A, B or C" when `required`; any other value adds
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

// The field `key` as a protocol; absent or "" means TCP.
Protocol DecodeProtocol(ObjectReader& r, std::string_view key);

// The one wording of the port-number rule: outside 1-65535 adds
// "<n> is not a port number: use 1-65535<alternative>" at `path` (alternative: e.g.
// ", or the name of a container port" where a name is accepted too).
bool ValidatePortNumber(int64_t n, const std::string& path, FieldErrors* errs,
                        std::string_view alternative = "");

// The field `key` as a port number 1-65535. Absent gives nullopt, plus "Required value" when
// `required`.
std::optional<int> DecodePort(ObjectReader& r, std::string_view key, bool required);

// The field `key` as a port number or a port name (IntOrString): a number must be 1-65535 (the
// reason ends with `alternative`), a name must be an IANA service name. nullopt when absent or
// invalid (reported); use r.Has(key) to tell the two apart.
std::optional<ObjectReader::IntOrString> DecodePortOrName(ObjectReader& r, std::string_view key,
                                                          std::string_view alternative = "");

// IANA service name (RFC 6335), the form of named ports: at most 15 characters of lower-case
// letters, digits and '-', at least one letter, no '-' at either end and no "--".
bool IsIanaServiceName(std::string_view name);
bool ValidateIanaServiceName(std::string_view name, const std::string& path, FieldErrors* errs);

// Parses an IP address of either family (`family` unset) or of one family. On failure adds
// `"x" is not an IP address` (`... an IPv4 address`) at `path`, or, for a valid address of the
// other family, `"x" is an IPv6 address, not IPv4`.
std::optional<IpAddress> ParseIpField(std::string_view text, const std::string& path,
                                      FieldErrors* errs,
                                      std::optional<Family> family = std::nullopt);

// The string field `key` as an IP address (see ParseIpField). Absent, null or "" gives nullopt
// without error ("" means unset, as in the Kubernetes APIs).
std::optional<IpAddress> DecodeIpField(ObjectReader& r, std::string_view key,
                                       std::optional<Family> family = std::nullopt);

// Parses `text` as a CIDR (host bits clear); on failure adds the parser's reason at `path`.
std::optional<Cidr> ParseCidrField(std::string_view text, const std::string& path,
                                   FieldErrors* errs);

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

// Values with a canonical ToString() (IpAddress, Cidr, IpPoolEntry) as a document list of
// their text.
template <typename T>
doc::Value TextListValue(const std::vector<T>& items) {
  doc::Value list = doc::Value::EmptyList();
  for (const T& item : items) list.Append(item.ToString());
  return list;
}

}  // namespace egret::model
