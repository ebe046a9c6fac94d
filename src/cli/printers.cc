#include "cli/printers.h"

#include <ctime>
#include <functional>

#include "common/strings.h"
#include "doc/yaml.h"

namespace egret::cli {
namespace {

using Extract = std::function<std::string(const doc::Value&)>;

struct Column {
  std::string header;
  Extract extract;
  bool wide_only = false;
};

const doc::Value* At(const doc::Value& v, std::string_view path) {
  const doc::Value* cur = &v;
  for (std::string_view part : Split(path, '.')) {
    cur = cur->Find(part);
    if (!cur) return nullptr;
  }
  return cur;
}

std::string Scalar(const doc::Value& v) {
  if (v.is_string()) return v.as_string();
  if (v.is_int()) return std::to_string(v.as_int());
  if (v.is_bool()) return v.as_bool() ? "true" : "false";
  return "";
}

// The value at path: a scalar, or a list's scalars joined with ','; `fallback` when absent.
Extract Path(std::string path, std::string fallback = "<none>") {
  return [path = std::move(path), fallback = std::move(fallback)](const doc::Value& v) {
    const doc::Value* f = At(v, path);
    if (!f || f->is_null()) return fallback;
    if (f->is_list()) {
      std::vector<std::string> parts;
      for (const doc::Value& e : f->as_list()) parts.push_back(Scalar(e));
      return parts.empty() ? fallback : Join(parts, ",");
    }
    std::string s = Scalar(*f);
    return s.empty() ? fallback : s;
  };
}

std::string SelectorText(const doc::Value* sel) {
  if (!sel || !sel->is_map() || sel->as_map().empty()) return "<all>";
  std::vector<std::string> parts;
  if (const doc::Value* ml = sel->Find("matchLabels"); ml && ml->is_map()) {
    for (const doc::Member& m : ml->as_map()) parts.push_back(m.key + "=" + Scalar(m.value));
  }
  if (const doc::Value* me = sel->Find("matchExpressions"); me && me->is_list()) {
    for (const doc::Value& e : me->as_list()) {
      std::string op = Scalar(*e.Find("operator"));
      std::string key = Scalar(*e.Find("key"));
      if (op == "Exists") {
        parts.push_back(key);
      } else if (op == "DoesNotExist") {
        parts.push_back("!" + key);
      } else {
        std::string values = Path("values", "")(e);
        parts.push_back(key + (op == "In" ? " in (" : " notin (") + values + ")");
      }
    }
  }
  return Join(parts, ",");
}

Extract Selector(std::string path) {
  return [path = std::move(path)](const doc::Value& v) { return SelectorText(At(v, path)); };
}

std::string PortsText(const doc::Value& v, std::string_view path, bool with_node_port) {
  const doc::Value* ports = At(v, path);
  if (!ports || !ports->is_list() || ports->as_list().empty()) return "<none>";
  std::vector<std::string> parts;
  for (const doc::Value& p : ports->as_list()) {
    std::string s = Path("port", "")(p);
    if (with_node_port && p.Find("nodePort")) s += ":" + Path("nodePort", "")(p);
    s += "/" + Path("protocol", "TCP")(p);
    parts.push_back(s);
  }
  return Join(parts, ",");
}

// The condition of `type` in status.conditions, or nullptr.
const doc::Value* FindCondition(const doc::Value& v, std::string_view type) {
  const doc::Value* conds = At(v, "status.conditions");
  if (!conds || !conds->is_list()) return nullptr;
  for (const doc::Value& c : conds->as_list()) {
    if (Path("type", "")(c) == type) return &c;
  }
  return nullptr;
}

std::string NodeReady(const doc::Value& v) {
  const doc::Value* ready = FindCondition(v, "Ready");
  if (!ready) return "Unknown";
  return Path("status", "")(*ready) == "True" ? "Ready" : "NotReady";
}

std::string NodeAddress(const doc::Value& v, std::string_view type) {
  const doc::Value* addrs = At(v, "status.addresses");
  std::vector<std::string> out;
  if (addrs && addrs->is_list()) {
    for (const doc::Value& a : addrs->as_list()) {
      if (Path("type", "")(a) == type) out.push_back(Path("address", "")(a));
    }
  }
  return out.empty() ? "<none>" : Join(out, ",");
}

// "N/M" from a policy's Ready condition ("realized on N of M nodes", written by the
// controller); the condition's status when its message says something else; "<none>" before
// the controller has written it.
std::string PolicyRealized(const doc::Value& v) {
  const doc::Value* ready = FindCondition(v, "Ready");
  if (!ready) return "<none>";
  std::string text = Path("message", "")(*ready);
  std::string_view msg = Trim(text);
  constexpr std::string_view kPrefix = "realized on ", kSuffix = " nodes";
  if (StartsWith(msg, kPrefix) && EndsWith(msg, kSuffix)) {
    msg = msg.substr(kPrefix.size(), msg.size() - kPrefix.size() - kSuffix.size());
    if (size_t of = msg.find(" of "); of != std::string_view::npos) {
      auto n = ParseInt(msg.substr(0, of)), m = ParseInt(msg.substr(of + 4));
      if (n && m) return std::to_string(*n) + "/" + std::to_string(*m);
    }
  }
  return Path("status", "Unknown")(*ready);
}

std::string GatewayNodes(const doc::Value& v) {
  const doc::Value* nodes = At(v, "status.nodeList");
  if (!nodes || !nodes->is_list()) return "0";
  return std::to_string(nodes->as_list().size());
}

std::vector<Column> ColumnsFor(std::string_view kind) {
  if (kind == "Namespace") return {{"STATUS", Path("status.phase", "Active")}};
  if (kind == "Node") {
    return {{"STATUS", NodeReady},
            {"INTERNAL-IP", [](const doc::Value& v) { return NodeAddress(v, "InternalIP"); }},
            {"POD-CIDRS", Path("spec.podCIDRs"), true}};
  }
  if (kind == "Pod") {
    return {{"STATUS", Path("status.phase", "Pending")},
            {"IP", Path("status.podIP")},
            {"NODE", Path("spec.nodeName")}};
  }
  if (kind == "Service") {
    return {{"TYPE", Path("spec.type", "ClusterIP")},
            {"CLUSTER-IP", Path("spec.clusterIP")},
            {"PORT(S)", [](const doc::Value& v) { return PortsText(v, "spec.ports", true); }},
            {"SELECTOR", Selector("spec.selector"), true}};
  }
  if (kind == "EndpointSlice") {
    return {{"ADDRESSTYPE", Path("addressType")},
            {"PORTS", [](const doc::Value& v) { return PortsText(v, "ports", false); }},
            {"ENDPOINTS", [](const doc::Value& v) {
               const doc::Value* eps = v.Find("endpoints");
               std::vector<std::string> out;
               if (eps && eps->is_list()) {
                 for (const doc::Value& e : eps->as_list()) out.push_back(Path("addresses", "")(e));
               }
               return out.empty() ? std::string("<none>") : Join(out, ",");
             }}};
  }
  if (kind == "NetworkPolicy") {
    return {{"POD-SELECTOR", Selector("spec.podSelector")},
            {"POLICY-TYPES", Path("spec.policyTypes"), true},
            {"REALIZED", PolicyRealized, true}};
  }
  if (kind == "AdminNetworkPolicy") {
    return {{"PRIORITY", Path("spec.priority")}, {"REALIZED", PolicyRealized, true}};
  }
  if (kind == "BaselineAdminNetworkPolicy") return {{"REALIZED", PolicyRealized, true}};
  if (kind == "EgressGateway") {
    return {{"DEFAULT", Path("spec.clusterDefault", "false")},
            {"IPV4-POOL", Path("spec.ippools.ipv4")},
            {"IPV6-POOL", Path("spec.ippools.ipv6")},
            {"NODES", GatewayNodes},
            {"NODE-SELECTOR", Selector("spec.nodeSelector.selector"), true}};
  }
  if (kind == "EgressPolicy" || kind == "EgressClusterPolicy") {
    return {{"GATEWAY", Path("spec.egressGatewayName")},
            {"IPV4", Path("status.eip.ipv4")},
            {"IPV6", Path("status.eip.ipv6")},
            {"NODE", Path("status.node")},
            {"PRIORITY", Path("spec.priority", "0"), true},
            {"DEST-SUBNET", Path("spec.destSubnet", "<external>"), true}};
  }
  return {};
}

std::string Indent(const std::string& text, size_t n) {
  std::string out;
  std::string pad(n, ' ');
  for (std::string_view line : Split(text, '\n')) {
    if (line.empty()) continue;
    out += pad;
    out += line;
    out += '\n';
  }
  return out;
}

std::string MapLines(const doc::Value* m, size_t width) {
  if (!m || !m->is_map() || m->as_map().empty()) return "<none>\n";
  std::string out;
  bool first = true;
  for (const doc::Member& e : m->as_map()) {
    if (!first) out += std::string(width, ' ');
    out += e.key + "=" + Scalar(e.value) + "\n";
    first = false;
  }
  return out;
}

// Rows as aligned columns (3 spaces apart), each line indented by `indent`.
std::string Tabulate(const std::vector<std::vector<std::string>>& rows, size_t indent) {
  std::vector<size_t> width;
  for (const auto& row : rows) {
    width.resize(std::max(width.size(), row.size()));
    for (size_t c = 0; c < row.size(); ++c) width[c] = std::max(width[c], row[c].size());
  }
  std::string out;
  for (const auto& row : rows) {
    std::string line(indent, ' ');
    for (size_t c = 0; c < row.size(); ++c) {
      line += row[c];
      if (c + 1 < row.size()) line += std::string(width[c] - row[c].size() + 3, ' ');
    }
    out += line + "\n";
  }
  return out;
}

// status.conditions as a table (TYPE STATUS REASON MESSAGE LAST TRANSITION), indented.
std::string ConditionsTable(const doc::Value& conditions, size_t indent) {
  std::vector<std::vector<std::string>> rows = {
      {"TYPE", "STATUS", "REASON", "MESSAGE", "LAST TRANSITION"}};
  for (const doc::Value& c : conditions.as_list()) {
    rows.push_back({Path("type", "")(c), Path("status", "")(c), Path("reason", "")(c),
                    Path("message", "")(c), Path("lastTransitionTime", "")(c)});
  }
  return Tabulate(rows, indent);
}

// The `status` section: its conditions as a table, the other fields as YAML.
std::string StatusSection(const doc::Value& status) {
  const doc::Value* conds = status.Find("conditions");
  if (!conds || !conds->is_list() || conds->as_list().empty()) {
    return Indent(doc::ToYaml(status), 2);
  }
  doc::Value rest = status;
  rest.Erase("conditions");
  std::string out = rest.as_map().empty() ? "" : Indent(doc::ToYaml(rest), 2);
  return out + "  Conditions:\n" + ConditionsTable(*conds, 4);
}

}  // namespace

std::string TypedName(std::string_view kind, std::string_view api_version, std::string_view name) {
  std::string group;
  if (size_t slash = api_version.find('/'); slash != std::string_view::npos) {
    group = "." + std::string(api_version.substr(0, slash));
  }
  return ToLower(kind) + group + "/" + std::string(name);
}

std::string TypedName(const doc::Value& obj) {
  return TypedName(Path("kind", "")(obj), Path("apiVersion", "")(obj),
                   Path("metadata.name", "")(obj));
}

std::string Age(const std::string& ts, long long now_unix) {
  std::tm tm{};
  if (ts.empty() || !strptime(ts.c_str(), "%Y-%m-%dT%H:%M:%S", &tm)) return "<unknown>";
  long long d = now_unix - static_cast<long long>(timegm(&tm));
  if (d < 0) d = 0;
  if (d < 120) return std::to_string(d) + "s";
  if (d < 7200) return std::to_string(d / 60) + "m";
  if (d < 172800) return std::to_string(d / 3600) + "h";
  return std::to_string(d / 86400) + "d";
}

std::string FormatTable(const std::vector<doc::Value>& items, const TableOptions& opts) {
  if (items.empty()) return "";
  std::string kind = Path("kind", "")(items.front());
  std::vector<Column> cols;
  if (opts.with_namespace) cols.push_back({"NAMESPACE", Path("metadata.namespace", "")});
  if (opts.with_kind) {
    cols.push_back({"NAME", [](const doc::Value& v) { return TypedName(v); }});
  } else {
    cols.push_back({"NAME", Path("metadata.name")});
  }
  for (Column& c : ColumnsFor(kind)) {
    if (!c.wide_only || opts.wide) cols.push_back(std::move(c));
  }
  cols.push_back({"AGE", [&opts](const doc::Value& v) {
                    return Age(Path("metadata.creationTimestamp", "")(v), opts.now_unix);
                  }});
  std::vector<std::vector<std::string>> rows;
  rows.emplace_back();
  for (size_t c = 0; c < cols.size(); ++c) rows[0].push_back(cols[c].header);
  for (const doc::Value& item : items) {
    rows.emplace_back();
    for (const Column& c : cols) rows.back().push_back(c.extract(item));
  }
  return Tabulate(rows, 0);
}

std::string FormatDescribe(const doc::Value& obj) {
  constexpr size_t kWidth = 14;
  auto field = [](std::string label, const std::string& value) {
    label += ":";
    label.append(label.size() < kWidth ? kWidth - label.size() : 1, ' ');
    return label + value + "\n";
  };
  const doc::Value* md = obj.Find("metadata");
  std::string out = field("Name", Path("metadata.name")(obj));
  if (md && md->Find("namespace")) out += field("Namespace", Path("metadata.namespace")(obj));
  out += "Labels:" + std::string(kWidth - 7, ' ') +
         MapLines(md ? md->Find("labels") : nullptr, kWidth);
  out += "Annotations:" + std::string(kWidth - 12, ' ') +
         MapLines(md ? md->Find("annotations") : nullptr, kWidth);
  out += field("API Version", Path("apiVersion")(obj));
  out += field("Kind", Path("kind")(obj));
  out += field("UID", Path("metadata.uid")(obj));
  out += field("Version", Path("metadata.resourceVersion")(obj));
  out += field("Generation", Path("metadata.generation", "1")(obj));
  out += field("Created", Path("metadata.creationTimestamp")(obj));
  for (const doc::Member& m : obj.as_map()) {
    if (m.key == "apiVersion" || m.key == "kind" || m.key == "metadata") continue;
    std::string title = m.key;
    title[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(title[0])));
    out += title + ":\n";
    if (m.key == "status" && m.value.is_map()) {
      out += StatusSection(m.value);
    } else {
      out += m.value.is_map() || m.value.is_list() ? Indent(doc::ToYaml(m.value), 2)
                                                   : "  " + Scalar(m.value) + "\n";
    }
  }
  return out;
}

}  // namespace egret::cli
