#include "model/endpoint_slice.h"

#include <map>
#include <utility>

#include "common/strings.h"
#include "model/core_fields.h"
#include "model/kind_codec.h"
#include "model/kinds_all.h"
#include "model/net.h"

namespace egret::model {
namespace {

constexpr size_t kMaxEndpoints = 1000;
constexpr size_t kMaxAddresses = 100;

// A fully qualified name: a DNS subdomain of at least two labels, optionally ending in '.'.
void ValidateFqdn(std::string_view name, const std::string& path, FieldErrors* errs) {
  std::string_view bare = name;
  if (EndsWith(bare, ".")) bare.remove_suffix(1);
  if (!ValidateDnsSubdomain(bare, path, errs)) return;
  if (bare.find('.') == std::string_view::npos) {
    errs->Add(path, Quote(name) + " is not fully qualified: give at least two labels, like " +
                        Quote("backend.example.com"));
  }
}

// Returns the address in canonical form (IPs are reformatted).
std::string DecodeAddress(const std::string& text, std::optional<AddressType> type,
                          const std::string& path, FieldErrors* errs) {
  if (!type) return text;  // the address type is missing or wrong; reported on its own
  if (*type == AddressType::kFQDN) {
    ValidateFqdn(text, path, errs);
    return text;
  }
  Family family = *type == AddressType::kIPv4 ? Family::kV4 : Family::kV6;
  std::optional<IpAddress> ip = ParseIpField(text, path, errs, family);
  if (!ip) return text;
  ValidateNonSpecialIp(*ip, path, errs);
  return ip->ToString();
}

Endpoint DecodeEndpoint(ObjectReader& r, std::optional<AddressType> type) {
  Endpoint e;
  std::string path = r.FieldPath("addresses");
  bool listed = r.ForEachString("addresses", [&](size_t i, const std::string& text) {
    e.addresses.push_back(DecodeAddress(text, type, Index(path, i), r.errors()));
  });
  if (listed && e.addresses.empty()) {
    r.Error("addresses", "Required value: an endpoint has at least one address");
  } else if (e.addresses.size() > kMaxAddresses) {
    r.Error("addresses", "has " + std::to_string(e.addresses.size()) + " addresses: at most " +
                             std::to_string(kMaxAddresses) + " per endpoint");
  }
  r.Object("conditions", [&](ObjectReader& cr) {
    e.conditions.ready = cr.Bool("ready");
    e.conditions.serving = cr.Bool("serving");
    e.conditions.terminating = cr.Bool("terminating");
  });
  e.node_name = r.String("nodeName").value_or("");
  if (!e.node_name.empty()) ValidateDnsSubdomain(e.node_name, r.FieldPath("nodeName"), r.errors());
  r.Object("targetRef", [&](ObjectReader& tr) {
    ObjectReference ref;
    ref.kind = tr.String("kind").value_or("");
    ref.namespace_ = tr.String("namespace").value_or("");
    ref.name = tr.String("name").value_or("");
    ref.uid = tr.String("uid").value_or("");
    e.target_ref = std::move(ref);
  });
  return e;
}

void DecodePorts(ObjectReader& r, EndpointSlice* slice) {
  std::map<std::string, size_t> names;
  r.List("ports", [&](ObjectReader& pr, size_t i) {
    EndpointPort p;
    bool named = pr.Has("name");
    p.name = pr.String("name").value_or("");
    if (!p.name.empty()) ValidateDnsLabel(p.name, pr.FieldPath("name"), pr.errors());
    if (!names.emplace(p.name, i).second) {
      std::string why = p.name.empty() ? " (at most one port may be unnamed)" : "";
      pr.Error(named ? "name" : "", Quote(p.name) + " is already the name of " +
                                        Index("ports", names[p.name]) +
                                        ": port names must be unique" + why);
    }
    p.protocol = DecodeProtocol(pr, "protocol");
    p.port = DecodePort(pr, "port", /*required=*/false);
    slice->ports.push_back(std::move(p));
  });
}

doc::Value EncodeEndpoint(const Endpoint& e) {
  doc::Value v = doc::Value::EmptyMap();
  v.Set("addresses", StringListValue(e.addresses));
  doc::Value cond = doc::Value::EmptyMap();
  if (e.conditions.ready) cond.Set("ready", *e.conditions.ready);
  if (e.conditions.serving) cond.Set("serving", *e.conditions.serving);
  if (e.conditions.terminating) cond.Set("terminating", *e.conditions.terminating);
  if (!cond.empty_container()) v.Set("conditions", std::move(cond));
  if (!e.node_name.empty()) v.Set("nodeName", e.node_name);
  if (e.target_ref) {
    doc::Value& ref = v.Set("targetRef", doc::Value::EmptyMap());
    if (!e.target_ref->kind.empty()) ref.Set("kind", e.target_ref->kind);
    if (!e.target_ref->namespace_.empty()) ref.Set("namespace", e.target_ref->namespace_);
    if (!e.target_ref->name.empty()) ref.Set("name", e.target_ref->name);
    if (!e.target_ref->uid.empty()) ref.Set("uid", e.target_ref->uid);
  }
  return v;
}

}  // namespace

EndpointSlice DecodeEndpointSlice(const doc::Value& v, FieldErrors* errs) {
  EndpointSlice slice;
  ObjectReader r(&v, "", errs);
  SkipTypeMeta(r);
  slice.metadata = DecodeMeta(r, /*namespaced=*/true);
  std::optional<AddressType> type =
      DecodeEnum<AddressType>(r, "addressType", kAddressTypeNames, "address type", true);
  slice.address_type = type.value_or(AddressType::kIPv4);
  size_t count = r.List("endpoints", [&](ObjectReader& er, size_t) {
    slice.endpoints.push_back(DecodeEndpoint(er, type));
  });
  if (count > kMaxEndpoints) {
    r.Error("endpoints", "has " + std::to_string(count) + " endpoints: at most " +
                             std::to_string(kMaxEndpoints) + " per slice; split them over slices");
  }
  DecodePorts(r, &slice);
  return slice;
}

doc::Value EncodeEndpointSlice(const EndpointSlice& slice) {
  const KindInfo& kind = *FindKind("EndpointSlice");
  doc::Value v = doc::Value::EmptyMap();
  v.Set("apiVersion", kind.api_version);
  v.Set("kind", kind.kind);
  v.Set("metadata", EncodeMeta(slice.metadata));
  v.Set("addressType", kAddressTypeNames[static_cast<size_t>(slice.address_type)]);
  if (!slice.endpoints.empty()) {
    doc::Value& list = v.Set("endpoints", doc::Value::EmptyList());
    for (const Endpoint& e : slice.endpoints) list.Append(EncodeEndpoint(e));
  }
  if (!slice.ports.empty()) {
    doc::Value& list = v.Set("ports", doc::Value::EmptyList());
    for (const EndpointPort& p : slice.ports) {
      doc::Value item = doc::Value::EmptyMap();
      if (!p.name.empty()) item.Set("name", p.name);
      item.Set("protocol", ProtocolName(p.protocol));
      if (p.port) item.Set("port", *p.port);
      list.Append(std::move(item));
    }
  }
  return v;
}

StatusOr<doc::Value> CanonicalizeEndpointSlice(const doc::Value& v) {
  return CanonicalizeWith<EndpointSlice>(v, "EndpointSlice", &DecodeEndpointSlice,
                                         &EncodeEndpointSlice);
}

std::string_view ServiceNameOf(const EndpointSlice& slice) {
  auto it = slice.metadata.labels.find(std::string(kServiceNameLabel));
  return it == slice.metadata.labels.end() ? std::string_view() : std::string_view(it->second);
}

}  // namespace egret::model
