#include "cni/cni_result.h"

#include "cni/cni_validate.h"
#include "cni/lenient_reader.h"
#include "common/strings.h"
#include "model/meta.h"
#include "model/reader.h"

namespace egret::cni {
namespace {

using model::FieldErrors;
using model::IpAddress;
using model::ObjectReader;

constexpr int64_t kMaxUint32 = 4294967295;

std::optional<IpAddress> IpField(ObjectReader& r, std::string_view key) {
  std::optional<std::string> text = r.String(key);
  if (!text) return std::nullopt;
  std::optional<IpAddress> ip = IpAddress::Parse(*text);
  if (!ip) r.Error(key, QuoteShort(*text) + " is not an IP address");
  return ip;
}

void CheckFamily(ObjectReader& r, std::string_view key, const std::optional<IpAddress>& ip,
                 model::Family want) {
  if (ip && ip->family() != want) {
    r.Error(key, Quote(ip->ToString()) + " is not an " + std::string(model::FamilyName(want)) +
                     " address, unlike the address it goes with");
  }
}

// "10.244.1.5/24": an address with its subnet's prefix length (host bits are the point).
bool DecodeAddress(ObjectReader& r, CniIpConfig* ip) {
  std::string text = r.RequiredString("address");
  if (text.empty()) return false;
  size_t slash = text.find('/');
  std::optional<IpAddress> addr = IpAddress::Parse(text.substr(0, slash));
  std::optional<long long> len;
  if (slash != std::string::npos) len = ParseInt(text.substr(slash + 1));
  if (!addr || !len || *len < 0 || *len > addr->bits()) {
    r.Error("address",
            QuoteShort(text) + " is not an address with a prefix length like \"10.244.1.5/24\"");
    return false;
  }
  ip->address = *addr;
  ip->prefix_len = static_cast<int>(*len);
  return true;
}

CniInterface DecodeInterface(ObjectReader& r) {
  CniInterface itf;
  itf.name = r.RequiredString("name");
  if (!itf.name.empty()) {
    if (std::string why = CheckIfname(itf.name); !why.empty()) r.Error("name", why);
  }
  itf.mac = ToLower(r.String("mac").value_or(""));
  if (!itf.mac.empty()) {
    if (std::string why = CheckMac(itf.mac); !why.empty()) r.Error("mac", why);
  }
  if (auto mtu = r.Int("mtu", 0, 65535)) itf.mtu = static_cast<int>(*mtu);
  itf.sandbox = r.String("sandbox").value_or("");
  itf.socket_path = r.String("socketPath").value_or("");
  itf.pci_id = r.String("pciID").value_or("");
  return itf;
}

CniIpConfig DecodeIp(ObjectReader& r, size_t interface_count) {
  CniIpConfig ip;
  bool have_address = DecodeAddress(r, &ip);
  if (std::optional<std::string> version = r.String("version")) {
    std::string want = ip.address.is_v4() ? "4" : "6";
    if (*version != "4" && *version != "6") {
      r.Error("version", QuoteShort(*version) + " is not an IP version: use \"4\" or \"6\"");
    } else if (have_address && *version != want) {
      r.Error("version", Quote(*version) + " contradicts the address, which is IPv" + want);
    }
  }
  ip.gateway = IpField(r, "gateway");
  if (have_address) CheckFamily(r, "gateway", ip.gateway, ip.address.family());
  if (auto index = r.Int("interface", 0, kMaxUint32)) {
    if (static_cast<size_t>(*index) >= interface_count) {
      r.Error("interface", std::to_string(*index) + " is not an index of interfaces, which has " +
                               std::to_string(interface_count) + " entries");
    } else {
      ip.interface = static_cast<int>(*index);
    }
  }
  return ip;
}

CniRoute DecodeRoute(ObjectReader& r) {
  CniRoute route;
  std::string dst = r.RequiredString("dst");
  std::optional<model::Cidr> cidr;
  if (!dst.empty()) {
    std::string why;
    // Cidr::Parse quotes its whole input; no CIDR text is longer than 43 characters.
    cidr = dst.size() <= 43 ? model::Cidr::Parse(dst, &why) : std::nullopt;
    if (dst.size() > 43) why = QuoteShort(dst) + " is not a CIDR (address/prefix)";
    if (cidr) route.dst = *cidr;
    if (!cidr) r.Error("dst", why);
  }
  route.gw = IpField(r, "gw");
  if (cidr) CheckFamily(r, "gw", route.gw, cidr->family());
  if (auto v = r.Int("mtu", 0, 65535)) route.mtu = static_cast<int>(*v);
  if (auto v = r.Int("advmss", 0, 65535)) route.advmss = static_cast<int>(*v);
  route.priority = r.Int("priority", 0, kMaxUint32);
  route.table = r.Int("table", 0, kMaxUint32);
  if (auto v = r.Int("scope", 0, 255)) route.scope = static_cast<int>(*v);
  return route;
}

CniDns DecodeDns(ObjectReader& r) {
  CniDns dns;
  r.ForEachString("nameservers", [&](size_t i, const std::string& s) {
    std::optional<IpAddress> ip = IpAddress::Parse(s);
    if (!ip) {
      r.errors()->Add(model::Index(r.FieldPath("nameservers"), i),
                      QuoteShort(s) + " is not an IP address");
      return;
    }
    dns.nameservers.push_back(ip->ToString());
  });
  dns.domain = r.String("domain").value_or("");
  dns.search = r.StringList("search");
  dns.options = r.StringList("options");
  return dns;
}

}  // namespace

CniResult DecodeCniResult(const doc::Value& v, const std::string& path, FieldErrors* errs) {
  CniResult out;
  ReadLenient(v, path, errs, [&](ObjectReader& r) {
    EachObject(r, "interfaces", [&](ObjectReader& item, size_t) {
      out.interfaces.push_back(DecodeInterface(item));
    });
    // Interfaces are decoded first: ips refer to them by index.
    size_t count = r.ListSize("interfaces");
    EachObject(r, "ips",
               [&](ObjectReader& item, size_t) { out.ips.push_back(DecodeIp(item, count)); });
    EachObject(r, "routes",
               [&](ObjectReader& item, size_t) { out.routes.push_back(DecodeRoute(item)); });
    if (const doc::Value* dns = r.Raw("dns")) {
      ReadLenient(*dns, r.FieldPath("dns"), errs, [&](ObjectReader& d) { out.dns = DecodeDns(d); });
    }
  });
  return out;
}

namespace {

doc::Value EncodeInterface(const CniInterface& itf, bool v11) {
  doc::Value v = doc::Value::EmptyMap();
  v.Set("name", itf.name);
  if (!itf.mac.empty()) v.Set("mac", itf.mac);
  if (v11 && itf.mtu) v.Set("mtu", *itf.mtu);
  if (!itf.sandbox.empty()) v.Set("sandbox", itf.sandbox);
  if (v11 && !itf.socket_path.empty()) v.Set("socketPath", itf.socket_path);
  if (v11 && !itf.pci_id.empty()) v.Set("pciID", itf.pci_id);
  return v;
}

doc::Value EncodeIp(const CniIpConfig& ip, bool with_version) {
  doc::Value v = doc::Value::EmptyMap();
  if (with_version) v.Set("version", ip.address.is_v4() ? "4" : "6");
  v.Set("address", ip.address.ToString() + "/" + std::to_string(ip.prefix_len));
  if (ip.gateway) v.Set("gateway", ip.gateway->ToString());
  if (ip.interface) v.Set("interface", *ip.interface);
  return v;
}

doc::Value EncodeRoute(const CniRoute& route, bool v11) {
  doc::Value v = doc::Value::EmptyMap();
  v.Set("dst", route.dst.ToString());
  if (route.gw) v.Set("gw", route.gw->ToString());
  if (!v11) return v;
  if (route.mtu) v.Set("mtu", *route.mtu);
  if (route.advmss) v.Set("advmss", *route.advmss);
  if (route.priority) v.Set("priority", *route.priority);
  if (route.table) v.Set("table", *route.table);
  if (route.scope) v.Set("scope", *route.scope);
  return v;
}

doc::Value EncodeDns(const CniDns& dns) {
  doc::Value v = doc::Value::EmptyMap();
  if (!dns.nameservers.empty()) v.Set("nameservers", model::StringListValue(dns.nameservers));
  if (!dns.domain.empty()) v.Set("domain", dns.domain);
  if (!dns.search.empty()) v.Set("search", model::StringListValue(dns.search));
  if (!dns.options.empty()) v.Set("options", model::StringListValue(dns.options));
  return v;
}

template <typename T, typename F>
void SetList(doc::Value& v, std::string_view key, const std::vector<T>& items, F encode) {
  if (items.empty()) return;
  doc::Value list = doc::Value::EmptyList();
  for (const T& item : items) list.Append(encode(item));
  v.Set(key, std::move(list));
}

}  // namespace

doc::Value EncodeCniResult(const CniResult& r, std::string_view version) {
  bool v11 = version == "1.1.0";
  bool v04 = version == "0.4.0";
  doc::Value v = doc::Value::EmptyMap();
  v.Set("cniVersion", version);
  SetList(v, "interfaces", r.interfaces,
          [&](const CniInterface& i) { return EncodeInterface(i, v11); });
  SetList(v, "ips", r.ips, [&](const CniIpConfig& ip) { return EncodeIp(ip, v04); });
  SetList(v, "routes", r.routes, [&](const CniRoute& rt) { return EncodeRoute(rt, v11); });
  v.Set("dns", EncodeDns(r.dns));
  return v;
}

}  // namespace egret::cni
